"""The operators' page of failed tasks: list, filter, pages, Retry and Discard, for admins only,
with the database backend and with RQ (whose failures it reads from Redis)."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus as Status
from django_tasks_db.models import DBTaskResult

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError
from trienkhai.core.background import failed
from trienkhai.core.background.worker import run_pending
from trienkhai.core.models import ChangeLogEntry
from trienkhai.notify import actions
from trienkhai.notify.tests import jobs_for_tests
from trienkhai.notify.tests.english import english  # noqa: F401 - the fixture, by name
from trienkhai.notify.tests.jobs_for_tests import boom, record_call

BOOM = boom.module_path
RECORD = record_call.module_path
PASSWORD = "s3cret-pass!"  # noqa: S105


@pytest.fixture(autouse=True)
def _one_attempt(settings):
    settings.TRIENKHAI_JOB_MAX_ATTEMPTS = 1  # every failure below is a failure for good


def _failed(task=boom, n=1, **args):
    """Tasks that really ran and failed for good (one attempt allowed)."""
    results = [task.enqueue(i=i, **args) for i in range(n)]
    assert run_pending(limit=n) == n
    made = [failed.get_failed(r.id) for r in results]
    assert all(m is not None and m.status == Status.FAILED for m in made)
    return made


def _result(status, task_path=RECORD, **fields):
    return DBTaskResult.objects.create(
        status=status,
        task_path=task_path,
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now(),
        **fields,
    )


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


def test_the_operator_sees_failed_tasks_with_their_error_and_the_queue_counts(operator):
    (result,) = _failed(who="Tỉnh An")
    _result(Status.READY)
    _result(Status.RUNNING)
    _result(Status.SUCCESSFUL)
    html = _signed_in(operator).get(reverse("jobs-failed")).content.decode()
    assert "Công việc nền thất bại" in html
    assert BOOM in html
    assert "{&quot;i&quot;: 0, &quot;who&quot;: &quot;Tỉnh An&quot;}" in html
    assert "1/1" in html
    assert "RuntimeError: nổ: thử lỗi" in html
    assert "Đang chờ: 1 · Đang chạy: 1" in html
    assert f'action="/notifications/jobs/{result.pk}/retry/"' in html
    assert RECORD not in html  # only failed tasks are listed


def test_attempts_that_handed_over_to_a_retry_are_not_listed(operator, settings):
    settings.TRIENKHAI_JOB_MAX_ATTEMPTS = 2
    boom.enqueue(k=1)
    assert run_pending() == 1
    assert DBTaskResult.objects.filter(status=Status.FAILED).count() == 1  # the first attempt
    html = _signed_in(operator).get(reverse("jobs-failed")).content.decode()
    assert "Không có công việc nào thất bại." in html
    assert "Đang chờ: 1 · Đang chạy: 0" in html  # the second attempt waits for its time


def test_filter_by_task_and_pages(operator):
    _failed(boom, 30)
    other = _result(Status.FAILED, traceback="lỗi khác", finished_at=timezone.now())
    client = _signed_in(operator)
    page1 = client.get(reverse("jobs-failed")).content.decode()
    assert page1.count('/retry/"') == 25
    assert "Trang 1/2" in page1
    page2 = client.get(reverse("jobs-failed"), {"page": 2}).content.decode()
    assert page2.count('/retry/"') == 6
    only = client.get(reverse("jobs-failed"), {"name": RECORD}).content.decode()
    assert only.count('/retry/"') == 1 and "lỗi khác" in only
    assert f"/notifications/jobs/{other.pk}/retry/" in only
    assert f'<option value="{RECORD}" selected>' in only
    unknown = client.get(reverse("jobs-failed"), {"name": "không-có"}).content.decode()
    assert unknown.count('/retry/"') == 25  # an unknown name filters nothing out


def test_retry_puts_the_task_back_in_the_queue(operator):
    (result,) = _failed()
    client = _signed_in(operator)
    token = _csrf(client)
    back = f"{reverse('jobs-failed')}?name={BOOM}"
    response = client.post(
        reverse("jobs-retry", args=[result.pk]), {"next": back}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 302 and response["Location"] == back
    assert not DBTaskResult.objects.filter(pk=result.pk).exists()
    again = DBTaskResult.objects.get()
    assert again.status == Status.READY
    assert again.args_kwargs == {"args": [], "kwargs": {"i": 0}}  # a fresh first attempt
    entry = ChangeLogEntry.objects.get(action="notify.job_retry")
    assert entry.user == operator and entry.object_id == str(result.pk)
    assert entry.before["status"] == Status.FAILED and "nổ: thử lỗi" in entry.before["traceback"]
    assert entry.after == {"state": "queued", "queued_as": str(again.pk)}
    assert run_pending() == 1  # the worker takes it again
    again.refresh_from_db()
    assert again.status == Status.FAILED
    page = client.get(reverse("jobs-failed")).content.decode()
    assert f"Đã đưa công việc “{BOOM}” trở lại hàng đợi." in page


def test_discard_removes_the_task_and_logs_it(operator):
    result, kept = _failed(n=2)
    client = _signed_in(operator)
    token = _csrf(client)
    response = client.post(reverse("jobs-discard", args=[result.pk]), HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302 and response["Location"] == reverse("jobs-failed")
    assert not DBTaskResult.objects.filter(pk=result.pk).exists()
    assert DBTaskResult.objects.filter(pk=kept.pk, status=Status.FAILED).exists()
    entry = ChangeLogEntry.objects.get(action="notify.job_discard")
    assert entry.before["task_path"] == BOOM and entry.after is None
    again = client.post(reverse("jobs-discard", args=[result.pk]), HTTP_X_CSRFTOKEN=token)
    assert again.status_code == 404


def test_others_are_refused_and_change_nothing(operator, province_admin, tree):
    (result,) = _failed()
    reporter = factories.user("rep", (Role.REPORTER, tree["prov_a"]))
    for user in (province_admin, reporter):  # an administrator of one province is not enough
        assert _signed_in(user).get(reverse("jobs-failed")).status_code == 403
        client = Client()  # no CSRF check here: the refusal must come from who asks
        client.force_login(user)
        assert client.post(reverse("jobs-retry", args=[result.pk])).status_code == 403
        assert client.post(reverse("jobs-discard", args=[result.pk])).status_code == 403
    anonymous = Client().get(reverse("jobs-failed"))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    result.refresh_from_db()
    assert result.status == Status.FAILED
    assert not ChangeLogEntry.objects.filter(action__startswith="notify.job").exists()
    with pytest.raises(ActionError):
        actions.retry_job(province_admin, result)


def test_posts_need_the_csrf_token_and_post(operator):
    (result,) = _failed()
    client = _signed_in(operator)
    assert client.post(reverse("jobs-retry", args=[result.pk])).status_code == 403
    assert client.post(reverse("jobs-discard", args=[result.pk])).status_code == 403
    assert client.get(reverse("jobs-retry", args=[result.pk])).status_code == 405
    result.refresh_from_db()
    assert result.status == Status.FAILED


def test_only_failed_tasks_can_be_retried_or_discarded(operator):
    live = _result(Status.READY)
    client = _signed_in(operator)
    token = _csrf(client)
    for name in ("jobs-retry", "jobs-discard"):
        for pk in (live.pk, "not-a-task"):
            response = client.post(reverse(name, args=[pk]), HTTP_X_CSRFTOKEN=token)
            assert response.status_code == 404
    assert DBTaskResult.objects.get(pk=live.pk).status == Status.READY


def test_a_stale_page_is_refused_by_the_action(operator):
    (result,) = _failed()
    actions.discard_job(operator, result)
    with pytest.raises(ActionError, match="không còn ở trạng thái thất bại"):
        actions.retry_job(operator, result)
    with pytest.raises(ActionError):
        actions.discard_job(operator, result)


def test_a_task_whose_code_is_gone_cannot_be_retried_but_can_be_discarded(operator):
    gone = "trienkhai.notify.tests.jobs_for_tests.removed"
    result = _result(Status.FAILED, task_path=gone, traceback="ImportError")
    client = _signed_in(operator)
    token = _csrf(client)
    html = client.get(reverse("jobs-failed")).content.decode()
    assert gone in html and "1/—" in html  # its attempts allowed are unknown
    client.post(reverse("jobs-retry", args=[result.pk]), HTTP_X_CSRFTOKEN=token)
    assert DBTaskResult.objects.get(pk=result.pk).status == Status.FAILED
    page = client.get(reverse("jobs-failed")).content.decode()
    assert f"Phần mềm không còn công việc “{gone}”: chỉ có thể huỷ bỏ." in page
    client.post(reverse("jobs-discard", args=[result.pk]), HTTP_X_CSRFTOKEN=token)
    assert not DBTaskResult.objects.filter(pk=result.pk).exists()


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


def test_with_rq_failed_tasks_are_listed_and_retried_into_redis(rq_tasks, operator):
    jobs_for_tests.CALLS.clear()
    (result,) = _failed(where="Xã An")
    assert not DBTaskResult.objects.exists()  # nothing of it in the database
    client = _signed_in(operator)
    html = client.get(reverse("jobs-failed")).content.decode()
    assert BOOM in html and "RuntimeError: nổ: thử lỗi" in html and "1/1" in html
    assert "{&quot;i&quot;: 0, &quot;where&quot;: &quot;Xã An&quot;}" in html
    assert f'action="/notifications/jobs/{result.pk}/retry/"' in html
    assert "Đang chờ: 0 · Đang chạy: 0" in html  # counted in Redis
    token = client.cookies[django_settings.CSRF_COOKIE_NAME].value
    client.post(reverse("jobs-retry", args=[result.pk]), HTTP_X_CSRFTOKEN=token)
    assert failed.get_failed(result.pk) is None
    entry = ChangeLogEntry.objects.get(action="notify.job_retry")
    assert entry.object_id == result.pk and entry.before["task_path"] == BOOM
    fresh = boom.get_result(entry.after["queued_as"])
    assert fresh.kwargs == {"i": 0, "where": "Xã An"} and fresh.status == Status.READY
    html = client.get(reverse("jobs-failed")).content.decode()
    assert "Đang chờ: 1 · Đang chạy: 0" in html and "Không có công việc nào thất bại." in html
    assert run_pending() == 1
    (again,) = failed.failed_results()
    client.post(reverse("jobs-discard", args=[again.pk]), HTTP_X_CSRFTOKEN=token)
    assert failed.failed_results() == []
    assert ChangeLogEntry.objects.filter(action="notify.job_discard").count() == 1
    assert [c[0] for c in jobs_for_tests.CALLS] == ["boom", "boom"]


def test_with_rq_unreachable_the_page_says_so(operator, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens there
    response = _signed_in(operator).get(reverse("jobs-failed"))
    assert response.status_code == 200
    assert "Không đọc được hàng đợi lúc này." in response.content.decode()


def test_the_inbox_links_to_the_page_for_operators_only(operator, tree):
    link = f'href="{reverse("jobs-failed")}"'
    assert link in _signed_in(operator).get(reverse("notify-list")).content.decode()
    someone = factories.user("someone", (Role.ADMINISTRATOR, tree["prov_a"]))
    assert link not in _signed_in(someone).get(reverse("notify-list")).content.decode()
