"""API sign-in (a token for a username and password, throttled like the login page), sign-out,
password change, and /me."""

from django.contrib.auth import authenticate, user_logged_in
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from trienkhai.accounts import actions, second_factor, throttle
from trienkhai.accounts.auth import TokenAuthentication, issue_token
from trienkhai.accounts.models import Clearance, Grant
from trienkhai.core.actions import ActionError
from trienkhai.core.api import (
    BadRequestSerializer,
    ErrorSerializer,
    inline_choice_field,
    validated,
)


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, trim_whitespace=False)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="The authenticator's 6-digit code (or a recovery code), for an account with "
        "two-factor sign-in.",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField()


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=4096, trim_whitespace=False)
    new_password = serializers.CharField(max_length=4096, trim_whitespace=False)


class DoneSerializer(serializers.Serializer):
    detail = serializers.CharField()


class GrantSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display")
    clearance_label = serializers.CharField(source="get_clearance_display")
    clearance = inline_choice_field(Clearance.choices)
    unit = serializers.SerializerMethodField()

    class Meta:
        model = Grant
        fields = (
            "id",
            "role",
            "role_label",
            "unit",
            "include_subtree",
            "clearance",
            "clearance_label",
        )

    def get_unit(self, obj) -> dict:
        return {"id": obj.unit_id, "code": obj.unit.code, "name": obj.unit.name}


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    is_superuser = serializers.BooleanField()
    grants = GrantSerializer(many=True)


class TokenView(APIView):
    """POST username and password, get a new API token; failures count as at the login page."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        summary="Get a new API token",
        description="Each sign-in gives a new token, valid until `expiry`.",
        request=CredentialsSerializer,
        responses={200: TokenSerializer, 400: ErrorSerializer, 429: ErrorSerializer},
        auth=[],
    )
    def post(self, request):
        ser = CredentialsSerializer(data=request.data)
        if not ser.is_valid():
            return Response(
                {"detail": _("Hãy gửi tên đăng nhập và mật khẩu.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        http_request = request._request
        user = authenticate(
            http_request,
            username=ser.validated_data["username"],
            password=ser.validated_data["password"],
        )
        until = throttle.request_locked_until(http_request)
        if until is not None:
            return Response(
                {"detail": throttle.lock_message(until)},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(throttle.seconds_left(until))},
            )
        if user is None:
            return Response(
                {"detail": _("Tên đăng nhập hoặc mật khẩu không đúng.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        user_logged_in.send(sender=user.__class__, request=http_request, user=user)
        if not user.is_superuser and not Grant.objects.filter(user=user).exists():
            return Response(
                {"detail": _("Tài khoản không còn được phân quyền ở đơn vị nào.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        owed = second_factor.state(user)
        if owed == second_factor.ENROL:
            return Response(
                {"detail": _("Hãy bật xác thực hai bước ở trang tài khoản trước khi dùng API.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        if owed == second_factor.VERIFY:
            if not ser.validated_data.get("otp"):
                return Response(
                    {
                        "detail": _("Tài khoản này cần mã xác thực hai bước: gửi kèm trường otp."),
                        "otp_required": True,
                    },
                    status=status.HTTP_400_BAD_REQUEST,
                )
            try:
                second_factor.check_code(user, ser.validated_data["otp"])
            except ActionError as exc:
                return Response({"detail": exc.message}, status=status.HTTP_400_BAD_REQUEST)
        instance, token = issue_token(user)
        return Response({"token": token, "expiry": instance.expiry})


class LogoutView(APIView):
    """The token this request came with stops working."""

    authentication_classes = [TokenAuthentication]

    @extend_schema(summary="Revoke this API token", request=None, responses={200: DoneSerializer})
    def post(self, request):
        actions.revoke_tokens(request.user, request.user, token_key=request.auth.token_key)
        return Response({"detail": _("Đã thu hồi khóa truy cập.")})


class LogoutAllView(APIView):
    """Every token of the caller stops working, this one included."""

    authentication_classes = [TokenAuthentication]

    @extend_schema(
        summary="Revoke all of the caller's API tokens", request=None, responses=DoneSerializer
    )
    def post(self, request):
        actions.revoke_tokens(request.user, request.user)
        return Response({"detail": _("Đã thu hồi mọi khóa truy cập của bạn.")})


class PasswordView(APIView):
    """Change the caller's password; every other API token of theirs is revoked."""

    @extend_schema(
        summary="Change the caller's password",
        request=PasswordChangeSerializer,
        responses={200: DoneSerializer, 400: BadRequestSerializer},
    )
    def post(self, request):
        data = validated(request, PasswordChangeSerializer, {"request": request})
        keep = request.auth if hasattr(request.auth, "token_key") else None
        actions.change_password(
            request.user,
            old_password=data["old_password"],
            new_password=data["new_password"],
            keep_token=keep,
        )
        return Response({"detail": _("Đã đổi mật khẩu.")})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(summary="The caller and their grants", responses=MeSerializer)
    def get(self, request):
        user = request.user
        grants = (
            Grant.objects.filter(user=user).select_related("unit").order_by("unit__path", "role")
        )
        return Response(
            MeSerializer(
                {
                    "id": user.pk,
                    "username": user.get_username(),
                    "is_superuser": user.is_superuser,
                    "grants": grants,
                }
            ).data
        )


ROUTES: list = []
PATHS = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
    path("auth/logout-all/", LogoutAllView.as_view(), name="api-logout-all"),
    path("auth/password/", PasswordView.as_view(), name="api-password"),
    path("me/", MeView.as_view(), name="api-me"),
]
