"""Queued background jobs (the embedded database backend) and in-application notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Thất bại")


class Job(models.Model):
    """One call of a registered job function, claimed by exactly one worker.

    `unique_key` makes scheduled enqueues idempotent across workers: the daily reminder for a
    given day can be inserted only once, whoever tries first.
    """

    name = models.CharField(max_length=100)
    args = models.JSONField(default=dict, blank=True)
    run_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=5)
    last_error = models.TextField(blank=True)
    unique_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # While running: the worker that holds the job and until when. The worker renews the lease
    # while the job runs; a job whose lease ran out lost its worker and is queued again.
    worker = models.CharField(max_length=200, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Set when the row only records a job that failed for good in the Redis queue (its id
    # there), so that the operators' page lists failed jobs whichever backend ran them.
    redis_id = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "run_at"], name="job_due"),
            models.Index(fields=["state", "finished_at"], name="job_finished"),
            models.Index(fields=["state", "lease_until"], name="job_lease"),
        ]

    def __str__(self):
        return f"{self.name}#{self.pk} {self.state}"


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
