"""What every queue backend offers; the worker only talks to this interface."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Claimed:
    """A job taken by this worker: run it, then report `complete` or `fail`."""

    id: str
    name: str
    args: dict
    attempts: int
    max_attempts: int


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

    def claim(self, now: datetime.datetime) -> Claimed | None:
        """Take the oldest due job so that no other worker can take it too."""
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

    def recover(self, now: datetime.datetime, timeout: datetime.timedelta) -> int:
        """Queue again the jobs whose worker died while running them (older than `timeout`)."""
        raise NotImplementedError

    def counts(self) -> dict[str, int]:
        """How many jobs wait ("queued") and run ("running") now (the operators' page)."""
        raise NotImplementedError

    def info(self, job_id: str) -> dict | None:
        """State, attempts and last error of one job (for tests and operators)."""
        raise NotImplementedError
