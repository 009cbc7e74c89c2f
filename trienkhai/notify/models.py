"""In-application notifications, and the bookkeeping of background tasks beside django-tasks.

The tasks themselves are django-tasks results (the database backend's `DBTaskResult`, or RQ's
jobs in Redis); what it does not keep is here: which daily task was enqueued for which day, and
which database workers are alive.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in a user's inbox; `key` makes a daily digest idempotent per user.

    A message with a `kind` is rendered when it is read, in the reader's language, from its
    `params` (see `notify.messages`); `title` and `body` hold its text in the site's language,
    written when it was created, for the e-mail and as the fallback for rows without a kind
    (older messages, or a kind whose renderer is gone).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    key = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=64, blank=True)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=~Q(key=""), name="notification_once_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notif_unread"),
            models.Index(fields=["user", "-created_at"], name="notif_inbox"),
            models.Index(fields=["key", "emailed_at"], name="notif_key_mail"),
            models.Index(fields=["created_at", "read_at"], name="notif_age"),
        ]
        verbose_name = _("thông báo")

    def __str__(self):
        return self.title

    def rendered(self) -> tuple[str, str]:
        """(title, body) in the active language; the stored text when there is no renderer."""
        from trienkhai.notify.messages import render

        return render(self)

    @property
    def display_title(self) -> str:
        return self.rendered()[0]

    @property
    def display_body(self) -> str:
        return self.rendered()[1]


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("Gửi ngay từng thông báo")
    DIGEST = "digest", _("Gửi một thư tổng hợp mỗi ngày")


class Preference(models.Model):
    """How a user wants to be told by e-mail, and in which language (mail and, when the browser
    chose none, the interface). A user without a row gets every message at once, in the site's
    language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notify_preference",
    )
    delivery = models.CharField(
        _("nhận thư điện tử"),
        max_length=16,
        choices=Delivery.choices,
        default=Delivery.IMMEDIATE,
    )
    language = models.CharField(
        _("ngôn ngữ"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("tuỳ chọn thông báo")

    def __str__(self):
        return f"{self.user_id} {self.delivery} {self.language}"
