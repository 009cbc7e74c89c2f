"""Background jobs: register a function by name, enqueue calls to it, let a worker run them.

    @job("tracking.daily_reminders")
    def daily_reminders(day): ...

    enqueue("tracking.daily_reminders", day="2026-03-05")
    run_pending(limit=100)          # what `trienkhai worker` does in its loop

The queue is the database by default (`notify.Job`) and Redis when
`TRIENKHAI_JOB_BACKEND=redis`; both sit behind the same small interface (`base.Backend`). A
failing job is retried with exponential backoff up to its maximum attempts, then kept as failed
with its last error. Daily jobs (`daily(...)`) are enqueued once per local day by whichever worker
first sees the hour pass, and called with that day (`day="YYYY-MM-DD"`); a unique key makes that
idempotent across workers.

A claimed job is leased (`TRIENKHAI_JOB_LEASE` seconds): while it runs, a heartbeat thread of
its worker renews the lease every third of it. A worker killed mid-job stops renewing, and the
next pass of any worker queues the job again once the lease has run out (a minute by default),
instead of leaving it "running".
"""

import datetime
import logging
import threading
import traceback

from django.conf import settings
from django.db import connection
from django.utils import timezone

from trienkhai.core.context import acting_as
from trienkhai.core.jobs import registry
from trienkhai.core.jobs.base import Backend, Claimed
from trienkhai.core.jobs.registry import UnknownJob, daily, job

__all__ = [
    "Backend",
    "Claimed",
    "Heartbeat",
    "UnknownJob",
    "backoff",
    "daily",
    "enqueue",
    "get_backend",
    "job",
    "run_pending",
    "schedule_due",
]

log = logging.getLogger("trienkhai.jobs")
MAX_BACKOFF = datetime.timedelta(hours=6)

_refused: set[str] = set()  # daily jobs already reported as unrunnable
_cached: Backend | None = None
_cached_kind: str | None = None


def get_backend() -> Backend:
    """The configured backend (built once per process, rebuilt if the setting changes)."""
    global _cached, _cached_kind
    kind = settings.TRIENKHAI_JOB_BACKEND
    if _cached is None or _cached_kind != kind:
        if kind == "redis":
            from trienkhai.core.jobs.redis_backend import RedisBackend

            _cached = RedisBackend()
        else:
            from trienkhai.core.jobs.database import DatabaseBackend

            _cached = DatabaseBackend()
        _cached_kind = kind
    return _cached


def enqueue(
    name: str,
    *,
    _run_at: datetime.datetime | None = None,
    _backend: Backend | None = None,
    **kwargs,
) -> str:
    """Queue a call of the registered job `name` with JSON-serialisable keyword arguments."""
    registry.get(name)  # refuse unknown names now, not when a worker finds them
    backend = _backend or get_backend()
    return backend.enqueue(
        name,
        kwargs,
        run_at=_run_at or timezone.now(),
        max_attempts=registry.max_attempts_for(name),
    )


def backoff(attempts: int) -> datetime.timedelta:
    """Delay before the next try after `attempts` failures: base, 2×base, 4×base … (capped)."""
    base = datetime.timedelta(seconds=int(settings.TRIENKHAI_JOB_BACKOFF))
    return min(base * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=float(settings.TRIENKHAI_JOB_LEASE))


class Heartbeat:
    """Renews a claimed job's lease from a side thread while the job runs in this one.

    The thread has its own database connection (closed when it stops). A renewal that fails
    (database busy, Redis unreachable) is tried again at the next beat; one that finds the job
    no longer held stops the beats: the job was recovered by another worker.
    """

    def __init__(self, backend: Backend, claimed: Claimed, span: datetime.timedelta):
        self.backend, self.claimed, self.span = backend, claimed, span
        self.stopped = threading.Event()
        self.beats = 0
        self.thread = threading.Thread(target=self._run, name=f"lease-{claimed.id}", daemon=True)

    def _run(self) -> None:
        try:
            while not self.stopped.wait(self.span.total_seconds() / 3):
                try:
                    held = self.backend.renew(self.claimed, timezone.now() + self.span)
                except Exception:
                    log.warning("job %s#%s: lease not renewed", self.claimed.name, self.claimed.id)
                    continue
                self.beats += 1
                if not held:
                    log.warning("job %s#%s: lease lost", self.claimed.name, self.claimed.id)
                    return
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()


def _execute(backend: Backend, claimed: Claimed, now: datetime.datetime) -> bool:
    if claimed.attempts > claimed.max_attempts:  # its worker kept dying while running it
        backend.fail(claimed, "abandoned after too many attempts", now, None)
        return False
    try:
        spec = registry.get(claimed.name)
        with acting_as(None), Heartbeat(backend, claimed, lease()):
            spec.func(**claimed.args)
    except Exception as exc:
        error = "".join(traceback.format_exception(exc))[-4000:]
        retry = not isinstance(exc, UnknownJob) and claimed.attempts < claimed.max_attempts
        retry_at = now + backoff(claimed.attempts) if retry else None
        log.warning("job %s#%s failed (attempt %s)", claimed.name, claimed.id, claimed.attempts)
        backend.fail(claimed, error, now, retry_at)
        return False
    backend.complete(claimed, now)
    return True


def run_pending(
    limit: int = 100,
    *,
    now: datetime.datetime | None = None,
    backend: Backend | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Run up to `limit` due jobs one after another; returns how many were run.

    `now` fixes the clock (tests, replays). `stop` ends the run between two jobs, never inside one.
    """
    backend = backend or get_backend()
    registry.load_modules()
    moment = now or timezone.now()
    backend.recover(moment)
    ran = 0
    while ran < limit and not (stop is not None and stop.is_set()):
        claimed = backend.claim(now or timezone.now(), lease())
        if claimed is None:
            break
        _execute(backend, claimed, now or timezone.now())
        ran += 1
    return ran


def schedule_due(
    now: datetime.datetime | None = None, *, backend: Backend | None = None
) -> list[str]:
    """Enqueue each daily job whose hour has passed today (local time), once per day.

    Safe to call from every worker on every tick: the per-day unique key lets only the first
    insert through. Returns the keys this call enqueued.
    """
    backend = backend or get_backend()
    local = timezone.localtime(now or timezone.now())
    enqueued = []
    for entry in registry.daily_jobs():
        try:
            registry.check_daily(entry)
        except (TypeError, UnknownJob):
            # Queuing it would only fail every attempt; the other daily jobs still run.
            if entry.name not in _refused:  # said once per process, not on every tick
                _refused.add(entry.name)
                log.exception("daily job %s cannot be run", entry.name)
            continue
        at = local.replace(hour=entry.hour, minute=0, second=0, microsecond=0)
        if local < at:
            continue
        key = f"daily:{entry.name}:{local.date().isoformat()}"
        made = backend.enqueue(
            entry.name,
            {"day": local.date().isoformat()},
            run_at=at,
            max_attempts=registry.max_attempts_for(entry.name),
            unique_key=key,
        )
        if made is not None:
            enqueued.append(key)
    return enqueued
