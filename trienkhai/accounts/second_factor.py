"""Two-factor sign-in: a time-based code (TOTP, django-otp) and ten single-use recovery codes.

Whoever has confirmed an authenticator app must give a code after the password; with
TRIENKHAI_2FA_REQUIRED=1, administrators and coordinators (and superusers) must set one up
before they can do anything else. Reads and the writes on a user's devices are here; every
write is logged like any other action on an account.
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from trienkhai.accounts.models import Grant, Role
from trienkhai.core.actions import ActionError, record

RECOVERY_CODES = 10
REQUIRED_ROLES = (Role.ADMINISTRATOR, Role.COORDINATOR)

VERIFY = "verify"  # has an authenticator: a code is asked after the password
ENROL = "enrol"  # must set one up first (TRIENKHAI_2FA_REQUIRED)


def is_required(user) -> bool:
    if not settings.TRIENKHAI_2FA_REQUIRED:
        return False
    return user.is_superuser or Grant.objects.filter(user=user, role__in=REQUIRED_ROLES).exists()


def authenticator(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("pk").first()


def state(user) -> str | None:
    """What a signed-in user still owes before the site opens: VERIFY, ENROL or nothing."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return VERIFY
    return ENROL if is_required(user) else None


def _clean(code: str) -> str:
    return "".join((code or "").split())[:32]


def check_code(user, code: str):
    """The device that accepts `code` (a 6-digit code or a recovery code), or an ActionError
    saying why not. Wrong codes slow down further tries (django-otp's throttling)."""
    code = _clean(code)
    if not code:
        raise ActionError(_("Hãy nhập mã xác thực."), field="code")
    device = (
        authenticator(user)
        if code.isdigit() and len(code) == 6
        else StaticDevice.objects.filter(user=user, confirmed=True).first()
    )
    if device is None:
        raise ActionError(_("Mã xác thực không đúng."), field="code")
    allowed, data = device.verify_is_allowed()
    if not allowed:
        raise ActionError(_("Nhập sai quá nhiều lần. Hãy thử lại sau ít phút."), field="code")
    accepted = verify_token(user, device.persistent_id, code)
    if accepted is None:
        raise ActionError(_("Mã xác thực không đúng."), field="code")
    return accepted


def pending_authenticator(user) -> TOTPDevice:
    """The unconfirmed authenticator the set-up page shows, made once and kept until confirmed
    (reloading the page shows the same key, so a scanned code stays valid)."""
    device = authenticator(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def turn_on(user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code from it; return it and the recovery codes
    (shown once)."""
    device = authenticator(user, confirmed=False)
    if device is None:
        raise ActionError(_("Hãy tải lại trang và quét mã mới."), field="code")
    code = _clean(code)
    if not (code.isdigit() and len(code) == 6 and device.verify_token(code)):
        raise ActionError(
            _("Mã không đúng. Hãy nhập mã 6 chữ số đang hiện trên ứng dụng xác thực."),
            field="code",
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    record(user, "accounts.second_factor_on", user, after={"recovery_codes": len(codes)})
    return device, codes


@transaction.atomic
def new_recovery_codes(user, code: str) -> list[str]:
    check_code(user, code)
    codes = _new_recovery_codes(user)
    record(user, "accounts.second_factor_codes", user, after={"recovery_codes": len(codes)})
    return codes


@transaction.atomic
def turn_off(user, code: str) -> None:
    if is_required(user):
        raise ActionError(_("Tài khoản của bạn bắt buộc dùng xác thực hai bước."))
    check_code(user, code)
    _remove_devices(user)
    record(user, "accounts.second_factor_off", user)


def _remove_devices(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def reset(actor, user) -> None:
    """An administrator clears someone's authenticator (a lost phone and lost codes); the
    person sets up a new one at their next sign-in when it is required."""
    from trienkhai.accounts.actions import require_administers_user

    if actor.pk == user.pk:
        raise ActionError(_("Bạn không thể tự đặt lại xác thực hai bước của mình."))
    require_administers_user(actor, user)
    _remove_devices(user)
    record(actor, "accounts.second_factor_reset", user)
