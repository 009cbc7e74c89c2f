"""The daily purge: old succeeded jobs and old notifications go, failed and recent ones stay."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.builders import factories
from trienkhai.core import jobs
from trienkhai.core.models import ChangeLogEntry
from trienkhai.notify import actions
from trienkhai.notify.jobs import PURGE_JOB
from trienkhai.notify.models import Job, JobState, Notification

NOW = datetime.datetime(2026, 6, 1, 2, 0, tzinfo=datetime.UTC)


def _ago(days, hours=0):
    return NOW - datetime.timedelta(days=days, hours=hours)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.TRIENKHAI_KEEP_DONE_JOBS_DAYS = 30
    settings.TRIENKHAI_KEEP_READ_NOTIFICATIONS_DAYS = 60
    settings.TRIENKHAI_KEEP_UNREAD_NOTIFICATIONS_DAYS = 180


def _job(state, finished_days_ago, name="test.record"):
    finished = _ago(finished_days_ago) if finished_days_ago is not None else None
    return Job.objects.create(
        name=name, run_at=_ago(400), state=state, finished_at=finished, last_error=""
    )


def _note(user, created_days_ago, *, read):
    n = Notification.objects.create(user=user, title=f"N {created_days_ago} {read}")
    created = _ago(created_days_ago)
    Notification.objects.filter(pk=n.pk).update(
        created_at=created, read_at=created + datetime.timedelta(hours=1) if read else None
    )
    return n.pk


def test_old_succeeded_jobs_go_failed_and_live_ones_stay(db):
    old_done = _job(JobState.DONE, 31)
    recent_done = _job(JobState.DONE, 29)
    old_failed = _job(JobState.FAILED, 400)
    queued = _job(JobState.QUEUED, None)
    running = _job(JobState.RUNNING, None)
    counts = actions.purge_old(NOW)
    assert counts["jobs"] == 1
    left = set(Job.objects.values_list("pk", flat=True))
    assert old_done.pk not in left
    assert {recent_done.pk, old_failed.pk, queued.pk, running.pk} <= left


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
    Job.objects.bulk_create(
        [
            Job(name="test.record", run_at=_ago(90), state=JobState.DONE, finished_at=_ago(90))
            for _ in range(25)
        ]
    )
    for i in range(12):
        _note(u, 200 + i, read=bool(i % 2))
    with CaptureQueriesContext(connection) as queries:
        counts = actions.purge_old(NOW, batch=10)
    assert counts == {"jobs": 25, "read": 6, "unread": 6}
    deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    # 25 jobs in batches of 10: 3 DELETEs; 6 + 6 notifications: one each. No per-row delete.
    assert len(deletes) == 5
    assert all("IN (SELECT" in sql.upper() for sql in deletes)
    assert not Job.objects.exists() and not Notification.objects.exists()


def test_the_purge_writes_no_change_log_and_reports_counts(db):
    _job(JobState.DONE, 100)
    assert actions.purge_old(NOW)["jobs"] == 1
    assert not ChangeLogEntry.objects.exists()


def test_the_purge_is_a_daily_job_run_by_the_worker(db, settings):
    settings.TRIENKHAI_PURGE_HOUR = 3
    settings.TRIENKHAI_REMINDER_HOUR = 23
    settings.TRIENKHAI_RECURRENCE_HOUR = 23
    old = Job.objects.create(
        name="test.record",
        run_at=timezone.now() - datetime.timedelta(days=40),
        state=JobState.DONE,
        finished_at=timezone.now() - datetime.timedelta(days=40),
    )
    local = timezone.localtime(timezone.now()).replace(hour=3, minute=30)
    assert jobs.schedule_due(local - datetime.timedelta(hours=1)) == []
    assert jobs.schedule_due(local) == [f"daily:{PURGE_JOB}:{local.date().isoformat()}"]
    assert jobs.run_pending(now=local) == 1
    assert Job.objects.get(name=PURGE_JOB).state == JobState.DONE
    assert not Job.objects.filter(pk=old.pk).exists()
