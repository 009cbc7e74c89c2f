"""The tasks that failed for good, from whichever backend runs them: the operators' page.

A failed result is one attempt that raised. Those that handed over to a next attempt
(`RetryScheduled`) were handled and are not listed; an abandoned RQ job that was requeued is
gone (`stale`). What remains waits for an operator to retry it (a fresh first attempt) or to
discard it.

Database: `DBTaskResult` rows. RQ: its failed-job registry, each job shown as an unsaved
`DBTaskResult` with the job's id, so the page, the actions and the change log treat both alike.
Listing RQ's failures reads every failed job (RQ has no query by task or time); they are few.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.module_loading import import_string

from trienkhai.core.background.retries import RetryScheduled, attempt_of, max_attempts_of
from trienkhai.core.background.stale import EXCEPTIONS_META
from trienkhai.core.background.worker import using_rq

RETRY_SCHEDULED = f"{RetryScheduled.__module__}.{RetryScheduled.__qualname__}"


class TaskGone(LookupError):
    """A failed result names a task the code no longer has (renamed or removed)."""


def _rq_queue():
    import django_rq
    from django_tasks_rq import Job

    return django_rq.get_queue("default", job_class=Job)


def _rq_failed(queue) -> list:
    """(job, handed over to a retry?) for every job in RQ's failed registry."""
    from django_tasks_rq import Job

    jobs = Job.fetch_many(queue.failed_job_registry.get_job_ids(), connection=queue.connection)
    return [
        (job, job.meta.get(EXCEPTIONS_META, [])[-1:] == [RETRY_SCHEDULED])
        for job in jobs
        if job is not None
    ]


def _as_result(job):
    """An RQ job as an unsaved `DBTaskResult` (read without importing the task's code)."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    results = job.results()
    error = next((r.exc_string for r in reversed(results) if r.exc_string), None)
    exceptions = job.meta.get(EXCEPTIONS_META, [])
    return DBTaskResult(
        id=job.id,
        status=TaskResultStatus.FAILED,
        task_path=job.func_name,
        args_kwargs={"args": list(job.args), "kwargs": dict(job.kwargs)},
        worker_ids=[r.worker_name for r in results],
        queue_name=job.origin,
        backend_name=job.meta.get("backend_name", "default"),
        enqueued_at=job.enqueued_at,
        started_at=job.started_at,
        finished_at=job.ended_at,
        run_after=job.enqueued_at,
        exception_class_path=exceptions[-1] if exceptions else "",
        traceback=error or job.exc_info or "",
    )


def _database_failed():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.failed().exclude(exception_class_path=RETRY_SCHEDULED)


def failed_results(task_path: str = ""):
    """Failed-for-good results, newest first, optionally of one task: a queryset (database) or
    a list (RQ) of `DBTaskResult`."""
    if using_rq():
        rows = [_as_result(job) for job, retried in _rq_failed(_rq_queue()) if not retried]
        rows = [r for r in rows if not task_path or r.task_path == task_path]
        oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
        return sorted(rows, key=lambda r: (r.finished_at or oldest, r.pk), reverse=True)
    rows = _database_failed()
    if task_path:
        rows = rows.filter(task_path=task_path)
    return rows.order_by("-finished_at", "-pk")


def failed_task_paths() -> list[str]:
    if using_rq():
        return sorted({r.task_path for r in failed_results()})
    return list(
        _database_failed().order_by("task_path").values_list("task_path", flat=True).distinct()
    )


def get_failed(result_id: str):
    """One failed-for-good result, or None."""
    if using_rq():
        queue = _rq_queue()
        if result_id not in queue.failed_job_registry:
            return None
        job = queue.fetch_job(result_id)
        retried = job is not None and job.meta.get(EXCEPTIONS_META, [])[-1:] == [RETRY_SCHEDULED]
        return None if job is None or retried else _as_result(job)
    try:
        return _database_failed().filter(pk=result_id).first()
    except ValidationError:  # not a UUID: no such result
        return None


def counts() -> dict[str, int]:
    """How many tasks wait ("queued", also those due later) and run ("running") now."""
    if using_rq():
        queue = _rq_queue()
        queued = queue.count + queue.scheduled_job_registry.count
        return {"queued": queued, "running": queue.started_job_registry.count}
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    found = DBTaskResult.objects.aggregate(
        queued=Count("pk", filter=Q(status=TaskResultStatus.READY)),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
    )
    return {"queued": found["queued"], "running": found["running"]}


def attempts(result) -> tuple[int, int | None]:
    """(which attempt it was, the most allowed; None when the task is gone)."""
    done = attempt_of(result.args_kwargs.get("kwargs", {}), result.worker_ids or [])
    try:
        return done, max_attempts_of(task_of(result))
    except TaskGone:
        return done, None


def task_of(result):
    from django_tasks.base import Task

    try:
        found = import_string(result.task_path)
    except ImportError:
        raise TaskGone(result.task_path) from None
    if not isinstance(found, Task):
        raise TaskGone(result.task_path)
    return found


def remove(result) -> bool:
    """Take a failed result away; False when it was no longer there (someone handled it)."""
    if using_rq():
        queue = _rq_queue()
        if not queue.failed_job_registry.remove(result.pk):
            return False
        job = queue.fetch_job(result.pk)
        if job is not None:
            job.delete()
        return True
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.FAILED).delete()[0] == 1
    )


def purge_retried(before: datetime.datetime) -> int:
    """RQ: delete the attempts that handed over to a retry and ended before `before` (the
    database's are purged with the other finished results; RQ expires its succeeded ones)."""
    if not using_rq():
        return 0
    queue = _rq_queue()
    gone = 0
    for job, retried in _rq_failed(queue):
        if retried and job.ended_at is not None and job.ended_at < before:
            queue.failed_job_registry.remove(job, delete_job=True)
            gone += 1
    return gone
