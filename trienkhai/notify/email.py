"""Telling users something: in the application (an inbox row) and by e-mail.

Apps call `notify(...)` for a single message, or create notifications in bulk with
`notify.actions.create_notifications` and then `email_pending(key)` to mail those not yet mailed.
E-mail goes through Django's backend (the console in the demo, SMTP when configured); a message
is marked as mailed only after the backend accepted it, so a failed run mails it next time.

Each user's `notify.Preference` decides when and in which language: `email_pending` mails only
the users who want every message at once, each in their language (a message with a kind is
rendered again for them); the others get one mail a day with everything not mailed yet
(`send_digests`, the daily task `notify.jobs.digest`). `emailed_at` is set once a message went
out either way, so no message is ever mailed twice.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trienkhai.notify import actions
from trienkhai.notify.models import Delivery, Notification, Preference

EMAIL_BATCH = 200
DIGEST_MAX_ITEMS = 200  # newest first; the rest are in the inbox the mail links to


def _language(user) -> str:
    """The user's stored language (the site's when none is stored)."""
    pref = getattr(user, "_notify_language", None)
    if pref is None:
        row = Preference.objects.filter(user=user).values_list("language", flat=True).first()
        pref = user._notify_language = row or settings.LANGUAGE_CODE
    return pref


def _link(url: str) -> str:
    return getattr(settings, "TRIENKHAI_SITE_URL", "").rstrip("/") + url


def _message(notification: Notification, language: str | None = None) -> EmailMessage:
    with translation.override(language or _language(notification.user)):
        title, body = notification.rendered()
    if notification.url:
        link = _link(notification.url)
        body = f"{body}\n\n{link}" if body else link
    return EmailMessage(
        subject=title,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.user.email],
    )


def _wants_digest():
    return Exists(Preference.objects.filter(user_id=OuterRef("user_id"), delivery=Delivery.DIGEST))


def _languages(user_ids) -> dict[int, str]:
    return dict(Preference.objects.filter(user_id__in=user_ids).values_list("user_id", "language"))


def email_pending(key: str) -> int:
    """Mail every notification with `key` not mailed yet to users with an address who want mail
    at once; returns the count. Users who chose the daily digest get it there.

    Works in batches on the primary key, so a million digests never sit in memory at once.
    """
    pending = (
        Notification.objects.filter(key=key, emailed_at__isnull=True, user__is_active=True)
        .exclude(user__email="")
        .exclude(_wants_digest())
        .select_related("user")
        .order_by("pk")
    )
    sent, last = 0, 0
    connection = get_connection()
    while True:
        batch = list(pending.filter(pk__gt=last)[:EMAIL_BATCH])
        if not batch:
            return sent
        languages = _languages({n.user_id for n in batch})
        connection.send_messages(
            [_message(n, languages.get(n.user_id, settings.LANGUAGE_CODE)) for n in batch]
        )
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


def _digest_message(user, items: list[Notification], more: int, language: str) -> EmailMessage:
    with translation.override(language):
        subject = _("Thông báo trong ngày: %(n)s việc mới") % {"n": len(items) + more}
        lines = []
        for n in items:
            title, body = n.rendered()
            lines.append(f"- {title}")
            if n.url:
                lines.append(f"  {_link(n.url)}")
        if more:
            lines.append(_("… và %(n)s thông báo khác.") % {"n": more})
        lines += ["", _("Xem tất cả: %(link)s") % {"link": _link("/notifications/")}]
    return EmailMessage(
        subject=subject,
        body="\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )


def send_digests(now: datetime.datetime | None = None, *, days: int = 7) -> dict:
    """One mail per digest user with everything not mailed yet from the last `days` days.

    Each user's messages are marked mailed right after their mail was accepted, so a run that
    failed halfway sends the rest next time, and nothing twice.
    """
    now = now or timezone.now()
    since = now - datetime.timedelta(days=days)
    pending = Notification.objects.filter(
        emailed_at__isnull=True, created_at__gte=since, created_at__lte=now
    )
    prefs = (
        Preference.objects.filter(
            delivery=Delivery.DIGEST, user__is_active=True, user__in=pending.values("user_id")
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    connection = get_connection()
    users = mailed = 0
    for pref in prefs.iterator(chunk_size=500):
        mine = pending.filter(user_id=pref.user_id).order_by("-created_at", "-id")
        ids = list(mine.values_list("pk", flat=True))
        if not ids:
            continue
        items = list(mine[:DIGEST_MAX_ITEMS])
        message = _digest_message(pref.user, items, len(ids) - len(items), pref.language)
        connection.send_messages([message])
        mailed += actions.mark_emailed(ids, timezone.now())
        users += 1
    return {"users": users, "notifications": mailed}
