"""The RQ worker behind `trienkhai worker` when RQ is the backend (`TRIENKHAI_TASKS=rq`).

RQ's worker with django-tasks-rq's job class, its scheduler (tasks due later wait in RQ's
scheduled registry) and a maintenance pass every `TRIENKHAI_JOB_LEASE` seconds, which after RQ's
own registry cleanup enqueues the daily tasks that are due and requeues the jobs of killed
workers (`stale.requeue_abandoned`). Succeeded results stay `TRIENKHAI_KEEP_DONE_JOBS_DAYS`
(RQ expires them; the database backend's are purged by `notify.purge`).

The long-running worker forks a process per task, as RQ does, and closes its database
connections before each fork (a forked child must not share them). `run(burst=True)` runs the
due tasks in this process (`SimpleWorker`), for `--once` and the tests.
"""

import signal

import django_rq
from django.conf import settings
from django.db import connections
from django_tasks_rq import Job
from rq import SimpleWorker, Worker

from trienkhai.core.background import outbox, stale
from trienkhai.core.background.schedule import schedule_due


class Housekeeping:
    """What an RQ worker does here beyond RQ's own work; counts the tasks it ran (`ran`)."""

    schedules = True  # enqueue due daily tasks in the maintenance pass
    ran = 0

    @property
    def dequeue_timeout(self) -> int:
        # Wake up for maintenance at least every maintenance interval, even when idle.
        return max(1, min(super().dequeue_timeout, int(self.maintenance_interval)))

    def clean_registries(self):
        super().clean_registries()
        stale.requeue_abandoned(self.queues)

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        outbox.flush()
        if self.schedules:
            schedule_due()

    def execute_job(self, job, queue):
        try:
            return super().execute_job(job, queue)
        finally:
            self.ran += 1


class ForkingWorker(Housekeeping, Worker):
    def execute_job(self, job, queue):
        connections.close_all()
        return super().execute_job(job, queue)

    def subscribe(self):
        """RQ's channel for remote commands, read in one-second waits rather than RQ's minute:
        stopping waits for the reading thread, and SIGTERM should stop the worker promptly."""
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=1, daemon=True, exception_handler=self._pubsub_exception_handler
        )


class InProcessWorker(Housekeeping, SimpleWorker):
    schedules = False

    def subscribe(self):
        """No channel for remote commands: this worker stops when nothing is due. (Closing the
        channel can also wait for its listening thread's minute-long read.)"""


def run(*, burst: bool, limit: int | None = None) -> int:
    """Work on the default queue until stopped, or (`burst`) until nothing is due; returns how
    many tasks ran."""
    queue = django_rq.get_queue("default", job_class=Job)
    worker_class = InProcessWorker if burst else ForkingWorker
    worker = worker_class(
        [queue],
        connection=queue.connection,
        job_class=Job,
        maintenance_interval=max(1, int(settings.TRIENKHAI_JOB_LEASE)),
        default_result_ttl=max(1, int(settings.TRIENKHAI_KEEP_DONE_JOBS_DAYS)) * 24 * 3600,
    )
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        worker.work(burst=burst, with_scheduler=True, max_jobs=limit, logging_level="WARNING")
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return worker.ran
