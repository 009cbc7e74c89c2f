"""The tasks a killed worker left running are run again.

Database: django-tasks-db marks a claimed task RUNNING and nothing more, so a killed worker's
task would stay so. Each `trienkhai worker` keeps a `notify.TaskWorker` row whose `seen_at` a
side thread renews every third of `TRIENKHAI_JOB_LEASE` (`Heartbeat`), also while a task runs.
`recover_database` puts the running tasks of workers silent for longer than the lease back to
READY and drops those workers' rows; the next claim of such a task counts as a further attempt
(`retries`). Tasks claimed by a worker that never announced itself (a bare `db_worker`) are
left alone: nothing says whether it is alive.

RQ: RQ's own worker heartbeat lapses, and its registry cleanup moves the job to the failed
registry with `AbandonedJobError`; `requeue_abandoned` enqueues the next attempt of each such
job (while attempts remain) and removes the abandoned entry.
"""

import datetime
import logging
import threading

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import connection
from django.utils import timezone

log = logging.getLogger("trienkhai.jobs")

EXCEPTIONS_META = "_django_tasks_rq_exceptions"  # where django-tasks-rq keeps exception paths
ABANDONED = "rq.exceptions.AbandonedJobError"


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=float(settings.TRIENKHAI_JOB_LEASE))


def beat(worker_id: str, now: datetime.datetime | None = None) -> None:
    """Say that `worker_id` is alive now (and register it the first time)."""
    from trienkhai.core.models import TaskWorker

    now = now or timezone.now()
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now},
        create_defaults={"started_at": now, "seen_at": now},
    )


def sign_off(worker_id: str) -> None:
    from trienkhai.core.models import TaskWorker

    TaskWorker.objects.filter(worker_id=worker_id).delete()


def recover_database(now: datetime.datetime | None = None) -> int:
    """Queue again the running tasks of silent workers; returns how many."""
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from trienkhai.core.models import TaskWorker

    cutoff = (now or timezone.now()) - lease()
    silent = set(TaskWorker.objects.filter(seen_at__lt=cutoff).values_list("worker_id", flat=True))
    if not silent:
        return 0
    recovered = 0
    for row in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        if row.worker_ids and row.worker_ids[-1] in silent:
            # Guarded by the claim's start: a task claimed again meanwhile is left alone.
            recovered += DBTaskResult.objects.filter(
                pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at
            ).update(status=TaskResultStatus.READY)
            log.warning(
                "task %s: its worker %s went silent, queued again", row.pk, row.worker_ids[-1]
            )
    TaskWorker.objects.filter(worker_id__in=silent, seen_at__lt=cutoff).delete()
    return recovered


class Heartbeat:
    """Beats for a worker from a side thread every third of the lease, then runs `tick` (the
    worker's housekeeping). The thread has its own database connection, closed when it stops; a
    beat or tick that fails (database busy) is tried again at the next one."""

    def __init__(self, worker_id: str, tick=None):
        self.worker_id, self.tick = worker_id, tick
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"beat-{worker_id}", daemon=True)

    def _run(self) -> None:
        try:
            while not self.stopped.wait(lease().total_seconds() / 3):
                try:
                    beat(self.worker_id)
                    if self.tick is not None:
                        self.tick()
                except Exception:
                    log.warning("worker %s: heartbeat failed", self.worker_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout=lease().total_seconds())


def requeue_abandoned(queues) -> int:
    """RQ: enqueue the next attempt of each job abandoned by a dead worker; returns how many."""
    from django_tasks_rq import Job

    from trienkhai.core.background.retries import attempt_of, enqueue_attempt, max_attempts_of

    requeued = 0
    for queue in queues:
        registry = queue.failed_job_registry
        ids = registry.get_job_ids()
        for job in Job.fetch_many(ids, connection=queue.connection):
            if job is None or job.meta.get(EXCEPTIONS_META, [])[-1:] != [ABANDONED]:
                continue
            try:
                result = job.task_result
            except (ImportError, SuspiciousOperation):  # its code is gone: it stays failed
                log.warning("task %s: abandoned, and its code is gone", job.id)
                continue
            attempt = attempt_of(result.kwargs, [])
            if attempt >= max_attempts_of(result.task):
                continue  # failed for good
            if not registry.remove(job):  # another worker took it first
                continue
            queued = enqueue_attempt(result.task, result.args, result.kwargs, attempt + 1)
            job.delete()
            log.warning("task %s: abandoned by its worker, queued again as %s", job.id, queued.id)
            requeued += 1
    return requeued
