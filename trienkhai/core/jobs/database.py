"""The embedded queue: jobs are rows in `notify.Job`.

Claiming is safe with several workers. On PostgreSQL the worker locks the oldest due row with
`SELECT … FOR UPDATE SKIP LOCKED`, so concurrent workers take different rows without waiting.
SQLite has one writer at a time; there a claim is a guarded `UPDATE … WHERE state='queued'`
that affects one row for exactly one worker (another that read the same candidate gets 0 rows
and tries the next one).

A running row holds a lease (`worker`, `lease_until`) that its worker renews while the job runs;
`recover` queues again the rows whose lease ran out, so a killed worker's job is retried within
about one lease, not left "running".

These rows are the queue's own bookkeeping, not records of the domain: they are not written
to the change log. (An operator retrying or discarding a failed job is a person's act and is
logged, by `notify.actions`.) Rows with a `redis_id` only record jobs that failed in the Redis
queue; this backend never claims them (they are never queued).
"""

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q

from trienkhai.core.jobs.base import Backend, Claimed, lease_of, worker_token
from trienkhai.notify.models import Job, JobState

_CLAIM_TRIES = 20


def _claimed(job: Job, attempts: int, worker: str) -> Claimed:
    return Claimed(str(job.pk), job.name, job.args or {}, attempts, job.max_attempts, worker)


def _running(now, lease, worker) -> dict:
    return dict(
        state=JobState.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        worker=worker,
        lease_until=now + lease_of(lease),
    )


class DatabaseBackend(Backend):
    def enqueue(self, name, args, *, run_at, max_attempts, unique_key=None):
        fields = dict(name=name, args=args, run_at=run_at, max_attempts=max_attempts)
        if unique_key is None:
            return str(Job.objects.create(**fields).pk)
        if Job.objects.filter(unique_key=unique_key).exists():
            return None
        try:
            with transaction.atomic():
                return str(Job.objects.create(unique_key=unique_key, **fields).pk)
        except IntegrityError:  # another worker inserted it between our check and insert
            return None

    def _due(self, now):
        return Job.objects.filter(state=JobState.QUEUED, run_at__lte=now).order_by("run_at", "pk")

    def claim(self, now, lease=None):
        if connection.vendor == "postgresql":
            return self.claim_locked(now, lease)
        return self.claim_guarded(now, lease)

    def claim_locked(self, now, lease=None):
        """PostgreSQL: lock the oldest due row nobody else holds, mark it running."""
        with transaction.atomic():
            job = self._due(now).select_for_update(skip_locked=True).first()
            if job is None:
                return None
            worker = worker_token()
            Job.objects.filter(pk=job.pk).update(**_running(now, lease, worker))
            return _claimed(job, job.attempts + 1, worker)

    def claim_guarded(self, now, lease=None):
        """Any engine: read a candidate, take it only if it is still queued, else try again."""
        for _ in range(_CLAIM_TRIES):
            job = self._due(now).first()
            if job is None:
                return None
            worker = worker_token()
            if self.take(job.pk, now, lease, worker):
                return _claimed(job, job.attempts + 1, worker)
        return None

    def take(self, pk, now, lease=None, worker="") -> bool:
        """The guarded single-row claim: true for exactly one caller per queued job."""
        taken = Job.objects.filter(pk=pk, state=JobState.QUEUED).update(
            **_running(now, lease, worker)
        )
        return taken == 1

    def renew(self, job, until):
        return (
            Job.objects.filter(pk=job.id, state=JobState.RUNNING, worker=job.worker).update(
                lease_until=until
            )
            == 1
        )

    def complete(self, job, now):
        Job.objects.filter(pk=job.id).update(state=JobState.DONE, finished_at=now, lease_until=None)

    def fail(self, job, error, now, retry_at):
        if retry_at is None:
            Job.objects.filter(pk=job.id).update(
                state=JobState.FAILED, last_error=error, finished_at=now, lease_until=None
            )
        else:
            Job.objects.filter(pk=job.id).update(
                state=JobState.QUEUED, last_error=error, run_at=retry_at, lease_until=None
            )

    def recover(self, now) -> int:
        # No lease at all: claimed before leases existed; its worker is long gone.
        lapsed = Q(lease_until__lt=now) | Q(lease_until__isnull=True)
        return (
            Job.objects.filter(state=JobState.RUNNING)
            .filter(lapsed)
            .update(state=JobState.QUEUED, run_at=now, worker="", lease_until=None)
        )

    def counts(self):
        rows = (
            Job.objects.filter(state__in=(JobState.QUEUED, JobState.RUNNING), redis_id="")
            .values("state")
            .annotate(n=Count("pk"))
            .order_by()
        )
        found = {row["state"]: row["n"] for row in rows}
        return {"queued": found.get(JobState.QUEUED, 0), "running": found.get(JobState.RUNNING, 0)}

    def info(self, job_id):
        row = (
            Job.objects.filter(pk=job_id)
            .values("name", "args", "state", "attempts", "last_error", "run_at")
            .first()
        )
        return row
