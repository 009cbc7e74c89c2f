"""`{% menu_current "/tracking/" %}`: marks the menu entry of the section the page belongs to.

It writes ` aria-current="page"` on the section's own page and ` aria-current="true"` below it, so
screen readers announce where the person is and the stylesheet underlines the entry. Paths
listed after the prefix belong to another entry (`{% menu_current "/units/" "/units/import/" %}`).
"""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_current(context, prefix: str, *elsewhere: str) -> str:
    request = context.get("request")
    path = getattr(request, "path", "")
    if not path.startswith(prefix) or any(path.startswith(other) for other in elsewhere):
        return ""
    # Constant markup, nothing from the request: safe to mark.
    return mark_safe(' aria-current="page"' if path == prefix else ' aria-current="true"')  # noqa: S308
