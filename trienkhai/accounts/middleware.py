"""Nothing opens to a signed-in user who still owes a second factor (accounts.second_factor)."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from trienkhai.accounts import second_factor

# Pages a person needs on the way to the second factor, and machine endpoints.
OPEN = (
    "/login/",
    "/logout/",
    "/accounts/me/2fa/",
    "/i18n/",
    "/static/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/csp-report/",
)


CLEAR = "trienkhai_2fa_clear"  # this session's user owed nothing when it was checked


def checked_at_sign_in(sender, request, user, **kwargs) -> None:
    """`user_logged_in`: whether the new session owes a second factor is looked up once, here."""
    if request is None or not hasattr(request, "session") or request.path.startswith("/api/"):
        return  # an API token is issued without a session
    if second_factor.state(user) is None:
        request.session[CLEAR] = user.pk
    else:
        request.session.pop(CLEAR, None)


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: a session whose user has an authenticator but has not
    given a code goes to the code page; one who must set one up goes to the set-up page. API
    calls with a token pass (the token was issued after the code), others get a 403.

    A session found to owe nothing is remembered as such, so the check costs a query once per
    session, not once per request: a requirement that starts later (a new coordinator grant,
    the setting turned on) applies from the person's next sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN)
            and not (request.path.startswith("/api/") and "HTTP_AUTHORIZATION" in request.META)
            and not user.is_verified()
            and request.session.get(CLEAR) != user.pk
        ):
            owed = second_factor.state(user)
            if owed is not None:
                return self._refuse(request, owed)
            request.session[CLEAR] = user.pk
        return self.get_response(request)

    def _refuse(self, request, owed: str):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Hãy hoàn tất xác thực hai bước trên trang web.")}, status=403
            )
        target = reverse("login-verify" if owed == second_factor.VERIFY else "second-factor")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
