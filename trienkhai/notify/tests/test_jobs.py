"""Tasks on the database backend: enqueue, run, retry with backoff, fail, the daily schedule, a
killed worker's task, the worker's stop and `trienkhai worker --once`."""

import datetime
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus as Status
from django_tasks_db.models import DBTaskResult

from trienkhai import cli
from trienkhai.core.background import failed, retries, stale
from trienkhai.core.background.schedule import schedule_due
from trienkhai.core.background.worker import run_pending, run_worker
from trienkhai.core.models import DailyRun, TaskWorker
from trienkhai.notify.tests import jobs_for_tests
from trienkhai.notify.tests.jobs_for_tests import boom, record_call, send_sigterm
from trienkhai.tracking.reminders import daily_reminders

PAST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
REMINDERS = daily_reminders.module_path
SETTINGS = {"DJANGO_SETTINGS_MODULE": "trienkhai.settings"}


@pytest.fixture(autouse=True)
def _calls():
    jobs_for_tests.CALLS.clear()
    yield jobs_for_tests.CALLS


def _row(result) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=result.id)


def _make_due(row: DBTaskResult) -> None:
    DBTaskResult.objects.filter(pk=row.pk).update(run_after=PAST)


def test_enqueue_then_run_pending_calls_the_function_once(db, _calls):
    result = record_call.enqueue(who="Tỉnh An", n=3)
    assert _row(result).status == Status.READY
    assert run_pending() == 1
    assert _calls == [("record", {"who": "Tỉnh An", "n": 3})]
    row = _row(result)
    assert row.status == Status.SUCCESSFUL and len(row.worker_ids) == 1 and row.finished_at
    assert run_pending() == 0
    assert len(_calls) == 1


def test_a_task_waits_for_its_time_and_the_limit_is_kept(db, _calls):
    later = record_call.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue(
        k="later"
    )
    for i in range(3):
        record_call.enqueue(k=i)
    assert run_pending(limit=2) == 2
    assert run_pending() == 1
    assert [c[1]["k"] for c in _calls] == [0, 1, 2]
    assert _row(later).status == Status.READY
    _make_due(_row(later))  # an hour later
    assert run_pending() == 1
    assert _calls[-1][1] == {"k": "later"}


def test_a_failing_task_is_retried_with_backoff_then_marked_failed(db, settings, _calls):
    settings.TRIENKHAI_JOB_MAX_ATTEMPTS = 3
    settings.TRIENKHAI_JOB_BACKOFF = 60
    first = boom.enqueue(where="Xã An")

    def next_attempt(after, delay):
        start = timezone.now()
        assert run_pending() == 1
        done = _row(after)
        assert done.status == Status.FAILED
        assert done.exception_class_path == failed.RETRY_SCHEDULED
        assert "nổ: thử lỗi" in done.traceback  # the cause, chained
        waiting = DBTaskResult.objects.get(status=Status.READY)
        assert start + delay <= waiting.run_after <= timezone.now() + delay
        assert run_pending() == 0  # not yet due
        _make_due(waiting)
        return waiting

    second = next_attempt(first, datetime.timedelta(seconds=60))
    assert second.args_kwargs["kwargs"] == {"where": "Xã An", "_attempt": 2}
    third = next_attempt(second, datetime.timedelta(seconds=120))  # doubled
    assert third.args_kwargs["kwargs"]["_attempt"] == 3

    assert run_pending() == 1
    last = _row(third)
    assert last.status == Status.FAILED
    assert last.exception_class_path == "builtins.RuntimeError"
    assert not DBTaskResult.objects.filter(status=Status.READY).exists()
    assert run_pending() == 0
    assert _calls == [("boom", {"where": "Xã An"})] * 3
    # Only the last attempt is a failure for good: the one the operators see.
    assert [r.pk for r in failed.failed_results()] == [last.pk]
    assert failed.attempts(last) == (3, 3)


def test_backoff_doubles_and_is_capped(settings):
    settings.TRIENKHAI_JOB_BACKOFF = 60
    assert [retries.backoff(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    assert retries.backoff(30) == retries.MAX_BACKOFF


def _claimed_by_dead_worker(result, silent_for: int, worker_id="dead-worker"):
    row = _row(result)
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "started_at": PAST,
            "seen_at": timezone.now() - datetime.timedelta(seconds=silent_for),
        },
    )
    row.claim(worker_id)  # ... and the worker was killed: it beats no more
    return row


def test_a_task_left_running_by_a_killed_worker_is_run_again(db, settings, _calls):
    settings.TRIENKHAI_JOB_LEASE = 600
    result = record_call.enqueue(n=1)
    _claimed_by_dead_worker(result, silent_for=601)
    assert run_pending() == 1
    row = _row(result)
    assert row.status == Status.SUCCESSFUL
    assert row.worker_ids[0] == "dead-worker" and len(row.worker_ids) == 2  # its second attempt
    assert _calls == [("record", {"n": 1})]
    assert not TaskWorker.objects.exists()  # the dead worker's row went, ours signed off


def test_the_task_of_a_worker_still_beating_is_left_alone(db, settings, _calls):
    settings.TRIENKHAI_JOB_LEASE = 600
    result = record_call.enqueue()
    _claimed_by_dead_worker(result, silent_for=599, worker_id="slow-worker")
    assert run_pending() == 0
    assert _row(result).status == Status.RUNNING
    assert stale.recover_database(timezone.now() + datetime.timedelta(seconds=2)) == 1
    assert _row(result).status == Status.READY


def test_a_task_whose_workers_keep_dying_is_given_up(db, settings, _calls):
    settings.TRIENKHAI_JOB_MAX_ATTEMPTS = 2
    settings.TRIENKHAI_JOB_LEASE = 60
    result = record_call.enqueue()
    _claimed_by_dead_worker(result, silent_for=61, worker_id="dead-1")
    stale.recover_database()
    _claimed_by_dead_worker(result, silent_for=61, worker_id="dead-2")
    assert run_pending() == 1  # the third claim: past the two attempts allowed
    row = _row(result)
    assert row.status == Status.FAILED and "abandoned after 2 attempts" in row.traceback
    assert _calls == []
    assert [r.pk for r in failed.failed_results()] == [row.pk]


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_run_each_task_once():
    """Two workers at once: each task runs exactly once (PostgreSQL locks the claimed row with
    SKIP LOCKED; SQLite claims in exclusive transactions, one writer at a time)."""
    for i in range(8):
        record_call.enqueue(k=i)
    if connection.vendor != "postgresql":
        assert run_pending(limit=3) == 3 and run_pending() == 5
    else:
        counts = []

        def worker():
            try:
                counts.append(run_pending())
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(counts) == 8
    assert sorted(c[1]["k"] for c in jobs_for_tests.CALLS) == list(range(8))
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {Status.SUCCESSFUL}


def _local(h, m=0, day=10):
    return timezone.make_aware(datetime.datetime(2026, 3, day, h, m))


def _reminders(keys):
    """The reminder's keys among those enqueued (the other daily tasks have their own hours)."""
    return [k for k in keys if k.startswith(REMINDERS + ":")]


def test_the_daily_reminder_is_enqueued_once_per_day_from_its_hour(db, settings):
    settings.TRIENKHAI_REMINDER_HOUR = 7
    key = f"{REMINDERS}:2026-03-10"
    assert _reminders(schedule_due(_local(6, 59))) == []
    assert _reminders(schedule_due(_local(7, 0))) == [key]
    assert _reminders(schedule_due(_local(15, 30))) == []
    assert _reminders(schedule_due(_local(23, 59))) == []  # another worker, later the same day
    row = DBTaskResult.objects.get(task_path=REMINDERS)
    assert row.args_kwargs == {"args": [], "kwargs": {"day": "2026-03-10"}}
    assert row.run_after == _local(7)
    assert DailyRun.objects.get(task_path=REMINDERS).result_id == str(row.pk)
    assert _reminders(schedule_due(_local(7, 1, day=11))) == [f"{REMINDERS}:2026-03-11"]
    assert DBTaskResult.objects.filter(task_path=REMINDERS).count() == 2


def test_the_reminder_hour_is_a_setting(db, settings):
    settings.TRIENKHAI_REMINDER_HOUR = 9
    assert _reminders(schedule_due(_local(8, 30))) == []
    assert len(_reminders(schedule_due(_local(9, 0)))) == 1


@pytest.mark.django_db(transaction=True)
def test_sigterm_lets_the_running_task_finish_then_stops_the_worker():
    stopper = send_sigterm.enqueue()
    waiting = record_call.using(run_after=timezone.now() + datetime.timedelta(seconds=1)).enqueue()
    before = signal.getsignal(signal.SIGTERM)
    run_worker(poll=3600)  # returns only because SIGTERM stopped it
    assert _row(stopper).status == Status.SUCCESSFUL
    assert _row(waiting).status == Status.READY
    assert [c[0] for c in jobs_for_tests.CALLS] == ["sigterm"]
    assert signal.getsignal(signal.SIGTERM) is before
    assert not TaskWorker.objects.exists()  # it signed off


def test_cli_worker_once_runs_due_tasks_and_exits(db, capsys, _calls):
    due = record_call.enqueue(via="cli")
    future = record_call.using(run_after=timezone.now() + datetime.timedelta(days=2)).enqueue()
    assert cli.main(["worker", "--once"]) == 0
    assert ("record", {"via": "cli"}) in _calls
    assert _row(due).status == Status.SUCCESSFUL
    assert _row(future).status == Status.READY
    assert "job(s) run" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "django_tasks_db.DatabaseBackend"),
        (
            {"TRIENKHAI_TASKS": "rq", "REDIS_URL": "redis://127.0.0.1:6379/14"},
            "django_tasks_rq.RQBackend",
        ),
        # The earlier setting still selects RQ.
        (
            {"TRIENKHAI_JOB_BACKEND": "redis", "REDIS_URL": "redis://x:1/0"},
            "django_tasks_rq.RQBackend",
        ),
    ],
)
def test_the_environment_chooses_the_backend(env, backend, tmp_path):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TRIENKHAI_TASKS", "TRIENKHAI_JOB_BACKEND", "REDIS_URL", "DATABASE_URL")
    }
    code = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**clean, **env, "TRIENKHAI_DATA_DIR": str(tmp_path), **SETTINGS},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == backend


def test_rq_without_redis_url_is_refused(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**clean, "TRIENKHAI_TASKS": "rq", "TRIENKHAI_DATA_DIR": str(tmp_path), **SETTINGS},
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0 and "TRIENKHAI_TASKS=rq needs REDIS_URL" in out.stderr


def test_a_killed_trienkhai_worker_process_has_its_task_run_again(tmp_path):
    """Real processes on a database of their own (a SQLite file, whatever the tests' engine): a
    `trienkhai worker` is killed while it runs a task; once its heartbeat has lapsed, the next
    worker runs the task again, as its second attempt."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TRIENKHAI_TASKS", "TRIENKHAI_JOB_BACKEND", "DATABASE_URL")
    }
    env.update(SETTINGS, TRIENKHAI_DATA_DIR=str(tmp_path), TRIENKHAI_JOB_LEASE="1")
    cli_ = [sys.executable, "-m", "trienkhai.cli"]

    def shell(code: str) -> str:
        return (
            subprocess.run(  # noqa: S603
                [*cli_, "manage", "shell", "-c", code],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )

    subprocess.run([*cli_, "manage", "migrate", "-v0"], env=env, check=True)  # noqa: S603
    marker = tmp_path / "started"
    task_id = shell(
        "from trienkhai.notify.tests.jobs_for_tests import hang_once;"
        f"print(hang_once.enqueue(marker={str(marker)!r}).id)"
    )
    worker = subprocess.Popen([*cli_, "worker"], env=env, start_new_session=True)  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker.exists(), "the worker never started the task"
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    query = (
        "from django_tasks_db.models import DBTaskResult as R;"
        f"r = R.objects.get(pk={task_id!r}); print(r.status, len(r.worker_ids))"
    )
    assert shell(query) == "RUNNING 1"  # what the killed worker left
    time.sleep(1.5)  # its heartbeat lapses
    out = subprocess.run(  # noqa: S603
        [*cli_, "worker", "--once"], env=env, check=True, capture_output=True, text=True
    )
    assert "job(s) run" in out.stdout  # (with the daily tasks due at this hour)
    assert shell(query) == "SUCCESSFUL 2"
