"""The database job queue: enqueue, claim, run, retry with backoff, fail, schedule, worker."""

import datetime
import signal
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from trienkhai import cli
from trienkhai.core import jobs
from trienkhai.core.jobs.database import DatabaseBackend
from trienkhai.core.jobs.worker import run_worker
from trienkhai.notify.models import Job, JobState
from trienkhai.notify.tests import jobs_for_tests
from trienkhai.tracking.reminders import JOB_NAME

T0 = datetime.datetime(2026, 3, 10, 1, 0, tzinfo=datetime.UTC)  # 08:00 in Hà Nội
PAST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _calls():
    jobs_for_tests.CALLS.clear()
    yield jobs_for_tests.CALLS


def test_enqueue_then_run_pending_calls_the_function_once(db, _calls):
    job_id = jobs.enqueue("test.record", _run_at=T0, who="Tỉnh An", n=3)
    assert jobs.run_pending(now=T0) == 1
    assert _calls == [("test.record", {"who": "Tỉnh An", "n": 3})]
    row = Job.objects.get(pk=job_id)
    assert (row.state, row.attempts, row.finished_at) == (JobState.DONE, 1, T0)
    assert jobs.run_pending(now=T0) == 0
    assert len(_calls) == 1


def test_a_job_waits_for_its_time_and_the_limit_is_kept(db, _calls):
    later = jobs.enqueue("test.record", _run_at=T0 + datetime.timedelta(hours=1), k="later")
    for i in range(3):
        jobs.enqueue("test.record", _run_at=T0, k=i)
    assert jobs.run_pending(limit=2, now=T0) == 2
    assert jobs.run_pending(now=T0) == 1
    assert [c[1]["k"] for c in _calls] == [0, 1, 2]
    assert Job.objects.get(pk=later).state == JobState.QUEUED
    assert jobs.run_pending(now=T0 + datetime.timedelta(hours=1)) == 1
    assert _calls[-1][1] == {"k": "later"}


def test_an_unknown_job_name_is_refused_at_enqueue(db):
    with pytest.raises(jobs.UnknownJob):
        jobs.enqueue("test.no-such-job")
    assert not Job.objects.exists()


def test_a_failing_job_is_retried_with_backoff_then_marked_failed(db, settings, _calls):
    settings.TRIENKHAI_JOB_MAX_ATTEMPTS = 3
    settings.TRIENKHAI_JOB_BACKOFF = 60
    job_id = jobs.enqueue("test.boom", _run_at=T0)

    assert jobs.run_pending(now=T0) == 1
    row = Job.objects.get(pk=job_id)
    assert (row.state, row.attempts) == (JobState.QUEUED, 1)
    assert row.run_at == T0 + datetime.timedelta(seconds=60)
    assert "nổ: thử lỗi" in row.last_error

    assert jobs.run_pending(now=T0 + datetime.timedelta(seconds=59)) == 0  # not yet due
    assert jobs.run_pending(now=T0 + datetime.timedelta(seconds=60)) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == (JobState.QUEUED, 2)
    assert row.run_at == T0 + datetime.timedelta(seconds=60 + 120)  # doubled

    assert jobs.run_pending(now=T0 + datetime.timedelta(hours=1)) == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == (JobState.FAILED, 3)
    assert row.finished_at == T0 + datetime.timedelta(hours=1)
    assert jobs.run_pending(now=T0 + datetime.timedelta(days=1)) == 0
    assert len(_calls) == 3


def test_backoff_doubles_and_is_capped(settings):
    settings.TRIENKHAI_JOB_BACKOFF = 60
    assert [jobs.backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert jobs.backoff(30) == jobs.MAX_BACKOFF


def test_a_job_left_running_by_a_dead_worker_is_run_again(db, settings, _calls):
    settings.TRIENKHAI_JOB_LEASE = 600
    job_id = jobs.enqueue("test.record", _run_at=T0)
    assert DatabaseBackend().claim(T0) is not None  # the worker that claimed it died here
    assert jobs.run_pending(now=T0 + datetime.timedelta(seconds=599)) == 0
    assert jobs.run_pending(now=T0 + datetime.timedelta(seconds=601)) == 1
    row = Job.objects.get(pk=job_id)
    assert (row.state, row.attempts) == (JobState.DONE, 2)


def test_claims_take_each_job_once_in_order(db):
    backend = DatabaseBackend()
    ids = [
        jobs.enqueue("test.record", _run_at=T0 + datetime.timedelta(seconds=i)) for i in range(5)
    ]
    claimed = [backend.claim(T0 + datetime.timedelta(minutes=1)) for _ in range(6)]
    assert [c.id for c in claimed[:5]] == ids
    assert claimed[5] is None
    assert Job.objects.filter(state=JobState.RUNNING).count() == 5


def test_two_workers_reading_the_same_candidate_never_both_take_it(db, monkeypatch):
    """The guarded claim (SQLite's path): the loser of the race moves on to the next job."""
    first = jobs.enqueue("test.record", _run_at=T0)
    second = jobs.enqueue("test.record", _run_at=T0)
    a, b = DatabaseBackend(), DatabaseBackend()
    assert a.take(int(first), T0) is True
    assert b.take(int(first), T0) is False  # the same row cannot be taken twice

    stale = Job.objects.filter(pk=first)  # b still sees `first` as its oldest candidate once
    real_due = b._due
    calls = iter([stale])
    monkeypatch.setattr(b, "_due", lambda now: next(calls, None) or real_due(now))
    got = b.claim_guarded(T0)
    assert got.id == second
    assert Job.objects.get(pk=first).attempts == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_take_different_jobs():
    """PostgreSQL: a worker holding its claimed row locked does not block or share with another.

    SQLite runs claims as IMMEDIATE transactions: one writer at a time, so a second worker waits
    for the first to commit and then sees the row as running (the guarded claim above).
    """
    first = jobs.enqueue("test.record", _run_at=T0)
    second = jobs.enqueue("test.record", _run_at=T0)
    if connection.vendor != "postgresql":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert DatabaseBackend().claim(T0).id == first
        assert DatabaseBackend().claim(T0).id == second
        return
    holding, release = threading.Event(), threading.Event()
    got = {}

    def worker_a():
        try:
            with transaction.atomic():
                got["a"] = DatabaseBackend().claim(T0).id
                holding.set()
                release.wait()
        finally:
            connection.close()

    thread = threading.Thread(target=worker_a)
    thread.start()
    holding.wait()
    got["b"] = DatabaseBackend().claim(T0).id  # must not wait for worker A's transaction
    release.set()
    thread.join()
    assert (got["a"], got["b"]) == (first, second)
    assert set(Job.objects.values_list("state", flat=True)) == {JobState.RUNNING}


def _local(h, m=0, day=10):
    return timezone.make_aware(datetime.datetime(2026, 3, day, h, m))


def _reminders(keys):
    """The reminder's keys among those enqueued (the daily purge has its own hour)."""
    return [k for k in keys if JOB_NAME in k]


def test_the_daily_reminder_is_enqueued_once_per_day_from_its_hour(db, settings):
    settings.TRIENKHAI_REMINDER_HOUR = 7
    key = f"daily:{JOB_NAME}:2026-03-10"
    assert _reminders(jobs.schedule_due(_local(6, 59))) == []
    assert _reminders(jobs.schedule_due(_local(7, 0))) == [key]
    assert jobs.schedule_due(_local(15, 30)) == []
    assert jobs.schedule_due(_local(23, 59), backend=DatabaseBackend()) == []  # another worker
    row = Job.objects.get(name=JOB_NAME)
    assert row.args == {"day": "2026-03-10"}
    assert row.run_at == _local(7)
    assert _reminders(jobs.schedule_due(_local(7, 1, day=11))) == [f"daily:{JOB_NAME}:2026-03-11"]
    assert Job.objects.filter(name=JOB_NAME).count() == 2


def test_the_reminder_hour_is_a_setting(db, settings):
    settings.TRIENKHAI_REMINDER_HOUR = 9
    assert _reminders(jobs.schedule_due(_local(8, 30))) == []
    assert len(_reminders(jobs.schedule_due(_local(9, 0)))) == 1


def test_sigterm_lets_the_running_job_finish_then_stops_the_worker(db, _calls):
    stopper = jobs.enqueue("test.sigterm", _run_at=PAST)
    waiting = jobs.enqueue("test.record", _run_at=PAST + datetime.timedelta(seconds=1))
    before = signal.getsignal(signal.SIGTERM)
    run_worker(poll=3600)  # returns only because SIGTERM stopped it
    assert Job.objects.get(pk=stopper).state == JobState.DONE
    assert Job.objects.get(pk=waiting).state == JobState.QUEUED
    assert [c[0] for c in _calls] == ["test.sigterm"]
    assert signal.getsignal(signal.SIGTERM) is before


def test_cli_worker_once_runs_due_jobs_and_exits(db, capsys, _calls):
    due = jobs.enqueue("test.record", _run_at=PAST, via="cli")
    future = jobs.enqueue("test.record", _run_at=timezone.now() + datetime.timedelta(days=2))
    assert cli.main(["worker", "--once"]) == 0
    assert ("test.record", {"via": "cli"}) in _calls
    assert Job.objects.get(pk=due).state == JobState.DONE
    assert Job.objects.get(pk=future).state == JobState.QUEUED
    assert "job(s) run" in capsys.readouterr().out
