"""API sign-in (a token for a username and password, throttled like the login page) and /me."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from trienkhai.accounts import throttle
from trienkhai.accounts.models import Clearance, Grant
from trienkhai.core.api import ErrorSerializer, inline_choice_field


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


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
    """POST username and password, get the user's API token; failures count as at the login."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        summary="Get an API token",
        request=AuthTokenSerializer,
        responses={200: TokenSerializer, 400: ErrorSerializer, 429: ErrorSerializer},
        auth=[],
    )
    def post(self, request):
        if not hasattr(request.data, "get"):  # a JSON list or number, not an object
            return Response(
                {"detail": _("Hãy gửi tên đăng nhập và mật khẩu.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        username = str(request.data.get("username", ""))
        address = throttle.client_address(request)
        if throttle.is_locked(username, address):
            minutes = max(1, throttle.settings.LOGIN_THROTTLE_WINDOW // 60)
            return Response(
                {
                    "detail": _(
                        "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút."
                    )
                    % {"minutes": minutes}
                },
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        ser = AuthTokenSerializer(data=request.data, context={"request": request})
        if not ser.is_valid():
            throttle.note_failure(username, address)
            return Response(
                {"detail": _("Tên đăng nhập hoặc mật khẩu không đúng.")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        user = ser.validated_data["user"]
        throttle.clear(user.get_username(), address)
        # The token is a credential, not a record of the domain: it is not change-logged.
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


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
