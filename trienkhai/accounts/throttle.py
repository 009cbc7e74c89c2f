"""Sign-in throttling: a django-axes handler that counts by (username, address) and by address.

Axes stops a locked-out sign-in before the password is checked, on every `authenticate()` call
(the login page and the API token endpoint alike), and finds the client address through
`client_ip` below. Its stock handlers hold every lockout parameter to one failure limit and
forget after a fixed cool-off; this handler gives each its own limit, lengthens the wait while
the failures go on (backoff), and knows when a lock ends, so the message can say it.

- (username, address): `LOGIN_THROTTLE_LIMIT` failures lock that name from that address only,
  so nobody can lock an account out for everyone else.
- address: `LOGIN_THROTTLE_ADDRESS_LIMIT` failures over any names lock the address, so
  spreading guesses over many accounts does not help; a success never clears it.
- The first lock lasts `LOGIN_THROTTLE_WINDOW` seconds; after it every further failure locks
  again, and each further `limit` failures double the wait (at most `LOGIN_THROTTLE_MAX_WAIT`).
  Counts are forgotten a window after the last failure, or after the end of the last lock.
- Attempts refused during a lock are not counted, so the wait announced stays true.
"""

import datetime
import functools
import ipaddress
import math

from axes.backends import AxesStandaloneBackend
from axes.handlers.base import AbstractAxesHandler, AxesBaseHandler
from axes.helpers import get_client_username
from axes.signals import user_locked_out
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts.models import FailedLogin

LOCKED_UNTIL = "trienkhai_locked_until"


# --- client address ------------------------------------------------------------------------


@functools.cache
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _parse(text: str):
    text = text.strip()
    for candidate in (text, text.rsplit(":", 1)[0].strip("[]") if ":" in text else None):
        if candidate:
            try:
                return ipaddress.ip_address(candidate)
            except ValueError:
                continue
    return None


def client_ip(request) -> str:
    """The client's address: the peer, or behind trusted proxies the first untrusted hop.

    `X-Forwarded-For` is read only when the peer itself is a trusted proxy, from the right
    (nearest hop) leftwards, stopping at the first address that is not a trusted proxy; anything
    further left was written by the client and is never believed. (django-ipware checks the
    trailing entries of the header but not the peer, so a client reaching the server directly
    could pick its own address.)
    """
    remote = request.META.get("REMOTE_ADDR") or ""
    networks = _networks(tuple(settings.TRIENKHAI_TRUSTED_PROXIES))
    peer = _parse(remote)
    if peer is None:
        return remote or "unknown"
    if not any(peer in n for n in networks):
        return str(peer)
    client = peer
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break
        client = address
        if not any(address in n for n in networks):
            break
    return str(client)


# --- counting --------------------------------------------------------------------------------


def _name(username) -> str:
    return str(username or "").strip().casefold()[:150]


def _groups(username) -> list[tuple[str, str, int]]:
    return [
        (FailedLogin.BY_USER, _name(username), settings.LOGIN_THROTTLE_LIMIT),
        (FailedLogin.BY_ADDRESS, "", settings.LOGIN_THROTTLE_ADDRESS_LIMIT),
    ]


def wait_after(failures: int, limit: int) -> datetime.timedelta | None:
    """How long `failures` failures lock a counter whose limit is `limit` (None: not locked)."""
    if failures < limit:
        return None
    doublings = min((failures - limit) // limit, 32)
    seconds = min(settings.LOGIN_THROTTLE_WINDOW * 2**doublings, settings.LOGIN_THROTTLE_MAX_WAIT)
    return datetime.timedelta(seconds=seconds)


def note_failure(username, ip: str, now=None) -> datetime.datetime | None:
    """Count one failure for the name and the address; the end of the lock it causes, if any."""
    now = now or timezone.now()
    window = datetime.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)
    until = None
    with transaction.atomic():
        FailedLogin.objects.filter(forget_at__lte=now).delete()
        for scope, name, limit in _groups(username):
            row, _created = FailedLogin.objects.select_for_update().get_or_create(
                scope=scope,
                username=name,
                ip_address=ip,
                defaults={"last_failure": now, "forget_at": now + window},
            )
            row.failures += 1
            wait = wait_after(row.failures, limit)
            row.last_failure = now
            row.locked_until = now + wait if wait else None
            row.forget_at = (row.locked_until or now) + window
            row.save()
            if row.locked_until and (until is None or row.locked_until > until):
                until = row.locked_until
    return until


def locked_until(username, ip: str, now=None) -> datetime.datetime | None:
    """When the lock on this name from this address ends (None: not locked)."""
    now = now or timezone.now()
    return FailedLogin.objects.filter(
        Q(scope=FailedLogin.BY_USER, username=_name(username), ip_address=ip)
        | Q(scope=FailedLogin.BY_ADDRESS, username="", ip_address=ip),
        locked_until__gt=now,
    ).aggregate(end=Max("locked_until"))["end"]


def clear_name(username, ip: str) -> None:
    """A success forgets the failures of that name from that address, not the address's own."""
    FailedLogin.objects.filter(
        scope=FailedLogin.BY_USER, username=_name(username), ip_address=ip
    ).delete()


# --- what the person is told -----------------------------------------------------------------


def request_locked_until(request) -> datetime.datetime | None:
    """The end of the lock that refused (or was caused by) this request's sign-in, if any."""
    return getattr(request, LOCKED_UNTIL, None)


def seconds_left(until: datetime.datetime) -> int:
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


def lock_message(until: datetime.datetime) -> str:
    minutes = math.ceil(seconds_left(until) / 60)
    return _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.") % {
        "minutes": minutes
    }


def lockout_response(request, original_response=None, credentials=None):
    """Axes' lockout answer: the view's own when it gave one (status 429), else a short one."""
    if original_response is not None and original_response.status_code == 429:
        return original_response
    until = request_locked_until(request) or timezone.now()
    response = JsonResponse({"detail": lock_message(until)}, status=429)
    response["Retry-After"] = str(seconds_left(until))
    return response


# --- the axes handler ------------------------------------------------------------------------


class LoginThrottleHandler(AbstractAxesHandler, AxesBaseHandler):
    """Axes handler (settings.AXES_HANDLER) keeping its counts in `FailedLogin`."""

    def _until(self, request, credentials):
        return locked_until(get_client_username(request, credentials), request.axes_ip_address)

    def is_locked(self, request, credentials=None) -> bool:
        until = self._until(request, credentials)
        if until is not None:
            setattr(request, LOCKED_UNTIL, until)
        return until is not None

    def get_failures(self, request, credentials=None) -> int:
        name = _name(get_client_username(request, credentials))
        counts = FailedLogin.objects.filter(
            Q(scope=FailedLogin.BY_USER, username=name) | Q(scope=FailedLogin.BY_ADDRESS),
            ip_address=request.axes_ip_address,
            forget_at__gt=timezone.now(),
        ).values_list("failures", flat=True)
        return max(counts, default=0)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.is_whitelisted(request, credentials):
            return
        username = get_client_username(request, credentials)
        until = note_failure(username, request.axes_ip_address)
        if until is not None:
            setattr(request, LOCKED_UNTIL, until)
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes", request=request, username=username, ip_address=request.axes_ip_address
            )

    def user_logged_in(self, sender, request, user, **kwargs):
        if request is not None:
            clear_name(user.get_username(), request.axes_ip_address)

    def user_logged_out(self, sender, request, user, **kwargs):
        return None

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False) -> int:
        rows = FailedLogin.objects.all()
        if ip_or_username:
            rows = rows.filter(Q(ip_address=ip_address) | Q(username=_name(username)))
        else:
            if ip_address:
                rows = rows.filter(ip_address=ip_address)
            if username:
                rows = rows.filter(username=_name(username))
        return rows.delete()[0]


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' gate before the password check, for sign-ins that come with a request.

    Without a request there is no client to throttle (a management command, or the test
    client's `login()`), and axes would refuse with an error; such calls pass through to the
    model backend as plain Django does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
