"""The queue as the worker drives it: every registered daily job, scheduled and run through
`schedule_due` + `run_pending` on both backends, and the lease that gets a killed worker's job
retried within a minute. Redis must be reachable (CI runs it): these tests fail, never skip.
"""

import datetime
import os
import uuid

import pytest
from django.utils import timezone

from trienkhai.core import jobs
from trienkhai.core.jobs import registry
from trienkhai.core.jobs.database import DatabaseBackend
from trienkhai.core.jobs.redis_backend import RedisBackend
from trienkhai.notify.models import Job, JobState
from trienkhai.notify.tests import jobs_for_tests
from trienkhai.tracking import recurrence
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.models import Assignment
from trienkhai.tracking.tests.test_actions import central_plan, one_off

URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
T0 = datetime.datetime(2026, 3, 10, 1, 0, tzinfo=datetime.UTC)
D = datetime.date


def _redis():
    backend = RedisBackend(URL, prefix=f"trienkhai-test:{uuid.uuid4().hex}:")
    assert backend.client.ping()  # no Redis: fail here, loudly
    return backend


@pytest.fixture(params=["database", "redis"])
def backend(request):
    if request.param == "database":
        yield DatabaseBackend()
        return
    backend = _redis()
    yield backend
    keys = list(backend.client.scan_iter(match=backend.prefix + "*"))
    if keys:
        backend.client.delete(*keys)


def _state(backend, job_id) -> str:
    return backend.info(job_id)["state"]


def test_every_registered_daily_job_succeeds_when_the_worker_runs_it(tree, backend):
    """What the worker does each tick: schedule the day's jobs, then run what is due."""
    plan = central_plan(tree)
    yearly = one_off(plan, "hằng năm từ 2022", horizon=D(2022, 12, 31))
    assign_actions.assign(None, yearly, units=[tree["prov_a"]])
    # Today, when every daily hour has passed (today: the purge keeps recent finished rows).
    day = timezone.localdate()
    late_evening = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 23, 30))

    enqueued = jobs.schedule_due(late_evening, backend=backend)
    names = {entry.name for entry in registry.daily_jobs()}
    assert {key.split(":")[1] for key in enqueued} == names
    assert {"notify.purge", "tracking.daily_reminders", recurrence.JOB_NAME} <= names

    assert jobs.run_pending(now=late_evening, backend=backend) == len(names)
    # Nothing failed, nothing waits for a retry, nothing is left running.
    assert backend.counts() == {"queued": 0, "running": 0}
    assert not Job.objects.filter(state=JobState.FAILED).exists()
    if isinstance(backend, DatabaseBackend):
        rows = Job.objects.filter(name__in=names)
        assert {(r.name, r.state, r.last_error) for r in rows} == {
            (n, JobState.DONE, "") for n in names
        }
    # The recurring task got its periods up to the end of the year after the scheduled day.
    dues = sorted(set(Assignment.objects.filter(task=yearly).values_list("due", flat=True)))
    assert dues[-1] == D(day.year + 1, 12, 31)
    assert len(dues) == day.year + 1 - 2022 + 1


def test_daily_jobs_all_accept_the_day_the_scheduler_passes():
    for entry in registry.daily_jobs():
        registry.check_daily(entry)  # raises for a daily job that cannot take day=…


def test_a_daily_job_that_cannot_take_the_day_is_refused_not_queued(db, monkeypatch, caplog):
    monkeypatch.setitem(
        registry._jobs, "test.no_day", registry.JobSpec("test.no_day", lambda: None, None)
    )
    monkeypatch.setitem(registry._daily, "test.no_day", registry.Daily("test.no_day", "X", 0))
    monkeypatch.setattr(jobs, "_refused", set())
    keys = jobs.schedule_due(T0, backend=DatabaseBackend())
    assert not any("test.no_day" in k for k in keys)
    assert not Job.objects.filter(name="test.no_day").exists()
    assert "test.no_day" in caplog.text


# --- leases --------------------------------------------------------------------------------


def test_a_killed_workers_job_is_retried_once_its_lease_runs_out(db, backend, settings):
    settings.TRIENKHAI_JOB_LEASE = 60
    jobs_for_tests.CALLS.clear()
    job_id = jobs.enqueue("test.record", _run_at=T0, _backend=backend)
    assert backend.claim(T0) is not None  # ... and the worker was killed: no more heartbeats
    assert backend.counts()["running"] == 1
    assert jobs.run_pending(now=T0 + datetime.timedelta(seconds=59), backend=backend) == 0
    assert jobs.run_pending(now=T0 + datetime.timedelta(seconds=61), backend=backend) == 1
    assert _state(backend, job_id) == "done"
    assert backend.info(job_id)["attempts"] == 2
    assert jobs_for_tests.CALLS == [("test.record", {})]


def test_a_renewed_lease_keeps_the_job_with_its_worker(db, backend, settings):
    settings.TRIENKHAI_JOB_LEASE = 60
    job_id = jobs.enqueue("test.record", _run_at=T0, _backend=backend)
    held = backend.claim(T0)
    assert backend.renew(held, T0 + datetime.timedelta(seconds=120)) is True
    assert jobs.run_pending(now=T0 + datetime.timedelta(seconds=90), backend=backend) == 0
    assert _state(backend, job_id) == "running"
    # Silent past the renewed lease: recovered and run by another worker ...
    assert jobs.run_pending(now=T0 + datetime.timedelta(seconds=121), backend=backend) == 1
    assert _state(backend, job_id) == "done"
    # ... and the first worker, had it been only slow, can no longer renew it.
    assert backend.renew(held, T0 + datetime.timedelta(seconds=300)) is False


def test_a_stale_holder_cannot_renew_a_job_another_worker_claimed(db, backend, settings):
    settings.TRIENKHAI_JOB_LEASE = 60
    jobs.enqueue("test.record", _run_at=T0, _backend=backend)
    first = backend.claim(T0)
    assert backend.recover(T0 + datetime.timedelta(seconds=61)) == 1
    second = backend.claim(T0 + datetime.timedelta(seconds=61))
    assert second.id == first.id and second.worker != first.worker
    assert backend.renew(first, T0 + datetime.timedelta(seconds=600)) is False
    assert backend.renew(second, T0 + datetime.timedelta(seconds=600)) is True


@pytest.mark.django_db(transaction=True)
def test_the_worker_renews_the_lease_while_a_job_runs(backend, settings, monkeypatch):
    """A short lease: the job runs until the heartbeat thread has renewed it."""
    settings.TRIENKHAI_JOB_LEASE = 0.3
    jobs_for_tests.CALLS.clear()
    jobs_for_tests.RENEWED.clear()
    answers = []
    real_renew = backend.renew

    def renew(claimed, until):
        held = real_renew(claimed, until)
        answers.append(held)
        if held:
            jobs_for_tests.RENEWED.set()
        return held

    monkeypatch.setattr(backend, "renew", renew)
    now = timezone.now()
    job_id = jobs.enqueue("test.wait_renewal", _run_at=now, _backend=backend)
    assert jobs.run_pending(now=now, backend=backend) == 1
    assert jobs_for_tests.CALLS == [("test.wait_renewal", {"renewed": True})]
    assert True in answers
    assert _state(backend, job_id) == "done"
