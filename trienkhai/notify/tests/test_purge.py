"""The daily purge: old finished task results and old notifications go, failed and recent ones
stay."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus as Status
from django_tasks_db.models import DBTaskResult

from tests.builders import factories
from trienkhai.core.background import failed
from trienkhai.core.background.schedule import schedule_due
from trienkhai.core.background.worker import run_pending
from trienkhai.core.models import ChangeLogEntry, DailyRun
from trienkhai.notify import actions
from trienkhai.notify.jobs import purge
from trienkhai.notify.models import Notification

RECORD = "trienkhai.notify.tests.jobs_for_tests.record_call"

NOW = datetime.datetime(2026, 6, 1, 2, 0, tzinfo=datetime.UTC)


def _ago(days, hours=0):
    return NOW - datetime.timedelta(days=days, hours=hours)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.TRIENKHAI_KEEP_DONE_JOBS_DAYS = 30
    settings.TRIENKHAI_KEEP_READ_NOTIFICATIONS_DAYS = 60
    settings.TRIENKHAI_KEEP_UNREAD_NOTIFICATIONS_DAYS = 180


def _job(status, finished_days_ago, exception_class_path=""):
    finished = _ago(finished_days_ago) if finished_days_ago is not None else None
    return DBTaskResult.objects.create(
        task_path=RECORD,
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=_ago(400),
        status=status,
        finished_at=finished,
        exception_class_path=exception_class_path,
    )


def _note(user, created_days_ago, *, read):
    n = Notification.objects.create(user=user, title=f"N {created_days_ago} {read}")
    created = _ago(created_days_ago)
    Notification.objects.filter(pk=n.pk).update(
        created_at=created, read_at=created + datetime.timedelta(hours=1) if read else None
    )
    return n.pk


def test_old_succeeded_tasks_go_failed_and_live_ones_stay(db):
    old_done = _job(Status.SUCCESSFUL, 31)
    recent_done = _job(Status.SUCCESSFUL, 29)
    old_failed = _job(Status.FAILED, 400, "builtins.RuntimeError")
    # An attempt that handed over to a retry was handled: it goes like a succeeded one.
    old_retried = _job(Status.FAILED, 31, failed.RETRY_SCHEDULED)
    recent_retried = _job(Status.FAILED, 29, failed.RETRY_SCHEDULED)
    queued = _job(Status.READY, None)
    running = _job(Status.RUNNING, None)
    counts = actions.purge_old(NOW)
    assert counts["jobs"] == 2
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert old_done.pk not in left and old_retried.pk not in left
    assert {recent_done.pk, old_failed.pk, recent_retried.pk, queued.pk, running.pk} == left


def test_the_days_records_of_the_schedule_go_with_them(db):
    today = timezone.localdate(NOW)
    for days in (31, 30, 0):
        DailyRun.objects.create(task_path=RECORD, day=today - datetime.timedelta(days=days))
    assert actions.purge_old(NOW)["daily"] == 1
    assert sorted((today - d).days for d in DailyRun.objects.values_list("day", flat=True)) == [
        0,
        30,
    ]


def test_read_and_unread_notifications_have_their_own_limits(db):
    u = factories.user("reader")
    read_old, read_recent = _note(u, 61, read=True), _note(u, 59, read=True)
    unread_mid, unread_old = _note(u, 100, read=False), _note(u, 181, read=False)
    counts = actions.purge_old(NOW)
    assert (counts["read"], counts["unread"]) == (1, 1)
    left = set(Notification.objects.values_list("pk", flat=True))
    assert left == {read_recent, unread_mid}  # an unread message outlives the read limit
    assert read_old not in left and unread_old not in left


def test_limits_are_settings_and_unread_never_shorter_than_read(db, settings):
    u = factories.user("reader")
    unread = _note(u, 20, read=False)
    settings.TRIENKHAI_KEEP_READ_NOTIFICATIONS_DAYS = 30
    settings.TRIENKHAI_KEEP_UNREAD_NOTIFICATIONS_DAYS = 10  # shorter than read: read wins
    assert actions.retention() == {"jobs": 30, "read": 30, "unread": 30}
    actions.purge_old(NOW)
    assert Notification.objects.filter(pk=unread).exists()
    settings.TRIENKHAI_KEEP_DONE_JOBS_DAYS = 0  # never today's rows: that would re-run daily jobs
    assert actions.retention()["jobs"] == 1


def test_defaults_apply_when_the_settings_are_absent(db, settings):
    del settings.TRIENKHAI_KEEP_DONE_JOBS_DAYS
    del settings.TRIENKHAI_KEEP_READ_NOTIFICATIONS_DAYS
    del settings.TRIENKHAI_KEEP_UNREAD_NOTIFICATIONS_DAYS
    assert actions.retention() == {"jobs": 30, "read": 90, "unread": 365}


def test_deletes_in_batches_with_a_constant_number_of_queries(db):
    u = factories.user("reader")
    for _ in range(25):
        _job(Status.SUCCESSFUL, 90)
    for i in range(12):
        _note(u, 200 + i, read=bool(i % 2))
    with CaptureQueriesContext(connection) as queries:
        counts = actions.purge_old(NOW, batch=10)
    assert counts == {"jobs": 25, "daily": 0, "read": 6, "unread": 6}
    deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    # 25 results in batches of 10: 3 DELETEs; the schedule's records, 6 + 6 notifications: one
    # each. No per-row delete.
    assert len(deletes) == 6
    assert all("IN (SELECT" in sql.upper() for sql in deletes)
    assert not DBTaskResult.objects.exists() and not Notification.objects.exists()


def test_the_purge_writes_no_change_log_and_reports_counts(db):
    _job(Status.SUCCESSFUL, 100)
    assert actions.purge_old(NOW)["jobs"] == 1
    assert not ChangeLogEntry.objects.exists()


def test_the_purge_is_a_daily_task_run_by_the_worker(db, settings):
    settings.TRIENKHAI_PURGE_HOUR = 3
    settings.TRIENKHAI_REMINDER_HOUR = 23
    settings.TRIENKHAI_RECURRENCE_HOUR = 23
    old = _job(Status.SUCCESSFUL, 0)
    DBTaskResult.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=40)
    )
    # Yesterday, so that it is due now whatever the hour the test runs at.
    local = timezone.localtime(timezone.now() - datetime.timedelta(days=1)).replace(
        hour=3, minute=30
    )
    assert schedule_due(local - datetime.timedelta(hours=1)) == []
    assert schedule_due(local) == [f"{purge.module_path}:{local.date().isoformat()}"]
    assert run_pending() == 1
    row = DBTaskResult.objects.get(task_path=purge.module_path)
    assert row.status == Status.SUCCESSFUL and row.return_value["jobs"] == 1
    assert not DBTaskResult.objects.filter(pk=old.pk).exists()
