"""Writes to grants: who may do what, where. Each one checked and logged."""

from django.db import transaction
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Clearance, Grant, Role
from trienkhai.accounts.permissions import require
from trienkhai.accounts.scope import administers, clearance_at
from trienkhai.core.actions import ActionError, record, snapshot


@transaction.atomic
def grant_role(
    actor,
    user,
    *,
    role: str,
    unit,
    include_subtree: bool = True,
    clearance: int = Clearance.NONE,
) -> Grant:
    """Give `user` `role` at `unit`. Idempotent: an identical grant is returned, not duplicated.

    The actor grants only inside what their administrator grants cover (an exact-unit
    administrator cannot hand out the subtree), never a clearance above the one they hold over
    the whole of what is granted, and never to themselves: a grant can never widen what its
    author may read or do.
    """
    if role not in Role.values:
        raise ActionError(_("Vai trò “%(role)s” không hợp lệ.") % {"role": role}, field="role")
    if clearance not in Clearance.values:
        raise ActionError(_("Độ mật không hợp lệ."), field="clearance")
    require(actor, Role.ADMINISTRATOR, unit)
    _refuse_own_grants(actor, user)
    if actor is not None and not administers(actor, unit, include_subtree):
        raise ActionError(
            _(
                "Bạn chỉ quản trị đúng đơn vị “%(unit)s”, không được phân quyền cho cả các đơn vị "
                "trực thuộc."
            )
            % {"unit": unit.name},
            field="include_subtree",
        )
    if actor is not None and clearance > clearance_at(actor, unit, include_subtree):
        raise ActionError(
            _("Không thể cấp độ mật cao hơn độ mật của chính bạn tại đơn vị này."),
            field="clearance",
        )
    existing = Grant.objects.filter(
        user=user, role=role, unit=unit, include_subtree=include_subtree, clearance=clearance
    ).first()
    if existing is not None:
        return existing
    grant = Grant.objects.create(
        user=user, role=role, unit=unit, include_subtree=include_subtree, clearance=clearance
    )
    if hasattr(user, "_trienkhai_grants"):
        del user._trienkhai_grants
    record(actor, "accounts.grant", grant, unit=unit, after=snapshot(grant))
    return grant


@transaction.atomic
def create_user(
    actor,
    *,
    username: str,
    password: str,
    full_name: str = "",
    superuser: bool = False,
):
    """Create a login. Only a system administrator (or the system itself) creates accounts."""
    from django.contrib.auth import get_user_model

    if actor is not None and not getattr(actor, "is_superuser", False):
        raise ActionError(_("Chỉ quản trị hệ thống được tạo tài khoản."))
    username = (username or "").strip()
    if not username:
        raise ActionError(_("Tên đăng nhập là bắt buộc."), field="username")
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ActionError(
            _("Tên đăng nhập “%(name)s” đã tồn tại.") % {"name": username}, field="username"
        )
    first, _sep, last = full_name.strip().rpartition(" ")
    user = User.objects.create_user(
        username,
        password=password,
        first_name=first,
        last_name=last,
        is_superuser=superuser,
        is_staff=superuser,
    )
    record(actor, "accounts.create_user", user, after=snapshot(user, exclude=("password",)))
    return user


@transaction.atomic
def revoke_grant(actor, grant: Grant) -> None:
    """Remove a grant. The log keeps what it was; the grant row itself goes.

    The same reach as granting: the actor must administer everything the grant covers, and
    nobody changes their own grants.
    """
    require(actor, Role.ADMINISTRATOR, grant.unit)
    _refuse_own_grants(actor, grant.user)
    if actor is not None and not administers(actor, grant.unit, grant.include_subtree):
        raise ActionError(_("Quyền này rộng hơn phạm vi bạn quản trị, bạn không thể thu hồi."))
    before = snapshot(grant)
    record(actor, "accounts.revoke", grant, unit=grant.unit, before=before)
    grant.delete()
    if hasattr(grant.user, "_trienkhai_grants"):
        del grant.user._trienkhai_grants


def _refuse_own_grants(actor, user) -> None:
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise ActionError(_("Bạn không thể tự thay đổi phân quyền của chính mình."))
