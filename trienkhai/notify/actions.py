"""Writes to inboxes and to the job queue's rows: digests created by jobs, users marking what
they have read, operators retrying or discarding failed jobs, and the daily purge.

What goes to the change log: an operator retrying or discarding a failed job, like every other
change of the records. Marking messages read does not: it is the reader's own inbox state
(`read_at`), not a change of anything others rely on. Writes the system makes in bulk on
operational rows do not either: digests are created one per user per key and the reminder job
reports its counts; the purge (`purge_old`) reports its counts the same way, to the caller and to
the `trienkhai.jobs` log.
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts.permissions import PermissionRefused
from trienkhai.accounts.scope import is_global
from trienkhai.core.actions import ActionError, record, snapshot
from trienkhai.notify.models import Job, JobState, Notification

log = logging.getLogger("trienkhai.jobs")
PURGE_BATCH = 5000


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
    notification.read_at = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(read_at=notification.read_at)
    return notification


def mark_all_read(actor) -> int:
    if not getattr(actor, "is_authenticated", False):
        raise ActionError(_("Bạn cần đăng nhập."))
    now = timezone.now()
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=now)


# --- failed jobs (operators) -------------------------------------------------------------------


def require_operator(actor) -> None:
    """Failed jobs are site-wide (their arguments may name any unit): system administrators only."""
    if actor is None:
        return
    if not is_global(actor):
        raise PermissionRefused(_("Chỉ quản trị hệ thống được xử lý công việc nền."))


def _gone() -> ActionError:
    return ActionError(_("Công việc này không còn ở trạng thái thất bại (đã có người xử lý)."))


def retry_job(actor, job: Job, *, backend=None) -> str:
    """Put a failed job back in the queue, due now, with its attempts counted from zero.

    A row of the database queue goes back to "queued" in place (same id, its last error kept
    for reference) when the database is the configured backend. A row that only records a job
    failed in Redis (or any row while Redis is configured) is removed and a fresh job with the
    same name and arguments is queued in the configured backend. Returns the queued job's id.
    """
    from trienkhai.core import jobs
    from trienkhai.core.jobs import registry
    from trienkhai.core.jobs.database import DatabaseBackend

    require_operator(actor)
    try:
        registry.get(job.name)
    except registry.UnknownJob:
        raise ActionError(
            _("Phần mềm không còn công việc “%(name)s”: chỉ có thể huỷ bỏ.") % {"name": job.name}
        ) from None
    backend = backend or jobs.get_backend()
    now = timezone.now()
    with transaction.atomic():
        before = snapshot(job)
        failed = Job.objects.filter(pk=job.pk, state=JobState.FAILED)
        if not job.redis_id and isinstance(backend, DatabaseBackend):
            if (
                failed.update(
                    state=JobState.QUEUED, attempts=0, run_at=now, started_at=None, finished_at=None
                )
                != 1
            ):
                raise _gone()
            queued_as = str(job.pk)
        else:
            if failed.delete()[0] != 1:
                raise _gone()
            queued_as = backend.enqueue(
                job.name,
                job.args or {},
                run_at=now,
                max_attempts=registry.max_attempts_for(job.name),
            )
        record(
            actor,
            "notify.job_retry",
            job,
            before=before,
            after={"state": JobState.QUEUED, "queued_as": queued_as},
        )
    return queued_as


def discard_job(actor, job: Job) -> None:
    """Give up on a failed job: its row goes; the change log keeps what it was."""
    require_operator(actor)
    with transaction.atomic():
        before = snapshot(job)
        if Job.objects.filter(pk=job.pk, state=JobState.FAILED).delete()[0] != 1:
            raise _gone()
        record(actor, "notify.job_discard", job, before=before, after=None)


# --- the daily purge ---------------------------------------------------------------------------


def retention() -> dict[str, int]:
    """Days kept, from settings (at least one day, and unread at least as long as read)."""
    done = int(getattr(settings, "TRIENKHAI_KEEP_DONE_JOBS_DAYS", 30))
    read = int(getattr(settings, "TRIENKHAI_KEEP_READ_NOTIFICATIONS_DAYS", 90))
    unread = int(getattr(settings, "TRIENKHAI_KEEP_UNREAD_NOTIFICATIONS_DAYS", 365))
    done, read = max(done, 1), max(read, 1)
    return {"jobs": done, "read": read, "unread": max(unread, read)}


def _delete_in_batches(queryset, batch: int) -> int:
    """DELETE … WHERE pk IN (SELECT pk … LIMIT batch), one short transaction per batch."""
    model = queryset.model
    total = 0
    while True:
        with transaction.atomic():
            chunk = queryset.order_by().values("pk")[:batch]
            deleted, _by_model = model.objects.filter(pk__in=chunk).delete()
        total += deleted
        if deleted < batch:
            return total


def purge_old(now: datetime.datetime | None = None, *, batch: int | None = None) -> dict:
    """Delete succeeded jobs and old notifications; returns what was deleted.

    Succeeded jobs go after `TRIENKHAI_KEEP_DONE_JOBS_DAYS` (counted from when they finished);
    notifications after `TRIENKHAI_KEEP_READ_NOTIFICATIONS_DAYS` once read, and after the longer
    `TRIENKHAI_KEEP_UNREAD_NOTIFICATIONS_DAYS` if never read (counted from their creation).
    Failed jobs are never purged: they wait for an operator to retry or discard them; queued
    and running ones are live.

    Run by the system only (the daily job `notify.purge`). No change-log entry: the queue's rows
    are bookkeeping that the log never recorded (see core/jobs/database.py), and system bulk
    writes on operational rows report counts (as the reminder job does), so the purge returns
    its counts and writes them to the `trienkhai.jobs` log, once per run.
    """
    now = now or timezone.now()
    batch = batch or PURGE_BATCH
    days = retention()

    def before(n: int) -> datetime.datetime:
        return now - datetime.timedelta(days=n)

    counts = {
        "jobs": _delete_in_batches(
            Job.objects.filter(state=JobState.DONE, finished_at__lt=before(days["jobs"])), batch
        ),
        "read": _delete_in_batches(
            Notification.objects.filter(read_at__isnull=False, created_at__lt=before(days["read"])),
            batch,
        ),
        "unread": _delete_in_batches(
            Notification.objects.filter(
                read_at__isnull=True, created_at__lt=before(days["unread"])
            ),
            batch,
        ),
    }
    log.info("purge: %(jobs)s jobs, %(read)s read and %(unread)s unread notifications", counts)
    return counts
