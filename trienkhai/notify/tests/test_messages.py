"""Notifications with a kind render in the reader's language when read; others show their text."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tests.builders import factories
from trienkhai.notify import actions
from trienkhai.notify.messages import renderer
from trienkhai.notify.models import Notification


@renderer("test.home")
def _render_home(params):
    """A message built from catalogue words the English catalogue already has."""
    return f"{_('Việc cần làm')} #{params['n']}", _("Đã đọc")


@pytest.fixture
def reader(db):
    return factories.user("reader")


def _inbox(client, user, language):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("notify-list")).content.decode()


def test_a_message_with_a_kind_is_rendered_in_the_readers_language(client, reader):
    actions.create_notifications(
        [dict(user=reader, title="Việc cần làm #7", kind="test.home", params={"n": 7}, key="k")]
    )
    assert "To do #7" in _inbox(client, reader, "en")
    html = _inbox(client, reader, "vi")
    assert "Việc cần làm #7" in html and "To do #7" not in html
    n = Notification.objects.get(user=reader)
    with translation.override("en"):
        assert n.display_title == "To do #7"
    with translation.override("vi"):  # the per-instance cache follows the language
        assert n.display_title == "Việc cần làm #7"


def test_old_and_unknown_messages_keep_their_stored_text(client, reader):
    actions.create_notification(user=reader, title="Thông báo cũ", body="Nội dung cũ")
    actions.create_notification(
        user=reader, title="Loại đã bỏ", body="", kind="test.gone", params={"x": 1}
    )
    actions.create_notification(user=reader, title="Tham số hỏng", kind="test.home", params={})
    html = _inbox(client, reader, "en")
    for text in ("Thông báo cũ", "Nội dung cũ", "Loại đã bỏ", "Tham số hỏng"):
        assert text in html


def test_rendering_a_page_of_messages_costs_no_query_per_message(client, reader):
    Notification.objects.bulk_create(
        [
            Notification(user=reader, title=f"T{i}", kind="test.home", params={"n": i})
            for i in range(3)
        ]
    )
    client.force_login(reader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notify-list"))
    Notification.objects.bulk_create(
        [
            Notification(user=reader, title=f"T{i}", kind="test.home", params={"n": i})
            for i in range(3, 40)
        ]
    )
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("notify-list")).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "To do #39" in html
