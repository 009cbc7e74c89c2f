"""The loop behind `trienkhai worker`: schedule what is due, run pending jobs, sleep, repeat.

SIGTERM and SIGINT set a stop flag: the job in hand finishes, then the loop exits, so a
service manager can stop a worker without losing or half-running a job.
"""

import signal
import threading

from django.db import close_old_connections, connection

from trienkhai.core.jobs import run_pending, schedule_due


def _fresh_connection() -> None:
    """Drop a broken or expired connection between passes (not inside a caller's transaction)."""
    if not connection.in_atomic_block:
        close_old_connections()


def run_worker(
    *, once: bool = False, poll: float = 5.0, limit: int = 100, stop: threading.Event | None = None
) -> int:
    """Run until stopped (or one pass with `once`); returns the number of jobs run."""
    stop = stop or threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous[sig] = signal.signal(sig, lambda signum, frame: stop.set())
    ran = 0
    try:
        while not stop.is_set():
            _fresh_connection()
            schedule_due()
            ran += run_pending(limit, stop=stop)
            if once:
                break
            stop.wait(poll)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _fresh_connection()
    return ran
