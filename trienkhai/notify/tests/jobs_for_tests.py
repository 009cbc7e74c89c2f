"""Job functions the tests enqueue: they record their calls so a test can see what ran."""

import os
import signal
import threading

from trienkhai.core.jobs import job

CALLS: list[tuple[str, dict]] = []


@job("test.record")
def record_call(**kwargs):
    CALLS.append(("test.record", kwargs))


@job("test.boom")
def boom(**kwargs):
    CALLS.append(("test.boom", kwargs))
    raise RuntimeError("nổ: thử lỗi")


@job("test.sigterm")
def send_sigterm(**kwargs):
    """Ask our own worker to stop, as a service manager would, while this job runs."""
    CALLS.append(("test.sigterm", kwargs))
    os.kill(os.getpid(), signal.SIGTERM)


RENEWED = threading.Event()  # set by a test's wrapped `backend.renew` once the lease is renewed


@job("test.wait_renewal")
def wait_renewal(**kwargs):
    """Run until the worker's heartbeat has renewed this job's lease (at most 30 s)."""
    CALLS.append(("test.wait_renewal", {"renewed": RENEWED.wait(30)}))
