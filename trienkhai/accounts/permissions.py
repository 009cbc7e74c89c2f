"""Write permission checks shared by every action."""

from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import is_global, reaches, reaches_unit
from trienkhai.core.actions import PermissionRefused


def require(actor, role: str, unit) -> None:
    """Refuse unless `actor` holds `role` (or a role that implies it) over `unit`.

    `actor` None is the system itself (management commands, the demo loader, jobs).
    """
    if actor is None:
        return
    if not getattr(actor, "is_active", False) or not reaches_unit(actor, unit, role):
        raise PermissionRefused(
            _("Bạn không có quyền thực hiện thao tác này tại đơn vị “%(unit)s”.")
            % {"unit": unit.name}
        )


def administers_someone(user) -> bool:
    """Whether `user` holds an administrator grant anywhere (or is global): who may open the
    user administration or the unit import, each still checked unit by unit."""
    return is_global(user) or bool(reaches(user, Role.ADMINISTRATOR))
