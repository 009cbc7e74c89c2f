"""The operators' page of failed jobs: list, filter, pages, Retry and Discard, for admins only,
with the database queue and with Redis (whose failed jobs are recorded in the database too)."""

import datetime
import os
import uuid

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core import jobs
from trienkhai.core.actions import ActionError
from trienkhai.core.models import ChangeLogEntry
from trienkhai.notify import actions
from trienkhai.notify.models import Job, JobState
from trienkhai.notify.tests import jobs_for_tests  # noqa: F401 - registers test.boom, test.record
from trienkhai.notify.tests.english import english  # noqa: F401 - the fixture, by name

PAST = datetime.datetime(2026, 3, 10, 1, 0, tzinfo=datetime.UTC)
URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "s3cret-pass!"  # noqa: S105


def _failed(name="test.boom", n=1, **args):
    """Jobs that really ran and failed for good (one attempt allowed)."""
    made = []
    for i in range(n):
        job = Job.objects.create(
            name=name, args={"i": i, **args}, run_at=PAST, max_attempts=1, last_error=""
        )
        made.append(job)
    jobs.run_pending(now=PAST, limit=n)
    for job in made:
        job.refresh_from_db()
        assert job.state == JobState.FAILED
    return made


@pytest.fixture
def operator(db):
    return factories.user("operator", superuser=True)


@pytest.fixture
def province_admin(tree):
    return factories.user("prov-admin", (Role.ADMINISTRATOR, tree["prov_a"]))


def _signed_in(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _csrf(client):
    client.get(reverse("jobs-failed"))
    return client.cookies[django_settings.CSRF_COOKIE_NAME].value


def test_the_operator_sees_failed_jobs_with_their_error_and_the_queue_counts(operator):
    (job,) = _failed(who="Tỉnh An")
    Job.objects.create(name="test.record", run_at=PAST)  # queued
    Job.objects.create(name="test.record", run_at=PAST, state=JobState.RUNNING)
    Job.objects.create(name="test.record", run_at=PAST, state=JobState.DONE)
    html = _signed_in(operator).get(reverse("jobs-failed")).content.decode()
    assert "Công việc nền thất bại" in html
    assert "test.boom" in html
    assert "{&quot;i&quot;: 0, &quot;who&quot;: &quot;Tỉnh An&quot;}" in html
    assert "1/1" in html
    assert "RuntimeError: nổ: thử lỗi" in html
    assert "Đang chờ: 1 · Đang chạy: 1" in html
    assert f'action="/notifications/jobs/{job.pk}/retry/"' in html
    assert "test.record" not in html  # only failed jobs are listed


def test_filter_by_job_name_and_pages(operator):
    _failed("test.boom", 30)
    jobs_for_tests.CALLS.clear()
    other = Job.objects.create(
        name="test.record", run_at=PAST, state=JobState.FAILED, last_error="lỗi khác"
    )
    client = _signed_in(operator)
    page1 = client.get(reverse("jobs-failed")).content.decode()
    assert page1.count('/retry/"') == 25
    assert "Trang 1/2" in page1
    page2 = client.get(reverse("jobs-failed"), {"page": 2}).content.decode()
    assert page2.count('/retry/"') == 6
    only = client.get(reverse("jobs-failed"), {"name": "test.record"}).content.decode()
    assert only.count('/retry/"') == 1 and "lỗi khác" in only
    assert f"/notifications/jobs/{other.pk}/retry/" in only
    assert '<option value="test.record" selected>' in only
    unknown = client.get(reverse("jobs-failed"), {"name": "không-có"}).content.decode()
    assert unknown.count('/retry/"') == 25  # an unknown name filters nothing out


def test_retry_puts_the_job_back_in_the_queue(operator):
    (job,) = _failed()
    client = _signed_in(operator)
    token = _csrf(client)
    back = f"{reverse('jobs-failed')}?name=test.boom"
    response = client.post(
        reverse("jobs-retry", args=[job.pk]), {"next": back}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 302 and response["Location"] == back
    job.refresh_from_db()
    assert (job.state, job.attempts, job.finished_at) == (JobState.QUEUED, 0, None)
    assert "nổ: thử lỗi" in job.last_error  # kept for reference until it runs again
    entry = ChangeLogEntry.objects.get(action="notify.job_retry")
    assert entry.user == operator and entry.object_id == str(job.pk)
    assert entry.before["state"] == JobState.FAILED
    assert jobs.run_pending() == 1  # the worker takes it again
    job.refresh_from_db()
    assert (job.state, job.attempts) == (JobState.FAILED, 1)
    page = client.get(reverse("jobs-failed")).content.decode()
    assert "Đã đưa công việc “test.boom” trở lại hàng đợi." in page


def test_discard_removes_the_job_and_logs_it(operator):
    job, kept = _failed(n=2)
    client = _signed_in(operator)
    token = _csrf(client)
    response = client.post(reverse("jobs-discard", args=[job.pk]), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302 and response["Location"] == reverse("jobs-failed")
    assert not Job.objects.filter(pk=job.pk).exists()
    assert Job.objects.filter(pk=kept.pk, state=JobState.FAILED).exists()
    entry = ChangeLogEntry.objects.get(action="notify.job_discard")
    assert entry.before["name"] == "test.boom" and entry.after is None
    again = client.post(reverse("jobs-discard", args=[job.pk]), HTTP_X_CSRFTOKEN=token)
    assert again.status_code == 404


def test_others_are_refused_and_change_nothing(operator, province_admin, tree):
    (job,) = _failed()
    reporter = factories.user("rep", (Role.REPORTER, tree["prov_a"]))
    for user in (province_admin, reporter):  # an administrator of one province is not enough
        assert _signed_in(user).get(reverse("jobs-failed")).status_code == 403
        client = Client()  # no CSRF check here: the refusal must come from who asks
        client.force_login(user)
        assert client.post(reverse("jobs-retry", args=[job.pk])).status_code == 403
        assert client.post(reverse("jobs-discard", args=[job.pk])).status_code == 403
    anonymous = Client().get(reverse("jobs-failed"))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert not ChangeLogEntry.objects.filter(action__startswith="notify.job").exists()
    with pytest.raises(ActionError):
        actions.retry_job(province_admin, job)


def test_posts_need_the_csrf_token_and_post(operator):
    (job,) = _failed()
    client = _signed_in(operator)
    assert client.post(reverse("jobs-retry", args=[job.pk])).status_code == 403
    assert client.post(reverse("jobs-discard", args=[job.pk])).status_code == 403
    assert client.get(reverse("jobs-retry", args=[job.pk])).status_code == 405
    job.refresh_from_db()
    assert job.state == JobState.FAILED


def test_only_failed_jobs_can_be_retried_or_discarded(operator):
    live = Job.objects.create(name="test.record", run_at=PAST)
    client = _signed_in(operator)
    token = _csrf(client)
    for name in ("jobs-retry", "jobs-discard"):
        assert client.post(reverse(name, args=[live.pk]), HTTP_X_CSRFTOKEN=token).status_code == 404
    assert Job.objects.get(pk=live.pk).state == JobState.QUEUED


def test_a_stale_page_is_refused_by_the_action(operator):
    (job,) = _failed()
    actions.discard_job(operator, job)
    with pytest.raises(ActionError, match="không còn ở trạng thái thất bại"):
        actions.retry_job(operator, job)
    with pytest.raises(ActionError):
        actions.discard_job(operator, job)


def test_a_job_whose_code_is_gone_cannot_be_retried_but_can_be_discarded(operator):
    job = Job.objects.create(
        name="test.removed", run_at=PAST, state=JobState.FAILED, last_error="UnknownJob"
    )
    client = _signed_in(operator)
    token = _csrf(client)
    client.post(reverse("jobs-retry", args=[job.pk]), HTTP_X_CSRFTOKEN=token)
    assert Job.objects.get(pk=job.pk).state == JobState.FAILED
    page = client.get(reverse("jobs-failed")).content.decode()
    assert "Phần mềm không còn công việc “test.removed”: chỉ có thể huỷ bỏ." in page
    client.post(reverse("jobs-discard", args=[job.pk]), HTTP_X_CSRFTOKEN=token)
    assert not Job.objects.filter(pk=job.pk).exists()


@pytest.mark.usefixtures("english")
def test_the_page_speaks_english_when_chosen(operator):
    _failed()
    client = _signed_in(operator)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("jobs-failed")).content.decode()
    assert '<html lang="en">' in html
    for words in ("Failed background jobs", "Queued: 0 · Running: 0", "Retry", "Discard"):
        assert words in html
    assert "Công việc nền thất bại" not in html


@pytest.fixture
def redis_settings(settings, db):
    settings.TRIENKHAI_JOB_BACKEND = "redis"
    settings.REDIS_URL = URL
    settings.TRIENKHAI_JOB_REDIS_PREFIX = f"trienkhai-test:{uuid.uuid4().hex}:"
    backend = jobs.get_backend()
    assert backend.client.ping()  # no Redis: fail, never skip
    yield backend
    keys = list(backend.client.scan_iter(match=backend.prefix + "*"))
    if keys:
        backend.client.delete(*keys)
    settings.TRIENKHAI_JOB_BACKEND = "database"
    jobs.get_backend()


def test_with_redis_failed_jobs_are_recorded_and_retried_into_redis(redis_settings, operator):
    backend = redis_settings
    redis_id = jobs.enqueue("test.boom", _run_at=PAST, where="Xã An")
    backend.client.hset(backend.prefix + "job:" + redis_id, "max_attempts", 1)
    assert jobs.run_pending(now=PAST) == 1
    assert backend.info(redis_id)["state"] == "failed"
    row = Job.objects.get(redis_id=redis_id)
    assert (row.state, row.name, row.args, row.attempts) == (
        JobState.FAILED,
        "test.boom",
        {"where": "Xã An"},
        1,
    )
    assert "nổ: thử lỗi" in row.last_error

    client = _signed_in(operator)
    html = client.get(reverse("jobs-failed")).content.decode()
    assert f"(Redis #{redis_id})" in html
    assert "Đang chờ: 0 · Đang chạy: 0" in html  # counted in Redis, not in the table
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    client.post(reverse("jobs-retry", args=[row.pk]), HTTP_X_CSRFTOKEN=token)
    assert not Job.objects.filter(pk=row.pk).exists()
    assert backend.counts() == {"queued": 1, "running": 0}
    entry = ChangeLogEntry.objects.get(action="notify.job_retry")
    fresh = entry.after["queued_as"]
    assert fresh != redis_id
    assert backend.info(fresh)["args"] == {"where": "Xã An"}
    html = client.get(reverse("jobs-failed")).content.decode()
    assert "Đang chờ: 1 · Đang chạy: 0" in html


def test_the_inbox_links_to_the_page_for_operators_only(operator, tree):
    link = f'href="{reverse("jobs-failed")}"'
    assert link in _signed_in(operator).get(reverse("notify-list")).content.decode()
    someone = factories.user("someone", (Role.ADMINISTRATOR, tree["prov_a"]))
    assert link not in _signed_in(someone).get(reverse("notify-list")).content.decode()
