"""The hand-off task: one per event, idempotent, mailed at once or in the daily digest in each
user's language, failures on the operators' page, run by the worker on both backends."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core import registry, versions
from trienkhai.core.background import failed
from trienkhai.core.background.worker import run_pending
from trienkhai.core.models import ChangeLogEntry
from trienkhai.notify import email, handoffs
from trienkhai.notify.models import Delivery, Notification, Preference
from trienkhai.notify.tests.english import english  # noqa: F401 - the fixture, by name
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import Assignment
from trienkhai.tracking.tests.test_actions import central_plan, one_off

D = datetime.date
PASSWORD = "s3cret-pass!"  # noqa: S105


def _user(name, *grants, mail_to=True, delivery=None, language=None):
    u = factories.user(name, *grants)
    if mail_to:
        u.email = f"{name}@example.vn"
        u.save()
    if delivery or language:
        Preference.objects.create(
            user=u, delivery=delivery or Delivery.IMMEDIATE, language=language or "vi"
        )
    return u


@pytest.fixture
def world(tree):
    """A task of the root given to both provinces; province A's reporter; three reviewers at
    the root: one mailed at once in Vietnamese, one at once in English, one by daily digest."""
    task = one_off(central_plan(tree))
    assign_actions.assign(None, task, rule="children")
    return {
        "a": Assignment.objects.get(task=task, unit=tree["prov_a"]),
        "rep": _user("rep-a", (Role.REPORTER, tree["prov_a"])),
        "now_vi": _user("coord-vi", (Role.COORDINATOR, tree["root"])),
        "now_en": _user("coord-en", (Role.COORDINATOR, tree["root"]), language="en"),
        "digest": _user("coord-digest", (Role.COORDINATOR, tree["root"]), delivery="digest"),
        "no_mail": _user("coord-nomail", (Role.COORDINATOR, tree["root"]), mail_to=False),
    }


def _report(world, capture):
    with capture(execute=True):
        report_actions.report_progress(
            world["rep"], world["a"], reported_on=D(2022, 3, 1), percent=100, done=True
        )
    return ChangeLogEntry.objects.get(action="tracking.report")


def _queued():
    from django_tasks_db.models import DBTaskResult

    return list(DBTaskResult.objects.filter(task_path=handoffs.deliver.module_path))


def test_one_task_per_event_and_a_retry_creates_and_mails_nothing_twice(
    world, django_capture_on_commit_callbacks
):
    entry = _report(world, django_capture_on_commit_callbacks)
    assert len(_queued()) == 1  # the report's own "tracking.progress" entry queues nothing
    assert run_pending() == 1
    key = handoffs.key_of(entry.pk)
    told = set(Notification.objects.filter(key=key).values_list("user__username", flat=True))
    assert told == {"coord-vi", "coord-en", "coord-digest", "coord-nomail"}
    sent = len(mail.outbox)
    assert sent == 2  # at once: the two immediate users with an address
    # The same event delivered again (a retry after a crash past the INSERT, or twice queued).
    again = handoffs.deliver_entry(entry.pk)
    assert again["notified"] == 0 and again["emailed"] == 0
    handoffs.deliver.enqueue(entry_id=entry.pk)
    assert run_pending() == 1
    assert Notification.objects.filter(key=key).count() == 4
    assert len(mail.outbox) == sent


@pytest.mark.usefixtures("english")
def test_immediate_mail_is_in_the_readers_language(world, django_capture_on_commit_callbacks):
    _report(world, django_capture_on_commit_callbacks)
    run_pending()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"coord-vi@example.vn", "coord-en@example.vn"}
    assert by_address["coord-vi@example.vn"].subject.startswith("Tỉnh An báo cáo hoàn thành")
    assert by_address["coord-en@example.vn"].subject.startswith("Tỉnh An reports completion")
    english_body = by_address["coord-en@example.vn"].body
    assert english_body.startswith("Report of 01/03/2022, due 31/03/2022. Please review")
    assert f"/tracking/assignments/{world['a'].pk}/" in english_body
    # The inbox renders for whoever reads: the stored text is the site's language.
    n = Notification.objects.get(user=world["now_en"])
    assert n.title.startswith("Tỉnh An báo cáo hoàn thành")


def test_digest_users_get_one_mail_a_day_with_everything_and_never_twice(
    world, tree, django_capture_on_commit_callbacks
):
    _report(world, django_capture_on_commit_callbacks)
    run_pending()
    # A second event for the digest user: the explanation it asked for is answered.
    rep_b = _user("rep-b", (Role.REPORTER, tree["prov_b"]))
    overdue = Assignment.objects.get(task=world["a"].task, unit=tree["prov_b"])
    with django_capture_on_commit_callbacks(execute=True):
        req = report_actions.request_explanation(world["digest"], overdue, question="Vì sao?")
    with django_capture_on_commit_callbacks(execute=True):
        report_actions.answer_explanation(rep_b, req, answer="Do thiên tai")
    assert run_pending() == 2
    assert not [m for m in mail.outbox if m.to == ["coord-digest@example.vn"]]
    mail.outbox.clear()
    counts = email.send_digests()
    assert counts == {"users": 1, "notifications": 2}
    (digest,) = mail.outbox
    assert digest.to == ["coord-digest@example.vn"]
    assert digest.subject == "Thông báo trong ngày: 2 việc mới"
    assert "Tỉnh An báo cáo hoàn thành" in digest.body
    assert "Tỉnh Bình đã giải trình" in digest.body
    assert email.send_digests() == {"users": 0, "notifications": 0}
    assert len(mail.outbox) == 1
    assert not Notification.objects.filter(user=world["digest"], emailed_at__isnull=True).exists()


def test_the_daily_digest_task_is_scheduled(world):
    from trienkhai.core.background.schedule import daily_tasks

    assert "trienkhai.notify.jobs.digest" in {d.path for d in daily_tasks()}


def test_a_failed_delivery_is_on_the_failed_jobs_page_and_its_retry_mails_once(
    world, settings, django_capture_on_commit_callbacks
):
    settings.TRIENKHAI_JOB_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "trienkhai.notify.tests.jobs_for_tests.FailingEmailBackend"
    entry = _report(world, django_capture_on_commit_callbacks)
    run_pending()
    (result,) = failed.failed_results(handoffs.deliver.module_path)
    assert result.args_kwargs["kwargs"] == {"entry_id": entry.pk}
    # The messages are in the inbox already; only the mail failed.
    assert Notification.objects.filter(key=handoffs.key_of(entry.pk)).count() == 4
    admin = factories.user("root-admin", superuser=True)
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("jobs-failed")).content.decode()
    assert "trienkhai.notify.handoffs.deliver" in page and "máy chủ thư không trả lời" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(reverse("jobs-retry", args=[result.id]))
    assert response.status_code == 302
    assert run_pending() == 1
    assert Notification.objects.filter(key=handoffs.key_of(entry.pk)).count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == ["coord-en@example.vn", "coord-vi@example.vn"]


def test_an_action_rolled_back_queues_nothing(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            report_actions.report_progress(
                world["rep"], world["a"], reported_on=D(2022, 3, 1), percent=30, done=False
            )
            raise RuntimeError("rolled back after the action")
    assert _queued() == []


def test_an_event_whose_handler_hands_nothing_over_tells_nobody(world):
    report_actions.report_progress(
        world["rep"], world["a"], reported_on=D(2022, 3, 1), percent=30, done=False
    )
    entry = ChangeLogEntry.objects.get(action="tracking.report")
    with registry.override("notify.handoffs", "tracking.report", lambda entry: None):
        assert handoffs.deliver_entry(entry.pk)["notified"] == 0
    assert handoffs.deliver_entry(10**9)["notified"] == 0  # rolled back or purged
    assert not Notification.objects.exists()
    assert handoffs.deliver_entry(entry.pk)["notified"] == 4


@pytest.mark.django_db(transaction=True)
def test_the_hand_off_runs_through_the_worker_on_each_backend(task_backend, tree):
    """Committed for real (no test transaction): the action queues, the worker delivers."""
    rep = _user("rep-a", (Role.REPORTER, tree["prov_a"]))
    coord = _user("coord-root", (Role.COORDINATOR, tree["root"]))
    task = one_off(central_plan(tree))
    assign_actions.assign(None, task, rule="children")
    assert run_pending() == 1  # the assignment's one hand-off task
    a = Assignment.objects.get(task=task, unit=tree["prov_a"])
    report_actions.report_progress(rep, a, reported_on=D(2022, 3, 1), percent=50, done=False)
    assert run_pending() == 1
    assert run_pending() == 0
    # rep-a: its province's task; coord-root: the task for province B and the office (nobody
    # of their own), then province A's report to review.
    kinds = set(Notification.objects.filter(user=coord).values_list("kind", flat=True))
    assert kinds == {"tracking.assigned", "tracking.report_submitted"}
    assert list(Notification.objects.filter(user=rep).values_list("kind", flat=True)) == [
        "tracking.assigned"
    ]
    n = Notification.objects.get(user=coord, kind="tracking.report_submitted")
    assert n.url == f"/tracking/assignments/{a.pk}/"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "coord-root@example.vn",
        "coord-root@example.vn",
        "rep-a@example.vn",
    ]


def test_the_account_page_sets_delivery_and_language(tree):
    user = _user("rep-a", (Role.REPORTER, tree["prov_a"]))
    client = Client()
    client.force_login(user)
    page = client.get(reverse("account")).content.decode()
    assert 'action="/notifications/preferences/"' in page and 'value="digest"' in page
    response = client.post(reverse("notify-preferences"), {"delivery": "digest", "language": "en"})
    assert response.status_code == 302
    pref = Preference.objects.get(user=user)
    assert (pref.delivery, pref.language) == ("digest", "en")
    assert client.get(reverse("account"))["Content-Language"] == "en"
    # Nonsense is refused with a message, nothing changed.
    client.post(reverse("notify-preferences"), {"delivery": "hourly", "language": "fr"})
    pref.refresh_from_db()
    assert (pref.delivery, pref.language) == ("digest", "en")


def test_the_stored_language_is_the_interface_language_after_sign_in(tree):
    user = _user("rep-a", (Role.REPORTER, tree["prov_a"]), language="en")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    assert client.get(reverse("login"))["Content-Language"] == "vi"
    client.post(reverse("login"), {"username": "rep-a", "password": PASSWORD})
    assert client.get(reverse("account"))["Content-Language"] == "en"
    # A language chosen in this browser still wins.
    client.cookies["django_language"] = "vi"
    assert client.get(reverse("account"))["Content-Language"] == "vi"


def test_reminders_respect_the_digest_choice(tree, settings):
    """The daily reminder mails immediate users now; a digest user gets it in the digest."""
    from trienkhai.tracking import reminders

    task = one_off(central_plan(tree), deadline="quý I/2022")
    assign_actions.assign(None, task, rule="children")
    _user("now", (Role.REPORTER, tree["prov_a"]))
    _user("later", (Role.REPORTER, tree["prov_b"]), delivery="digest")
    reminders.send_reminders(D(2022, 3, 30))
    assert [m.to for m in mail.outbox] == [["now@example.vn"]]
    mail.outbox.clear()
    when = timezone.now()
    assert email.send_digests(when)["users"] == 1
    assert [m.to for m in mail.outbox] == [["later@example.vn"]]


def test_many_events_of_one_action_are_queued_in_one_go_and_a_bad_one_loses_no_other(
    world, tree, django_capture_on_commit_callbacks, monkeypatch
):
    """Accepting many reports at once queues one task per acceptance after one commit; if the
    batch fails on one, the others are queued one by one."""
    from trienkhai.tracking.actions import review as review_actions

    other = Assignment.objects.get(task=world["a"].task, unit=tree["prov_b"])
    rep_b = _user("rep-b", (Role.REPORTER, tree["prov_b"]))
    with django_capture_on_commit_callbacks(execute=True):
        first = report_actions.report_progress(
            world["rep"], world["a"], reported_on=D(2022, 3, 1), percent=100, done=True
        )
        second = report_actions.report_progress(
            rep_b, other, reported_on=D(2022, 3, 2), percent=100, done=True
        )
    assert len(_queued()) == 2
    with django_capture_on_commit_callbacks() as captured:
        review_actions.accept_reports(world["now_vi"], [first.pk, second.pk])
    # The panel cache's own callback (core/versions.py) aside:
    callbacks = [c for c in captured if c is not versions._committed]
    assert len(callbacks) == 1  # one callback for the whole batch
    accepted = list(
        ChangeLogEntry.objects.filter(action="tracking.accept_report").values_list("pk", flat=True)
    )
    from django_tasks_db.backend import DatabaseBackend

    real = DatabaseBackend.enqueue
    seen = []

    def flaky(self, task, args, kwargs):
        seen.append(kwargs["entry_id"])
        if kwargs["entry_id"] == accepted[0] and seen.count(accepted[0]) == 1:
            raise RuntimeError("queue unavailable")
        return real(self, task, args, kwargs)

    monkeypatch.setattr(DatabaseBackend, "enqueue", flaky)
    callbacks[0]()
    assert seen.count(accepted[0]) == 2  # the batch failed on it, then it was queued alone
    queued = {t.args_kwargs["kwargs"]["entry_id"] for t in _queued()}
    assert set(accepted) <= queued  # both acceptances queued despite the failed first try
    assert len(_queued()) == 4


def test_the_account_page_sets_the_mail_address(client, db):
    from tests.builders import factories as f
    from trienkhai.core.models import ChangeLogEntry as Entry

    user = f.user("mail-me", password="mat-khau-dung-1")
    client.force_login(user)
    response = client.post(
        reverse("notify-preferences"),
        {"email": "bad address", "delivery": "immediate", "language": "vi"},
    )
    user.refresh_from_db()
    assert response.status_code == 302 and user.email == ""
    client.post(
        reverse("notify-preferences"),
        {"email": "ten@vidu.vn", "delivery": "immediate", "language": "en"},
    )
    user.refresh_from_db()
    assert user.email == "ten@vidu.vn"
    assert Entry.objects.filter(action="accounts.set_email").count() == 1
    # A form without the field leaves the address alone.
    client.post(reverse("notify-preferences"), {"delivery": "digest", "language": "vi"})
    user.refresh_from_db()
    assert user.email == "ten@vidu.vn"
    assert 'value="ten@vidu.vn"' in client.get(reverse("account")).content.decode()


def test_site_url_is_checked(settings):
    from trienkhai.notify.checks import site_url

    settings.TRIENKHAI_SITE_URL = "trienkhai.example.vn"
    assert [e.id for e in site_url()] == ["notify.E001"]
    settings.TRIENKHAI_SITE_URL = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert [e.id for e in site_url()] == ["notify.W001"]
    settings.TRIENKHAI_SITE_URL = "https://trienkhai.example.vn"
    assert site_url() == []
