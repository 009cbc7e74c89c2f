"""`{% work_count_for_menu as n %}`: the size of the work list for the menu, as last counted."""

from django import template

from trienkhai.home.todo import work_count

register = template.Library()


@register.simple_tag(takes_context=True)
def work_count_for_menu(context) -> int | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return work_count(request.session)
