"""`user|coordinates`: whether the user decides reports somewhere (links the review queue)."""

from django import template

from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import is_global, reaches

register = template.Library()


@register.filter
def coordinates(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return is_global(user) or bool(reaches(user, Role.COORDINATOR))
