"""`user|can_import_units`: whether to show the unit import in the menu (administrators only)."""

from django import template

from trienkhai.units.imports.actions import can_import

register = template.Library()


@register.filter
def can_import_units(user) -> bool:
    return can_import(user)
