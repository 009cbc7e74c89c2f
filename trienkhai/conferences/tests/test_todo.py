"""The conference lines of the work list: a conference held without its results, to the
reporters of its host, and to nobody else."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.builders import factories
from trienkhai.accounts.models import Clearance, Role
from trienkhai.conferences import actions
from trienkhai.conferences.tests.conftest import values
from trienkhai.conferences.todo import RECENT_DAYS, todo
from trienkhai.core.todo import Urgency
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import DocType

DAY = datetime.timedelta(days=1)


def _held(w, host, days_ago=3, **over):
    fields = values(w, host=host, date=timezone.localdate() - days_ago * DAY, deadline=None, **over)
    return actions.record_conference(None, **fields)


def test_a_conference_without_attendees_asks_its_host_for_the_results(world):
    today = timezone.localdate()
    c = _held(world, world["commune_a"], title="Hội nghị quán triệt ở xã", attendance=[])
    _held(world, world["commune_a"], title="Hội nghị đủ số liệu")  # complete: no line
    lines = todo(world["reporter_c"], today)
    assert [(t.kind, t.urgency, t.title, t.unit) for t in lines] == [
        ("Cập nhật kết quả hội nghị quán triệt", Urgency.LATER, "Hội nghị quán triệt ở xã", "Xã a")
    ]
    assert lines[0].url == f"/conferences/{c.pk}/edit/"
    assert "chưa ghi số đại biểu" in lines[0].detail and "21-KL/TW" in lines[0].detail
    # The province above reaches the commune but reports for itself only; the other province
    # and a viewer have nothing to do.
    for key in ("coord_a", "coord_b", "viewer_a"):
        assert todo(world[key], today) == [], key


def test_each_missing_figure_is_named(world):
    today = timezone.localdate()
    _held(world, world["commune_a"], points=[], members_attending=None)
    (line,) = todo(world["reporter_c"], today)
    assert "số điểm cầu" in line.detail and "số đảng viên tham gia" in line.detail
    assert "số đại biểu" not in line.detail


def test_an_old_gap_is_left_to_the_rollup(world):
    today = timezone.localdate()
    _held(world, world["commune_a"], days_ago=RECENT_DAYS + 1, attendance=[])
    assert todo(world["reporter_c"], today) == []


def test_a_classified_document_is_masked(world):
    secret = register_document(
        None, symbol="99-KH/TU", doc_type=DocType.PLAN, issuing_unit=world["prov_a"],
        term="XVII", date=datetime.date(2021, 12, 5), subject="Phương án mật",
        classification=Clearance.SECRET,
    )  # fmt: skip
    _held(world, world["commune_a"], attendance=[], documents=[world["kl21"], secret])
    today = timezone.localdate()
    (line,) = todo(world["reporter_c"], today)
    assert "Văn bản mật" in line.detail and "99-KH/TU" not in line.detail
    cleared = factories.user("bc-mat", (Role.REPORTER, world["commune_a"], False, Clearance.SECRET))
    assert "99-KH/TU" in todo(cleared, today)[0].detail


def test_the_home_page_shows_the_line_and_its_link_opens(client, world):
    c = _held(world, world["commune_a"], title="Hội nghị chưa có số liệu", attendance=[])
    client.force_login(world["reporter_c"])
    body = client.get("/").content.decode()
    assert "Cập nhật kết quả hội nghị quán triệt" in body and "Hội nghị chưa có số liệu" in body
    assert f'href="/conferences/{c.pk}/edit/"' in body
    assert client.get(f"/conferences/{c.pk}/edit/").status_code == 200
    client.force_login(world["coord_b"])
    assert "Hội nghị chưa có số liệu" not in client.get("/").content.decode()


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_home_costs_the_same_queries_for_one_item_and_for_many(client, world):
    _held(world, world["commune_a"], attendance=[])
    client.force_login(world["reporter_c"])
    _home_queries(client)
    before = _home_queries(client)
    for i in range(7):
        _held(world, world["commune_a"], days_ago=i + 4, title=f"Hội nghị {i}", attendance=[])
    assert "Còn 3 việc nữa" in client.get("/").content.decode()
    assert _home_queries(client) == before
