"""`trienkhai worker`: django-tasks-db's database worker, or an RQ worker when RQ is the backend.

Either runs tasks until SIGTERM or SIGINT, which let the task in hand finish first, and keeps the
housekeeping django-tasks leaves to us: the daily schedule (`schedule.schedule_due`) and the
retry of tasks a killed worker left running (`stale`). The database worker does it from its
heartbeat thread, the RQ worker in its maintenance pass (every `TRIENKHAI_JOB_LEASE` seconds).

`run_pending` runs what is due now in this process, one task after another, and returns:
`trienkhai worker --once` and the tests use it.
"""

import os
import signal
import socket

from django.utils.crypto import get_random_string

from trienkhai.core.background import outbox, stale
from trienkhai.core.background.schedule import schedule_due

SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGQUIT") if hasattr(signal, name)
)


def using_rq() -> bool:
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    return not isinstance(task_backends["default"], DatabaseBackend)


def worker_id() -> str:
    """A fresh name for a worker: its host and process (for operators), and a nonce."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{get_random_string(12)}"


def _database_worker(**options):
    from django_tasks_db.management.commands.db_worker import Worker

    class DatabaseWorker(Worker):
        ran = 0

        def run_task(self, db_task_result):
            try:
                super().run_task(db_task_result)
            finally:
                self.ran += 1

    return DatabaseWorker(
        queue_names=["*"],
        backend_name="default",
        excluded_queue_names=[],
        startup_delay=False,
        **options,
    )


def _run_due_database(limit: int) -> int:
    """Claim and run due tasks like `db_worker --batch`, without its connection resets (they
    would end a caller's transaction)."""
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = _database_worker(interval=0, batch=True, max_tasks=None, worker_id=worker_id())
    stale.recover_database()
    stale.beat(worker.worker_id)
    try:
        with stale.Heartbeat(worker.worker_id):
            while worker.ran < limit:
                ready = DBTaskResult.objects.ready().filter(backend_name=worker.backend_name)
                with exclusive_transaction(ready.db):
                    claimed = ready.get_locked()
                    if claimed is not None:
                        claimed.claim(worker.worker_id)
                if claimed is None:
                    break
                worker.run_task(claimed)
    finally:
        stale.sign_off(worker.worker_id)
    return worker.ran


def run_pending(limit: int = 100) -> int:
    """Run up to `limit` tasks that are due now, in this process; returns how many ran."""
    if using_rq():
        from trienkhai.core.background import rq_worker

        return rq_worker.run(burst=True, limit=limit)
    return _run_due_database(limit)


def housekeeping() -> None:
    schedule_due()
    if not using_rq():
        stale.recover_database()


def _run_database(poll: float) -> int:
    worker = _database_worker(interval=poll, batch=False, max_tasks=None, worker_id=worker_id())
    previous = {sig: signal.getsignal(sig) for sig in SIGNALS}
    stale.beat(worker.worker_id)
    try:
        housekeeping()
        with stale.Heartbeat(worker.worker_id, tick=housekeeping):
            worker.configure_signals()
            try:
                worker.run()
            except SystemExit as exit_:  # stopped while waiting: db_worker exits at once
                if exit_.code not in (0, None):
                    raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        stale.sign_off(worker.worker_id)
    return worker.ran


def run_worker(*, once: bool = False, poll: float = 5.0, limit: int = 100) -> int:
    """Run until stopped (or one pass with `once`); returns the number of tasks run."""
    if once:
        outbox.flush()
        schedule_due()
        return run_pending(limit)
    if using_rq():
        from trienkhai.core.background import rq_worker

        return rq_worker.run(burst=False)
    return _run_database(poll)
