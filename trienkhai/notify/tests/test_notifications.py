"""The inbox page, its "mark as read" buttons, the header badge, and mail delivery."""

import pytest
from django.core import mail
from django.db import connection
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trienkhai.accounts.models import Role
from trienkhai.core.models import ChangeLogEntry
from trienkhai.core.notifications import email_pending, notify
from trienkhai.notify import actions
from trienkhai.notify.context import unread
from trienkhai.notify.models import Notification
from trienkhai.testing import factories


@pytest.fixture
def alice(tree):
    return factories.user("alice", (Role.REPORTER, tree["prov_a"]))


@pytest.fixture
def bob(tree):
    return factories.user("bob", (Role.REPORTER, tree["prov_b"]))


def _make(user, n, **kw):
    return [
        actions.create_notification(user=user, title=f"Thông báo {i} của {user.username}", **kw)
        for i in range(n)
    ]


def test_the_page_lists_only_my_notifications(client, alice, bob, tree):
    _make(alice, 2, body="Nội dung\ndòng hai", unit=tree["prov_a"])
    _make(bob, 1)
    client.force_login(alice)
    page = client.get(reverse("notify-list")).content.decode()
    assert "Thông báo 0 của alice" in page and "Thông báo 1 của alice" in page
    assert "Nội dung<br>dòng hai" in page and "Tỉnh An" in page
    assert "của bob" not in page
    assert "Đánh dấu đã đọc" in page


def test_mark_read_sets_read_at_and_someone_elses_is_a_404(client, alice, bob):
    mine = _make(alice, 1)[0]
    theirs = _make(bob, 1)[0]
    client.force_login(alice)
    response = client.post(reverse("notify-read", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert not ChangeLogEntry.objects.filter(action__startswith="notify.").exists()
    assert client.post(reverse("notify-read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get(reverse("notify-read", args=[mine.pk])).status_code == 405


def test_mark_read_goes_back_only_to_a_local_page(client, alice):
    n = _make(alice, 2)
    client.force_login(alice)
    back = client.post(reverse("notify-read", args=[n[0].pk]), {"next": "/documents/"})
    assert back["Location"] == "/documents/"
    away = client.post(reverse("notify-read", args=[n[1].pk]), {"next": "https://evil.example/"})
    assert away["Location"] == reverse("notify-list")


def test_mark_all_read(client, alice, bob):
    _make(alice, 3)
    _make(bob, 2)
    client.force_login(alice)
    client.post(reverse("notify-read-all"))
    assert not Notification.objects.filter(user=alice, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=bob, read_at__isnull=True).count() == 2
    assert not ChangeLogEntry.objects.filter(action__startswith="notify.").exists()


def test_reading_a_notification_writes_no_change_log_row(client, alice, tree):
    """Read state is the reader's own inbox, not a change of the records."""
    one, two = _make(alice, 2, unit=tree["prov_a"])
    before = ChangeLogEntry.objects.count()
    client.force_login(alice)
    assert client.post(reverse("notify-read", args=[one.pk])).status_code == 302
    one.refresh_from_db()
    assert one.read_at is not None
    assert ChangeLogEntry.objects.count() == before
    # Reading it again, or reading all, changes only the inbox too.
    read_at = one.read_at
    assert actions.mark_read(alice, one).read_at == read_at
    assert actions.mark_all_read(alice) == 1
    two.refresh_from_db()
    assert two.read_at is not None
    assert ChangeLogEntry.objects.count() == before


def test_the_badge_in_the_header_counts_unread(client, alice):
    _make(alice, 3)
    client.force_login(alice)
    page = client.get(reverse("notify-list")).content.decode()
    assert '<span class="badge urgent" title="Chưa đọc">3</span>' in page
    client.post(reverse("notify-read-all"))
    page = client.get(reverse("home")).content.decode()
    assert 'href="/notifications/"' in page
    assert 'title="Chưa đọc"' not in page


def _badge(user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template('{% include "notify/_badge.html" %}')
    return template.render(RequestContext(request, {"user": user}, [unread]))


def test_the_badge_is_one_capped_query(alice):
    Notification.objects.bulk_create([Notification(user=alice, title=f"N{i}") for i in range(120)])
    with CaptureQueriesContext(connection) as queries:
        html = _badge(alice)
    assert len(queries.captured_queries) == 1
    assert ">99+</span>" in html


def test_no_query_when_no_template_shows_the_badge(alice):
    with CaptureQueriesContext(connection) as queries:
        context = unread(type("R", (), {"user": alice})())
    assert len(queries.captured_queries) == 0
    assert str(context["notify_unread"]) == ""


def test_notify_with_email_goes_to_the_outbox(alice, settings):
    settings.TRIENKHAI_SITE_URL = "https://trienkhai.example"
    alice.email = "alice@example.vn"
    alice.save()
    notify(alice, title="Báo cáo bị trả lại", body="Lý do: thiếu minh chứng", url="/x/", email=True)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.vn"]
    assert mail.outbox[0].subject == "Báo cáo bị trả lại"
    assert mail.outbox[0].body.endswith("https://trienkhai.example/x/")
    assert Notification.objects.get(user=alice).emailed_at is not None


def test_email_pending_mails_each_once_in_batches(alice, bob, monkeypatch):
    import trienkhai.core.notifications as notifications

    monkeypatch.setattr(notifications, "EMAIL_BATCH", 2)
    for u in (alice, bob):
        u.email = f"{u.username}@example.vn"
        u.save()
    nobody = factories.user("nobody")
    for u in (alice, bob, nobody):
        actions.create_notifications([dict(user=u, title="Nhắc việc", key="k1")])
    actions.create_notifications([dict(user=alice, title="Nhắc việc lần 2", key="k1")])  # skipped
    assert Notification.objects.filter(key="k1").count() == 3
    assert email_pending("k1") == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.vn", "bob@example.vn"]
    assert email_pending("k1") == 0
    assert len(mail.outbox) == 2


def test_the_email_backend_defaults_to_the_console():
    """Outside tests (Django swaps in locmem) the demo prints mail instead of sending it."""
    import importlib
    import os

    import trienkhai.settings as project_settings

    saved = {k: os.environ.pop(k, None) for k in ("TRIENKHAI_EMAIL_BACKEND", "TRIENKHAI_SMTP_HOST")}
    try:
        fresh = importlib.reload(project_settings)
        assert fresh.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
        os.environ["TRIENKHAI_SMTP_HOST"] = "mail.example.vn"
        fresh = importlib.reload(project_settings)
        assert fresh.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
        assert fresh.EMAIL_HOST == "mail.example.vn"
    finally:
        os.environ.pop("TRIENKHAI_SMTP_HOST", None)
        for k, v in saved.items():
            if v is not None:
                os.environ[k] = v
        importlib.reload(project_settings)
