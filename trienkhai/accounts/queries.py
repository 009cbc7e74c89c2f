"""Reads of users and grants for the administration pages, scoped to what the admin administers."""

from django.contrib.auth import get_user_model

from trienkhai.accounts.models import Grant, Role
from trienkhai.accounts.scope import is_global, unit_scope


def administered_grants(admin):
    """Grants on units that `admin` administers."""
    return Grant.objects.filter(unit_scope(admin, "unit", Role.ADMINISTRATOR)).select_related(
        "unit", "user"
    )


def administered_users(admin):
    """Users holding at least one grant the admin administers (every user for a global admin)."""
    User = get_user_model()
    if is_global(admin):
        return User.objects.order_by("username")
    return (
        User.objects.filter(grants__in=administered_grants(admin)).distinct().order_by("username")
    )


def administered_unit_by_code(admin, code: str):
    """The unit with this code if `admin` administers it, else None.

    Accounts stand below the units app, so the unit model is reached through the grant's
    foreign key rather than imported."""
    code = (code or "").strip()
    # A unit picked in the picker reads "Name (CODE)".
    if code.endswith(")") and "(" in code:
        code = code[code.rindex("(") + 1 : -1].strip()
    if not code:
        return None
    Unit = Grant._meta.get_field("unit").related_model
    return Unit.objects.filter(unit_scope(admin, "", Role.ADMINISTRATOR), code=code).first()
