"""Job functions the tests enqueue: they record their calls so a test can see what ran."""

import os
import signal

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
