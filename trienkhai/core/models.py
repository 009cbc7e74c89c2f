"""The append-only change log every action writes to."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """Raised when code tries to edit or delete a change-log entry."""


class ChangeLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The change log is append-only.")

    def delete(self):
        raise AppendOnlyError("The change log is append-only.")


class ChangeLogEntry(models.Model):
    """One write: who, when, under which request, to what, for which unit, before and after."""

    time = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user_name = models.CharField(_("người thực hiện"), max_length=150, blank=True)
    request_id = models.CharField(_("mã yêu cầu"), max_length=32, db_index=True)
    action = models.CharField(_("thao tác"), max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("đối tượng"), max_length=300)
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    objects = ChangeLogQuerySet.as_manager()

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-time"])]
        verbose_name = _("nhật ký thay đổi")

    def __str__(self):
        return f"{self.time:%d/%m/%Y %H:%M} {self.user_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The change log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The change log is append-only.")

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class DailyRun(models.Model):
    """A daily task enqueued for one local day: the unique (task, day) lets only the first of
    several workers enqueue it, whichever backend runs it."""

    task_path = models.CharField(max_length=200)
    day = models.DateField()
    result_id = models.CharField(max_length=64, blank=True)
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task_path", "day"], name="daily_run_once_per_day")
        ]
        indexes = [models.Index(fields=["day"], name="daily_run_day")]

    def __str__(self):
        return f"{self.task_path} {self.day}"


class TaskWorker(models.Model):
    """A running database worker (`trienkhai worker`), as its heartbeat last said.

    django-tasks-db marks a claimed task "running" and nothing more: the task of a worker that
    was killed would stay so. Each worker renews `seen_at` from a side thread, also while a task
    runs; the running tasks of a worker silent for longer than `TRIENKHAI_JOB_LEASE` are queued
    again (`core.background.stale`).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["seen_at"], name="task_worker_seen")]

    def __str__(self):
        return self.worker_id


class AreaVersion(models.Model):
    """The current token of one area of data (core/versions.py): a write gives it a new one,
    and the panels kept in the cache under the old token are no longer found."""

    area = models.CharField(max_length=40, primary_key=True)
    token = models.CharField(max_length=16)

    def __str__(self):
        return f"{self.area}: {self.token}"


class Outbox(models.Model):
    """A task the queue could not take (Redis down): kept here, in the database the action
    committed to, and handed to the queue again by the next worker pass (core/background/
    outbox.py), so a task is late, never lost."""

    task_path = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.task_path
