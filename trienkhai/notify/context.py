"""Template context: the unread badge, counted only if a template actually shows it."""

from django.utils.functional import SimpleLazyObject

from trienkhai.notify.queries import badge_label


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notify_unread": ""}
    return {"notify_unread": SimpleLazyObject(lambda: badge_label(user))}
