"""The classification lines of the work list: the organisation rates itself, the level above
reviews, decides and notifies; nobody outside sees any of it."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.todo import Urgency
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.models import Level
from trienkhai.evaluations.tests.helpers import decide, review, self_rate
from trienkhai.evaluations.todo import todo

D = datetime.date
END = D(2025, 12, 31)  # the 2025 period's end


def _kinds(user, today):
    return [(t.kind, t.urgency, t.unit) for t in todo(user, today)]


def test_an_open_evaluation_asks_the_organisation_by_the_period_end(world):
    u = world["users"]
    ev = world["evs"][0]
    assert _kinds(u["reporter"], D(2025, 6, 1)) == [
        ("Tự đánh giá, xếp loại", Urgency.LATER, "Đảng bộ a")
    ]
    assert todo(u["reporter"], D(2025, 12, 26))[0].urgency == Urgency.SOON
    assert todo(u["reporter"], D(2026, 1, 5))[0].urgency == Urgency.NOW
    line = todo(u["reporter"], END)[0]
    assert line.url == f"/evaluations/{ev.pk}/self-rating/" and line.due == END
    assert line.title == world["period"].name
    assert [t.unit for t in todo(u["reporter2"], END)] == ["Chi bộ thôn 2"]
    # The deciding commune reaches the organisations but does not rate them; others see nothing.
    for key in ("decider", "other", "viewer"):
        assert todo(u[key], END) == [], key


def test_a_returned_rating_is_to_redo_now_with_the_reason(world):
    u = world["users"]
    ev = self_rate(world["evs"][0], Level.GOOD)
    assert todo(u["reporter"], D(2026, 1, 2)) == []
    rating_actions.return_to_organisation(
        u["decider"], ev, reason="Thiếu số liệu đảng viên", returned_on=D(2026, 1, 3)
    )
    (line,) = todo(u["reporter"], D(2026, 1, 4))
    assert line.urgency == Urgency.NOW and "Thiếu số liệu đảng viên" in line.detail


def test_the_level_above_reviews_decides_and_notifies(world):
    u = world["users"]
    today = D(2026, 1, 20)
    ev = self_rate(world["evs"][0], Level.GOOD)
    lines = todo(u["decider"], today)
    assert [(t.kind, t.urgency) for t in lines] == [
        ("Thẩm định, đề xuất xếp loại", Urgency.WAITING)
    ]
    assert lines[0].url == f"/evaluations/{ev.pk}/review/"
    assert lines[0].detail == "Tự xếp loại: Hoàn thành tốt nhiệm vụ"
    # The organisation commission reviews for the commune.
    commission = factories.user("btc-xa", (Role.COORDINATOR, ev.reviewer))
    assert [t.kind for t in todo(commission, today)] == ["Thẩm định, đề xuất xếp loại"]
    ev = review(ev, Level.GOOD)
    assert [(t.kind, t.url) for t in todo(u["decider"], today)] == [
        ("Quyết định xếp loại", f"/evaluations/{ev.pk}/decide/")
    ]
    assert todo(commission, today) == []  # deciding is the standing committee's
    ev = decide(ev, Level.GOOD)
    assert [t.kind for t in todo(u["decider"], today)] == ["Thông báo kết quả xếp loại"]
    rating_actions.notify(u["decider"], ev, notified_on=D(2026, 1, 16))
    assert todo(u["decider"], today) == []
    for key in ("other", "viewer", "reporter2"):
        assert all(t.unit != "Đảng bộ a" for t in todo(u[key], today)), key


def test_the_home_page_shows_the_line_and_its_link_opens(client, world):
    u = world["users"]
    ev = world["evs"][0]
    client.force_login(u["reporter"])
    body = client.get("/").content.decode()
    url = f"/evaluations/{ev.pk}/self-rating/"
    assert "Tự đánh giá, xếp loại" in body and f'href="{url}"' in body
    assert client.get(url).status_code == 200
    client.force_login(u["other"])
    assert "Tự đánh giá, xếp loại" not in client.get("/").content.decode()
    # The deciding level's line opens its form too.
    self_rate(ev, Level.GOOD)
    client.force_login(u["decider"])
    url = f"/evaluations/{ev.pk}/review/"
    assert f'href="{url}"' in client.get("/").content.decode()
    assert client.get(url).status_code == 200


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_home_costs_the_same_queries_for_one_item_and_for_many(client, world):
    u = world["users"]
    self_rate(world["evs"][0], Level.GOOD)
    client.force_login(u["decider"])
    _home_queries(client)
    before = _home_queries(client)
    for ev in world["evs"][1:]:
        self_rate(ev, Level.COMPLETE)
    body = client.get("/").content.decode()
    assert "Còn 1 việc nữa" in body  # six self-ratings to review: five shown, one counted
    assert _home_queries(client) == before
