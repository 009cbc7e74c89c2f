"""Writes to grants: who may do what, where. Each one checked and logged."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Clearance, Grant, Role
from trienkhai.accounts.permissions import require
from trienkhai.accounts.scope import administers, clearance_at, is_global
from trienkhai.core.actions import ActionError, PermissionRefused, record, snapshot


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
            _("Không thể cấp độ mật cao hơn độ mật của chính bạn."),
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
    validate: bool = True,
):
    """Create a login. Only a system administrator (or the system itself) creates accounts.

    The password must pass `AUTH_PASSWORD_VALIDATORS`; only the system may skip them
    (`validate=False`, for the demo's published logins).
    """
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
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        is_superuser=superuser,
        is_staff=superuser,
    )
    if validate or actor is not None:
        _validate_password(password, user, field="password")
    user.set_password(password)
    user.save()
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


def _validate_password(password: str, user, *, field: str) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ActionError(" ".join(exc.messages), field=field) from None


def require_administers_user(actor, user) -> None:
    """Acting on an account as a whole (lock it, revoke its tokens).

    The system and superusers may; another administrator only when their administrator grants
    cover every grant the account holds, so a province cannot lock out someone who also serves
    elsewhere. Nobody but a superuser acts on a superuser.
    """
    if actor is None or is_global(actor):
        return
    grants = list(Grant.objects.filter(user=user).select_related("unit"))
    if (
        not getattr(actor, "is_active", False)
        or user.is_superuser
        or not grants
        or not all(administers(actor, g.unit, g.include_subtree) for g in grants)
    ):
        raise PermissionRefused(_("Tài khoản này không nằm trọn trong phạm vi bạn quản trị."))


def _tokens(user):
    from knox.models import get_token_model

    return get_token_model().objects.filter(user=user)


@transaction.atomic
def revoke_tokens(actor, user, *, token_key: str | None = None, keep=None) -> int:
    """Delete API tokens of `user`: the one with `token_key`, or all of them but `keep`.

    The owner may revoke their own; an administrator those of accounts they administer.
    Logged with the tokens' first characters, never the hashes.
    """
    if actor is None or getattr(actor, "pk", None) != user.pk:
        require_administers_user(actor, user)
    tokens = _tokens(user)
    if token_key is not None:
        tokens = tokens.filter(token_key=token_key)
    if keep is not None:
        tokens = tokens.exclude(pk=keep.pk)
    keys = sorted(k[:8] for k in tokens.values_list("token_key", flat=True))
    if not keys:
        return 0
    tokens.delete()
    record(actor, "accounts.revoke_tokens", user, before={"tokens": keys})
    return len(keys)


@transaction.atomic
def set_active(actor, user, active: bool) -> None:
    """Lock (`active` False) or unlock an account. Locking also revokes every API token; the
    account's sessions end at their next request (Django refuses inactive users)."""
    require_administers_user(actor, user)
    if actor is not None and actor.pk == user.pk:
        raise ActionError(_("Bạn không thể tự khóa hoặc mở khóa tài khoản của mình."))
    if user.is_active == active:
        return
    revoked = 0
    if not active:
        revoked = _tokens(user).count()
        _tokens(user).delete()
    user.is_active = active
    user.save(update_fields=["is_active"])
    record(
        actor,
        "accounts.reactivate" if active else "accounts.deactivate",
        user,
        before={"is_active": not active},
        after={"is_active": active, "tokens_revoked": revoked},
    )


@transaction.atomic
def change_password(actor, *, old_password: str, new_password: str, keep_token=None) -> None:
    """The actor changes their own password: the current one is checked, the new one validated.

    Every API token but `keep_token` (the one the request came with, if any) is revoked.
    """
    if actor is None or not getattr(actor, "is_active", False):
        raise ActionError(_("Bạn cần đăng nhập để đổi mật khẩu."))
    if not actor.check_password(old_password or ""):
        raise ActionError(_("Mật khẩu hiện tại không đúng."), field="old_password")
    if not new_password:
        raise ActionError(_("Hãy nhập mật khẩu mới."), field="new_password")
    _validate_password(new_password, actor, field="new_password")
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    tokens = _tokens(actor)
    if keep_token is not None:
        tokens = tokens.exclude(pk=keep_token.pk)
    revoked = tokens.count()
    tokens.delete()
    record(actor, "accounts.change_password", actor, after={"tokens_revoked": revoked})


@transaction.atomic
def set_email(actor, *, email: str) -> None:
    """The actor sets (or clears) the e-mail address their notifications are sent to."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    if actor is None or not getattr(actor, "is_active", False):
        raise ActionError(_("Bạn cần đăng nhập."))
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ActionError(
                _("Địa chỉ thư điện tử không hợp lệ (ví dụ: ten@vidu.vn)."), field="email"
            ) from None
        if len(email) > actor._meta.get_field("email").max_length:
            raise ActionError(_("Địa chỉ thư điện tử quá dài."), field="email")
    if email == actor.email:
        return
    before = {"email": actor.email}
    actor.email = email
    actor.save(update_fields=["email"])
    record(actor, "accounts.set_email", actor, before=before, after={"email": email})
