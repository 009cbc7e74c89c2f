"""API token authentication: django-rest-knox tokens that also die with the account or its grants.

Knox keeps only a hash of each token, gives every sign-in its own token with an expiry, and
deletes expired ones as it meets them. On top of that a token stops authenticating once its
user is deactivated or holds no grant any more (a superuser needs none).
"""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox import auth as knox_auth
from knox.models import get_token_model
from knox.settings import knox_settings
from rest_framework import exceptions

from trienkhai.accounts.models import Grant


class TokenAuthentication(knox_auth.TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        """Knox's check, with its English refusals (and a 500 on non-UTF-8 bytes) answered in
        the project's words; refusals raised by `validate_user` pass unchanged."""
        invalid = exceptions.AuthenticationFailed(_("Khóa truy cập không hợp lệ hoặc đã hết hạn."))
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            raise invalid from None
        try:
            return super().authenticate_credentials(token)
        except exceptions.AuthenticationFailed as exc:
            if getattr(exc, "trienkhai", False):
                raise
            raise invalid from None

    def validate_user(self, auth_token):
        user = auth_token.user
        if not user.is_active:
            raise _refusal(_("Tài khoản đã bị khóa."))
        if not user.is_superuser:
            # Loaded once here; the scope functions read the same list for this request.
            grants = list(Grant.objects.filter(user=user).select_related("unit"))
            if not grants:
                raise _refusal(_("Tài khoản không còn được phân quyền ở đơn vị nào."))
            user._trienkhai_grants = grants
        return user, auth_token


def _refusal(message) -> exceptions.AuthenticationFailed:
    exc = exceptions.AuthenticationFailed(message)
    exc.trienkhai = True
    return exc


def issue_token(user):
    """A new token for `user`: (token row, the token text shown once).

    At most `TOKEN_LIMIT_PER_USER` tokens live at once; the oldest go first. Issuing is a
    sign-in, not a change of the records, so it is not change-logged (revoking is).
    """
    Token = get_token_model()
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit:
        keep = (
            Token.objects.filter(user=user)
            .order_by("-created")
            .values_list("pk", flat=True)[: limit - 1]
        )
        Token.objects.filter(user=user).exclude(pk__in=list(keep)).delete()
    return Token.objects.create(user=user)


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "trienkhai.accounts.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )
