"""Tasks the tests enqueue: they record their calls so a test can see what ran."""

import os
import signal
import threading
import time

from trienkhai.core.background import job

CALLS: list[tuple[str, dict]] = []


@job()
def record_call(**kwargs):
    CALLS.append(("record", kwargs))


@job()
def boom(**kwargs):
    CALLS.append(("boom", kwargs))
    raise RuntimeError("nổ: thử lỗi")


@job()
def send_sigterm(**kwargs):
    """Ask our own worker to stop, as a service manager would, while this task runs."""
    CALLS.append(("sigterm", kwargs))
    os.kill(os.getpid(), signal.SIGTERM)


BEATEN = threading.Event()  # set by a test's wrapped `stale.beat` once its worker has beaten


@job()
def wait_for_heartbeat(**kwargs):
    """Run until the worker's heartbeat thread has beaten while this task runs (at most 30 s)."""
    CALLS.append(("wait_for_heartbeat", {"beaten": BEATEN.wait(30)}))


@job()
def hang_once(marker: str):
    """The first time, say so in the file `marker` and run for a minute (long enough for a test
    to kill the worker running it); after that, return at once."""
    if os.path.exists(marker):
        CALLS.append(("hang_once", {"marker": marker, "again": True}))
        return
    with open(marker, "w") as f:
        f.write(str(os.getpid()))
    time.sleep(60)


@job()
def touch(path: str):
    """Create the file `path`: a trace a worker in another process leaves."""
    with open(path, "w") as f:
        f.write(str(os.getpid()))


class FailingEmailBackend:
    """An SMTP server that is down: every send raises, as `smtplib` would."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("máy chủ thư không trả lời")
