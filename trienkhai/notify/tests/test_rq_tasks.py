"""Tasks on the RQ backend, against the real Redis (its tests' own database, emptied around each
test): enqueue, run, wait for the due time, retry with backoff, fail, the daily schedule, and the
job of a killed worker. Redis unreachable fails these tests, never skips them."""

import datetime
import os
import signal
import subprocess
import sys
import time

import django_rq
import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus as Status
from django_tasks_rq import Job

from tests.builders.background import TEST_REDIS_URL
from trienkhai.core.background import failed
from trienkhai.core.background.schedule import schedule_due
from trienkhai.core.background.worker import run_pending, using_rq
from trienkhai.core.models import DailyRun
from trienkhai.notify.tests import jobs_for_tests
from trienkhai.notify.tests.jobs_for_tests import boom, hang_once, record_call, touch
from trienkhai.tracking.reminders import daily_reminders

PAST = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _rq(rq_tasks, db):
    jobs_for_tests.CALLS.clear()
    yield


def _queue():
    return django_rq.get_queue("default", job_class=Job)


def _scheduled() -> list:
    """The jobs waiting for their time, with it."""
    registry = _queue().scheduled_job_registry
    jobs = Job.fetch_many(registry.get_job_ids(), connection=registry.connection)
    return [(job, registry.get_scheduled_time(job)) for job in jobs]


def _make_due(job) -> None:
    _queue().scheduled_job_registry.schedule(job, PAST)


def test_the_backend_is_rq():
    assert using_rq()


def test_enqueue_and_run():
    result = record_call.enqueue(who="Xã An")
    assert _queue().count == 1
    assert run_pending() == 1
    assert jobs_for_tests.CALLS == [("record", {"who": "Xã An"})]
    assert record_call.get_result(result.id).status == Status.SUCCESSFUL
    assert run_pending() == 0


def test_not_before_its_time():
    result = record_call.using(run_after=timezone.now() + datetime.timedelta(minutes=5)).enqueue()
    assert run_pending() == 0
    ((job, _at),) = _scheduled()
    assert job.id == result.id
    _make_due(job)  # five minutes later
    assert run_pending() == 1
    assert record_call.get_result(result.id).status == Status.SUCCESSFUL


def test_retry_with_backoff_then_failed(settings):
    settings.TRIENKHAI_JOB_MAX_ATTEMPTS = 2
    settings.TRIENKHAI_JOB_BACKOFF = 30
    first = boom.enqueue(where="Xã An")
    start = timezone.now()
    assert run_pending() == 1
    done = boom.get_result(first.id)
    assert done.status == Status.FAILED
    assert done.errors[-1].exception_class_path == failed.RETRY_SCHEDULED
    assert "nổ: thử lỗi" in done.errors[-1].traceback
    ((job, at),) = _scheduled()
    assert job.kwargs == {"where": "Xã An", "_attempt": 2}
    delay = datetime.timedelta(seconds=30)
    # RQ keeps the due time in whole seconds.
    assert start + delay - datetime.timedelta(seconds=1) <= at <= timezone.now() + delay
    assert run_pending() == 0  # not yet due

    _make_due(job)
    assert run_pending() == 1
    last = boom.get_result(job.id)
    assert last.status == Status.FAILED
    assert last.errors[-1].exception_class_path == "builtins.RuntimeError"
    assert _scheduled() == [] and _queue().count == 0
    assert jobs_for_tests.CALLS == [("boom", {"where": "Xã An"})] * 2
    # Only the last attempt failed for good; it is the one the operators see.
    (listed,) = failed.failed_results()
    assert listed.pk == job.id and failed.attempts(listed) == (2, 2)


def test_the_schedule_is_idempotent_across_workers(settings):
    settings.TRIENKHAI_REMINDER_HOUR = 7
    settings.TRIENKHAI_PURGE_HOUR = 9
    settings.TRIENKHAI_RECURRENCE_HOUR = 9
    settings.TRIENKHAI_REMEDIATION_REMINDER_HOUR = 9
    settings.TRIENKHAI_INDICATORS_HOUR = 9
    at_eight = datetime.datetime(2026, 3, 10, 1, 0, tzinfo=datetime.UTC)  # 08:00 local
    assert schedule_due(at_eight) == [f"{daily_reminders.module_path}:2026-03-10"]
    assert schedule_due(at_eight) == []  # the next worker, or the next pass
    ((job, at),) = _scheduled()
    assert job.func_name == daily_reminders.module_path and job.kwargs == {"day": "2026-03-10"}
    assert at == datetime.datetime(2026, 3, 10, 0, 0, tzinfo=datetime.UTC)  # 07:00 local
    assert DailyRun.objects.get().result_id == job.id
    assert run_pending() == 1
    assert daily_reminders.get_result(job.id).status == Status.SUCCESSFUL


def _wait(predicate, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


WORKER = """
import django
django.setup()
import django_rq
from django_tasks_rq import Job
from rq import Worker
queue = django_rq.get_queue("default", job_class=Job)
Worker([queue], connection=queue.connection, job_class=Job).work(burst=True)
"""


def test_the_job_of_a_killed_worker_is_run_again(tmp_path, settings):
    """A real RQ worker (another process) is killed while it runs a task: once its heartbeat has
    lapsed, RQ's cleanup marks the job abandoned, and the next worker runs it again."""
    settings.TRIENKHAI_JOB_MAX_ATTEMPTS = 3
    marker = tmp_path / "started"
    result = hang_once.enqueue(marker=str(marker))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trienkhai.settings",
        "TRIENKHAI_TASKS": "rq",
        "REDIS_URL": TEST_REDIS_URL,
        "TRIENKHAI_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", WORKER], env=env, start_new_session=True
    )
    try:
        assert _wait(marker.exists), "the worker never started the task"
        assert hang_once.get_result(result.id).status == Status.RUNNING
    finally:
        os.killpg(worker.pid, signal.SIGKILL)  # the worker and the process running the task
        worker.wait(10)
    queue = _queue()
    assert queue.started_job_registry.count == 1  # RQ still thinks it runs
    queue.started_job_registry.cleanup(timestamp=time.time() + 3600)  # its heartbeat lapsed
    assert hang_once.get_result(result.id).status == Status.FAILED  # abandoned

    assert run_pending() == 1
    assert jobs_for_tests.CALLS == [("hang_once", {"marker": str(marker), "again": True})]
    assert queue.failed_job_registry.count == 0 and failed.failed_results() == []
    (again,) = Job.fetch_many(queue.finished_job_registry.get_job_ids(), queue.connection)
    assert again.kwargs == {"marker": str(marker), "_attempt": 2}


def test_trienkhai_worker_runs_tasks_and_the_daily_schedule_then_stops_on_sigterm(tmp_path):
    """The real `trienkhai worker` with RQ, in its own process and database: it runs what is
    enqueued here, enqueues and runs the day's tasks, and SIGTERM stops it."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trienkhai.settings",
        "TRIENKHAI_TASKS": "rq",
        "REDIS_URL": TEST_REDIS_URL,
        "TRIENKHAI_DATA_DIR": str(tmp_path),
        # every daily task due since midnight
        "TRIENKHAI_PURGE_HOUR": "0",
        "TRIENKHAI_REMINDER_HOUR": "0",
        "TRIENKHAI_RECURRENCE_HOUR": "0",
    }
    env.pop("DATABASE_URL", None)
    cli = [sys.executable, "-m", "trienkhai.cli"]
    subprocess.run([*cli, "manage", "migrate", "-v0"], env=env, check=True)  # noqa: S603
    marker = tmp_path / "touched"
    touch.enqueue(path=str(marker))
    worker = subprocess.Popen([*cli, "worker"], env=env, start_new_session=True)  # noqa: S603
    queue = _queue()
    daily = {
        "trienkhai.notify.jobs.purge",
        daily_reminders.module_path,
        "trienkhai.tracking.recurrence.extend_recurring",
    }

    def finished() -> set:
        jobs = Job.fetch_many(queue.finished_job_registry.get_job_ids(), queue.connection)
        return {job.func_name for job in jobs if job is not None}

    try:
        assert _wait(marker.exists), "the worker never ran the task"
        assert marker.read_text() != str(os.getpid())  # run in another process
        assert _wait(lambda: daily <= finished()), finished()
        assert queue.failed_job_registry.count == 0
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(15) == 0  # promptly
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(10)
