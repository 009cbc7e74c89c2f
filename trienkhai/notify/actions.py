"""Writes to inboxes and to the task queue: digests created by tasks, users marking what they
have read, operators retrying or discarding failed tasks, and the daily purge.

What goes to the change log: an operator retrying or discarding a failed task, like every other
change of the records. Marking messages read does not: it is the reader's own inbox state
(`read_at`), not a change of anything others rely on. Writes the system makes in bulk on
operational rows do not either: digests are created one per user per key and the reminder task
reports its counts; the purge (`purge_old`) reports its counts the same way, to the caller and to
the `trienkhai.jobs` log.
"""

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts.scope import is_global
from trienkhai.core.actions import ActionError, PermissionRefused, record, snapshot
from trienkhai.core.background import failed
from trienkhai.core.background.retries import enqueue_attempt
from trienkhai.core.models import DailyRun
from trienkhai.notify.models import Notification

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
    """Failed tasks are site-wide (their arguments may name any unit): system administrators
    only."""
    if actor is None:
        return
    if not is_global(actor):
        raise PermissionRefused(_("Chỉ quản trị hệ thống được xử lý công việc nền."))


def _gone() -> ActionError:
    return ActionError(_("Công việc này không còn ở trạng thái thất bại (đã có người xử lý)."))


def retry_job(actor, result) -> str:
    """Enqueue a failed task again as a fresh first attempt, and take the failed result away.

    `result` comes from `core.background.failed` (a `DBTaskResult`, saved or standing for an RQ
    job). Returns the id of the queued task; the change log keeps what the failed one was.
    """
    require_operator(actor)
    try:
        task = failed.task_of(result)
    except failed.TaskGone:
        raise ActionError(
            _("Phần mềm không còn công việc “%(name)s”: chỉ có thể huỷ bỏ.")
            % {"name": result.task_path}
        ) from None
    call = result.args_kwargs or {}
    with transaction.atomic():
        before = snapshot(result)
        if not failed.remove(result):
            raise _gone()
        queued = enqueue_attempt(task, call.get("args", []), call.get("kwargs", {}), 1)
        record(
            actor,
            "notify.job_retry",
            result,
            before=before,
            after={"state": "queued", "queued_as": queued.id},
        )
    return queued.id


def discard_job(actor, result) -> None:
    """Give up on a failed task: its result goes; the change log keeps what it was."""
    require_operator(actor)
    with transaction.atomic():
        before = snapshot(result)
        if not failed.remove(result):
            raise _gone()
        record(actor, "notify.job_discard", result, before=before, after=None)


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
    """Delete old finished task results and old notifications; returns what was deleted.

    Succeeded task results go after `TRIENKHAI_KEEP_DONE_JOBS_DAYS` (counted from when they
    finished), and so do the failed attempts that handed over to a retry (they were handled),
    and the days' records of the daily schedule; notifications after
    `TRIENKHAI_KEEP_READ_NOTIFICATIONS_DAYS` once read, and after the longer
    `TRIENKHAI_KEEP_UNREAD_NOTIFICATIONS_DAYS` if never read (counted from their creation).
    Tasks failed for good are never purged: they wait for an operator to retry or discard them;
    ready and running ones are live. With RQ, Redis expires succeeded results by itself (after
    the same number of days, `core.background.rq_worker`) and the handled attempts are deleted
    here.

    Run by the system only (the daily task `notify.jobs.purge`). No change-log entry: the
    queue's results are bookkeeping that the log never recorded, and system bulk writes on
    operational rows report counts (as the reminder task does), so the purge returns its counts
    and writes them to the `trienkhai.jobs` log, once per run.
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    batch = batch or PURGE_BATCH
    days = retention()

    def before(n: int) -> datetime.datetime:
        return now - datetime.timedelta(days=n)

    finished = Q(status=TaskResultStatus.SUCCESSFUL) | Q(
        status=TaskResultStatus.FAILED, exception_class_path=failed.RETRY_SCHEDULED
    )
    counts = {
        "jobs": _delete_in_batches(
            DBTaskResult.objects.filter(finished, finished_at__lt=before(days["jobs"])), batch
        )
        + failed.purge_retried(before(days["jobs"])),
        "daily": _delete_in_batches(
            DailyRun.objects.filter(
                day__lt=timezone.localdate(now) - datetime.timedelta(days=days["jobs"])
            ),
            batch,
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
    log.info(
        "purge: %(jobs)s task results, %(daily)s daily records, %(read)s read and %(unread)s"
        " unread notifications",
        counts,
    )
    return counts
