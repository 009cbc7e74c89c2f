"""The queue as the worker drives it: every registered daily task, scheduled and run through
`schedule_due` + `run_pending` on both backends (the database, and RQ over the real Redis), and
the heartbeat that gets a killed worker's task retried. Redis must be reachable (CI runs it):
these tests fail, never skip.
"""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus as Status
from django_tasks_db.models import DBTaskResult

from trienkhai.core.background import failed, stale
from trienkhai.core.background import schedule as daily_module
from trienkhai.core.background.schedule import check_daily, daily_tasks, schedule_due
from trienkhai.core.background.worker import run_pending
from trienkhai.core.models import DailyRun, TaskWorker
from trienkhai.notify.tests import jobs_for_tests
from trienkhai.notify.tests.jobs_for_tests import record_call, wait_for_heartbeat
from trienkhai.tracking import recurrence, reminders
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.models import Assignment
from trienkhai.tracking.tests.test_actions import central_plan, one_off

T0 = datetime.datetime(2026, 3, 10, 1, 0, tzinfo=datetime.UTC)
D = datetime.date


def test_every_registered_daily_task_succeeds_when_the_worker_runs_it(tree, task_backend, settings):
    """What the worker does on each pass: schedule the day's tasks, then run what is due."""
    for entry in daily_tasks():
        setattr(settings, entry.hour_setting, 0)  # every one due since midnight
    plan = central_plan(tree)
    yearly = one_off(plan, "hằng năm từ 2022", horizon=D(2022, 12, 31))
    assign_actions.assign(None, yearly, units=[tree["prov_a"]])
    # Today, when every daily hour has passed (today: the purge keeps recent finished results).
    day = timezone.localdate()
    late_evening = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 23, 30))

    enqueued = schedule_due(late_evening)
    paths = {entry.path for entry in daily_tasks()}
    assert {key.rsplit(":", 1)[0] for key in enqueued} == paths
    assert {
        "trienkhai.notify.jobs.purge",
        reminders.daily_reminders.module_path,
        recurrence.extend_recurring.module_path,
    } <= paths
    assert set(DailyRun.objects.values_list("task_path", flat=True)) == paths

    assert run_pending() == len(paths)
    # Nothing failed, nothing waits for a retry, nothing is left running.
    assert failed.counts() == {"queued": 0, "running": 0}
    assert not list(failed.failed_results())
    for run in DailyRun.objects.all():
        task = next(e.task for e in daily_tasks() if e.path == run.task_path)
        assert task.get_result(run.result_id).status == Status.SUCCESSFUL
    # The recurring task got its periods up to the end of the year after the scheduled day.
    dues = sorted(set(Assignment.objects.filter(task=yearly).values_list("due", flat=True)))
    assert dues[-1] == D(day.year + 1, 12, 31)
    assert len(dues) == day.year + 1 - 2022 + 1


def test_daily_tasks_all_accept_the_day_the_scheduler_passes():
    for entry in daily_tasks():
        check_daily(entry)  # raises for a daily task that cannot take day=…


def test_a_daily_task_that_cannot_take_the_day_is_refused_not_queued(db, monkeypatch, caplog):
    no_day = daily_module.Daily(record_call, "X", 0)
    monkeypatch.setattr(record_call.func, "job_func", lambda: None)
    monkeypatch.setitem(daily_module._daily, "test.no_day", no_day)
    monkeypatch.setattr(daily_module, "_refused", set())
    keys = schedule_due(T0)
    assert not any(k.startswith(record_call.module_path) for k in keys)
    assert not DBTaskResult.objects.filter(task_path=record_call.module_path).exists()
    assert record_call.module_path in caplog.text


def test_a_killed_workers_task_is_retried_once_its_heartbeat_lapses(db, settings):
    settings.TRIENKHAI_JOB_LEASE = 60
    jobs_for_tests.CALLS.clear()
    result = record_call.enqueue()
    stale.beat("killed", timezone.now() - datetime.timedelta(seconds=59))
    DBTaskResult.objects.get(pk=result.id).claim("killed")  # ... and no more heartbeats
    assert failed.counts()["running"] == 1
    assert run_pending() == 0  # 59 s of silence: still within the lease
    TaskWorker.objects.update(seen_at=timezone.now() - datetime.timedelta(seconds=61))
    assert run_pending() == 1
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == Status.SUCCESSFUL and len(row.worker_ids) == 2
    assert jobs_for_tests.CALLS == [("record", {})]


@pytest.mark.django_db(transaction=True)
def test_the_worker_beats_while_a_task_runs(settings, monkeypatch):
    """A short lease: the task runs until the heartbeat thread has said its worker is alive."""
    settings.TRIENKHAI_JOB_LEASE = 0.3
    jobs_for_tests.CALLS.clear()
    jobs_for_tests.BEATEN.clear()
    real_beat = stale.beat
    beaten = []

    def beat(worker_id, now=None):
        real_beat(worker_id, now)
        beaten.append(worker_id)
        if len(beaten) > 1:  # the first is the worker announcing itself, before the task
            jobs_for_tests.BEATEN.set()

    monkeypatch.setattr(stale, "beat", beat)
    result = wait_for_heartbeat.enqueue()
    assert run_pending() == 1
    assert jobs_for_tests.CALLS == [("wait_for_heartbeat", {"beaten": True})]
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == Status.SUCCESSFUL and row.worker_ids[-1] == beaten[-1]
    assert not TaskWorker.objects.exists()  # it signed off
