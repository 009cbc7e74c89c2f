"""What the change log says of this app's actions, registered in the app's `ready()`
(`core.registry.add_log_words`): `core.actions.record` refuses an action without a label."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

ACTIONS = {
    "accounts.create_user": _l("Tạo tài khoản"),
    "accounts.grant": _l("Phân quyền"),
    "accounts.revoke": _l("Thu hồi quyền"),
    "accounts.revoke_tokens": _l("Thu hồi khóa truy cập API"),
    "accounts.deactivate": _l("Khóa tài khoản"),
    "accounts.reactivate": _l("Mở lại tài khoản"),
    "accounts.change_password": _l("Đổi mật khẩu"),
    "accounts.set_email": _l("Đổi địa chỉ thư điện tử"),
    "accounts.second_factor_on": _l("Bật xác thực hai bước"),
    "accounts.second_factor_codes": _l("Tạo mã dự phòng mới"),
    "accounts.second_factor_off": _l("Tắt xác thực hai bước"),
    "accounts.second_factor_reset": _l("Đặt lại xác thực hai bước"),
}


def _grants(ids, known) -> dict[str, str]:
    from trienkhai.accounts.models import Grant, Role

    roles = dict(Role.choices)
    rows = Grant.objects.filter(known("unit"), pk__in=ids).values_list(
        "pk", "user__first_name", "user__last_name", "user__username", "role", "unit__name"
    )
    return {
        str(pk): _("%(user)s — %(role)s, %(unit)s")
        % {
            "user": f"{first} {last}".strip() or username,
            "role": roles.get(role, role),
            "unit": unit,
        }
        for pk, first, last, username, role, unit in rows
    }


def _users(ids, _known) -> dict[str, str]:
    from django.contrib.auth import get_user_model

    rows = get_user_model().objects.filter(pk__in=ids)
    return {
        str(u.pk): f"{u.get_full_name().strip()} ({u.username})"
        if u.get_full_name().strip()
        else u.username
        for u in rows
    }


# A grant by its person, role and unit; an account by its person's name.
NAMES = {
    "accounts.grant": (_l("phân quyền"), _grants),
    "auth.user": (_l("tài khoản"), _users),
}
