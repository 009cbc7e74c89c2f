"""Telling users something: in the application (an inbox row) and by e-mail.

Apps call `notify(...)` for a single message, or create notifications in bulk with
`notify.actions.create_notifications` and then `email_pending(key)` to mail those not yet mailed.
E-mail goes through Django's backend (the console in the demo, SMTP when configured); a message
is marked as mailed only after the backend accepted it, so a failed run mails it next time.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from trienkhai.notify import actions
from trienkhai.notify.models import Notification

EMAIL_BATCH = 200


def _message(notification: Notification) -> EmailMessage:
    body = notification.body
    if notification.url:
        link = getattr(settings, "TRIENKHAI_SITE_URL", "").rstrip("/") + notification.url
        body = f"{body}\n\n{link}" if body else link
    return EmailMessage(
        subject=notification.title,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.user.email],
    )


def email_pending(key: str) -> int:
    """Mail every notification with `key` not mailed yet to users with an address; returns count.

    Works in batches on the primary key, so a million digests never sit in memory at once.
    """
    pending = (
        Notification.objects.filter(key=key, emailed_at__isnull=True, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    sent, last = 0, 0
    connection = get_connection()
    while True:
        batch = list(pending.filter(pk__gt=last)[:EMAIL_BATCH])
        if not batch:
            return sent
        connection.send_messages([_message(n) for n in batch])
        actions.mark_emailed([n.pk for n in batch], timezone.now())
        sent += len(batch)
        last = batch[-1].pk


def notify(user, *, title: str, body: str = "", url: str = "", unit=None, email: bool = False):
    """One message to one user; with `email`, also sent by mail if the user has an address."""
    notification = actions.create_notification(
        user=user, unit=unit, title=title[:300], body=body, url=url
    )
    if email and user.email:
        get_connection().send_messages([_message(notification)])
        actions.mark_emailed([notification.pk])
    return notification
