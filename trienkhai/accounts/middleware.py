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


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: a session whose user has an authenticator but has not
    given a code goes to the code page; one who must set one up goes to the set-up page. API
    calls with a token pass (the token was issued after the code), others get a 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(OPEN)
            and not (request.path.startswith("/api/") and "HTTP_AUTHORIZATION" in request.META)
            and not user.is_verified()
        ):
            owed = second_factor.state(user)
            if owed is not None:
                return self._refuse(request, owed)
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
