"""Request context for the change log, the security headers every response carries, and the
friendly answer when the database stays locked."""

import logging

from django.conf import settings
from django.db import InterfaceError, InternalError, OperationalError
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

from trienkhai.core.context import acting_as, new_request_id


class RequestContextMiddleware:
    """Give each request an id (echoed in X-Request-ID) and make the user known to actions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = new_request_id()
        user = request.user if request.user.is_authenticated else None
        with acting_as(user, request.request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class SecurityHeadersMiddleware:
    """Content Security Policy and the few headers Django does not set by itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


SESSION_LANGUAGE = "trienkhai_language"  # the signed-in user's stored language (notify)


class LanguageMiddleware:
    """Vietnamese unless the user chose otherwise (the language cookie set by /i18n/setlang/),
    or the signed-in user stored a language (put in the session at sign-in).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an English-language
    browser would silently get English; this product is Vietnamese first. The API is the
    exception: a program has no language cookie, so there a request without one may ask for a
    language with Accept-Language (its answers and error messages then come in that language).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def _asked(self, request) -> str | None:
        """The first language of the request's Accept-Language the product speaks."""
        header = request.headers.get("Accept-Language", "")
        for code, _quality in parse_accept_lang_header(header):
            primary = code.split("-")[0].lower()
            if primary in self.available:
                return primary
        return None

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        api = request.path.startswith("/api/")
        if chosen not in self.available and hasattr(request, "session"):
            chosen = request.session.get(SESSION_LANGUAGE)
        if chosen in self.available:
            language = chosen
        else:
            language = (self._asked(request) if api else None) or settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override() restores the previous language afterwards, so one request's choice never
        # leaks into the next piece of work on the same thread.
        with translation.override(language):
            response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie", "Accept-Language") if api else ("Cookie",))
        return response


log = logging.getLogger("trienkhai.db")


def is_database_unreachable(exc) -> bool:
    """PostgreSQL out of reach for a moment: the connection failed or broke (a restart, a
    failover to the standby), or the node just stopped taking writes (demoted)."""
    if not isinstance(exc, OperationalError | InterfaceError | InternalError):
        return False
    cause = exc.__cause__
    if cause is None or not type(cause).__module__.startswith("psycopg"):
        return False
    state = getattr(cause, "sqlstate", None)
    return (
        state is None  # no answer from a server at all
        or state.startswith("08")  # connection exception
        or state in ("57P01", "57P02", "57P03", "25006")  # shut down, starting, read-only
    )


def is_database_busy(exc) -> bool:
    """SQLite's answer when another connection kept the write lock past the busy timeout, or
    PostgreSQL out of reach for a moment: either way nothing was written and the same request
    will work again shortly."""
    text = str(exc)
    if isinstance(exc, OperationalError) and (
        "database is locked" in text or "database table is locked" in text
    ):
        return True
    return is_database_unreachable(exc)


class DatabaseBusyMiddleware:
    """A write that still finds the database locked is a 503 asking to try again, not a 500.

    SQLite has one writer at a time; other writers wait (settings: `SQLITE_TIMEOUT`), and only
    when that wait runs out does "database is locked" escape. Nothing was written (the
    transaction rolled back), so trying again is safe. `core.views.server_error` gives the same
    answer when the error escapes outside a view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        from trienkhai.core.views import database_busy

        log.warning(
            "database busy or unreachable: %s %s: %s", request.method, request.path, exception
        )
        return database_busy(request, exception)
