"""What every queue backend offers; the worker only talks to this interface."""

import datetime
import os
import socket
import uuid
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Claimed:
    """A job taken by this worker: run it, then report `complete` or `fail`."""

    id: str
    name: str
    args: dict
    attempts: int
    max_attempts: int
    worker: str = ""  # who holds it (host:pid:token); only that holder may renew its lease


def worker_token() -> str:
    """A fresh holder name for one claim: the host and process (for operators) and a nonce."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def lease_of(lease: datetime.timedelta | None) -> datetime.timedelta:
    return (
        lease
        if lease is not None
        else datetime.timedelta(seconds=float(settings.TRIENKHAI_JOB_LEASE))
    )


class Backend:
    def enqueue(
        self,
        name: str,
        args: dict,
        *,
        run_at: datetime.datetime,
        max_attempts: int,
        unique_key: str | None = None,
    ) -> str | None:
        """Queue a job; with `unique_key`, only the first call ever queues it (else None)."""
        raise NotImplementedError

    def claim(
        self, now: datetime.datetime, lease: datetime.timedelta | None = None
    ) -> Claimed | None:
        """Take the oldest due job so that no other worker can take it too, leased until
        `now + lease` (the `TRIENKHAI_JOB_LEASE` setting when None)."""
        raise NotImplementedError

    def renew(self, job: Claimed, until: datetime.datetime) -> bool:
        """Extend the lease of a job this worker still holds; False when it lost it."""
        raise NotImplementedError

    def complete(self, job: Claimed, now: datetime.datetime) -> None:
        raise NotImplementedError

    def fail(
        self,
        job: Claimed,
        error: str,
        now: datetime.datetime,
        retry_at: datetime.datetime | None,
    ) -> None:
        """Record the error; queue again at `retry_at`, or mark failed for good when None."""
        raise NotImplementedError

    def recover(self, now: datetime.datetime) -> int:
        """Queue again the running jobs whose lease ran out before `now`: their worker died
        (or hung) without renewing it."""
        raise NotImplementedError

    def counts(self) -> dict[str, int]:
        """How many jobs wait ("queued") and run ("running") now (the operators' page)."""
        raise NotImplementedError

    def info(self, job_id: str) -> dict | None:
        """State, attempts and last error of one job (for tests and operators)."""
        raise NotImplementedError
