"""Writes to inboxes: digests created by jobs, and users marking what they have read.

Reading is the user's own act on their own inbox and goes to the change log like every other
write. Digests are created by the system in bulk (one per user per key); the reminder job that
creates them reports its counts instead of one log row per message.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.core.actions import ActionError, record
from trienkhai.notify.models import Notification


def create_notifications(rows: Iterable[dict]) -> int:
    """Insert notifications (dicts of model fields); a (user, key) already present is skipped."""
    objs = [Notification(**row) for row in rows]
    if not objs:
        return 0
    with transaction.atomic():
        Notification.objects.bulk_create(objs, batch_size=500, ignore_conflicts=True)
    return len(objs)


def create_notification(**fields) -> Notification:
    """One message (no idempotency key): e.g. "your report was returned"."""
    return Notification.objects.create(**fields)


def mark_emailed(ids: list[int], when=None) -> int:
    return Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(
        emailed_at=when or timezone.now()
    )


def mark_read(actor, notification: Notification) -> Notification:
    if notification.user_id != getattr(actor, "pk", None):
        raise ActionError(_("Bạn chỉ có thể đánh dấu thông báo của chính mình."))
    if notification.read_at is not None:
        return notification
    with transaction.atomic():
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk).update(read_at=notification.read_at)
        record(
            actor,
            "notify.read",
            notification,
            unit=notification.unit,
            before={"read_at": None},
            after={"read_at": notification.read_at.isoformat()},
        )
    return notification


def mark_all_read(actor) -> int:
    if not getattr(actor, "is_authenticated", False):
        raise ActionError(_("Bạn cần đăng nhập."))
    with transaction.atomic():
        now = timezone.now()
        count = Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=now)
        if count:
            record(actor, "notify.read_all", actor, after={"count": count})
    return count
