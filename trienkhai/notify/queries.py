"""Reads of a user's own inbox: a notification belongs to one user and is seen by that user only."""

from trienkhai.notify.models import Notification

BADGE_CAP = 99


def inbox(user):
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).select_related("unit")


def badge_label(user) -> str:
    """ "" when nothing is unread, else the count ("99+" beyond the cap): one capped COUNT."""
    n = inbox(user).filter(read_at__isnull=True)[: BADGE_CAP + 1].count()
    if n == 0:
        return ""
    return f"{BADGE_CAP}+" if n > BADGE_CAP else str(n)
