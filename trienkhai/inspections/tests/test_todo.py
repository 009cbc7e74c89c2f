"""The inspection lines of the work list: each side sees its own next act, nobody else does."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.builders import factories
from trienkhai.accounts.models import Clearance, Role
from trienkhai.core.todo import Urgency
from trienkhai.documents.models import DocType
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.actions import remediation as remediation_actions
from trienkhai.inspections.actions import steps as step_actions
from trienkhai.inspections.tests.conftest import new_inspection, register, to_concluded, upload
from trienkhai.inspections.todo import todo

D = datetime.date
DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


def _kinds(user, today):
    return [(t.kind, t.urgency, t.title) for t in todo(user, today)]


def _announced(w, **kw):
    inspection = new_inspection(w, **kw)
    decision = register(w, inspection, DocType.DECISION, "15-QĐ/TU", D(2024, 8, 20))
    inspection = step_actions.decide(w.inspector, inspection, decision=decision)
    return step_actions.announce(w.inspector, inspection, date=D(2024, 9, 1))


def test_an_announced_inspection_asks_each_inspected_unit_for_its_self_report(world, today):
    inspection = _announced(world, work_from=today + 3 * DAY, work_to=today + 20 * DAY)
    lines = todo(world.commune_rep, today)
    assert [(t.kind, t.urgency, t.unit) for t in lines] == [
        ("Tự kiểm tra, báo cáo", Urgency.SOON, "Xã a")
    ]
    line = lines[0]
    assert line.title == inspection.title and line.due == today + 3 * DAY
    assert line.url == f"/inspections/{inspection.pk}/#self-reports"
    assert "15-QĐ/TU" in line.detail
    assert [t.unit for t in todo(world.org_rep, today)] == ["Đảng bộ a"]
    # Outside the inspected units, and the inspecting side before every report is in: nothing.
    for user in (world.viewer_b, world.inspector_b, world.inspector):
        assert todo(user, today) == []
    # A province coordinator reaches the commune but does not report there: not its own work.
    coordinator = factories.user("dp-a", (Role.COORDINATOR, world.prov_a))
    assert [t.kind for t in todo(coordinator, today)] == []

    parts = {p.unit_id: p for p in inspection.parts.all()}
    upload(world, parts[world.commune_a.pk], world.commune_rep)
    assert todo(world.commune_rep, today) == []
    assert todo(world.inspector, today) == []  # one unit still owes its report
    upload(world, parts[world.org_a.pk], world.org_rep)
    assert _kinds(world.inspector, today) == [
        ("Tiếp nhận báo cáo tự kiểm tra", Urgency.WAITING, inspection.title)
    ]
    assert todo(world.inspector, today)[0].url == f"/inspections/{inspection.pk}/#next-step"
    assert todo(coordinator, today)[0].kind == "Tiếp nhận báo cáo tự kiểm tra"
    assert todo(world.inspector_b, today) == []


def test_a_self_report_past_the_working_time_is_overdue(world, today):
    _announced(world, work_from=today - 2 * DAY, work_to=today + 20 * DAY)
    assert todo(world.commune_rep, today)[0].urgency == Urgency.OVERDUE


def test_conclusions_wait_on_the_team_once_the_working_time_is_over(world, today):
    inspection = _announced(world, work_from=D(2024, 9, 1), work_to=D(2024, 9, 30))
    parts = {p.unit_id: p for p in inspection.parts.all()}
    upload(world, parts[world.commune_a.pk], world.commune_rep)
    upload(world, parts[world.org_a.pk], world.org_rep)
    inspection = step_actions.receive_self_reports(world.inspector, inspection, date=D(2024, 9, 12))
    step_actions.start_verification(world.inspector, inspection, date=D(2024, 9, 15))
    assert _kinds(world.inspector, today) == [
        ("Thông báo kết luận kiểm tra", Urgency.WAITING, inspection.title)
    ]
    # Before the working time ends it is still open work, not yet waiting.
    assert todo(world.inspector, D(2024, 9, 20))[0].urgency == Urgency.LATER
    assert todo(world.commune_rep, today) == [] and todo(world.inspector_b, today) == []


def test_remediation_requests_by_their_deadline(world, today):
    inspection, parts = to_concluded(world, new_inspection(world))
    for text, due in (("Quá hạn", today - DAY), ("Sắp đến hạn", today + 3 * DAY),
                      ("Còn lâu", today + 30 * DAY)):  # fmt: skip
        conclusion_actions.add_request(world.inspector, parts[world.commune_a.pk], text=text,
                                       deadline=due)  # fmt: skip
    lines = todo(world.commune_rep, today)
    assert [(t.kind, t.urgency, t.title) for t in lines] == [
        ("Khắc phục sau kiểm tra", Urgency.OVERDUE, "Quá hạn"),
        ("Khắc phục sau kiểm tra", Urgency.SOON, "Sắp đến hạn"),
        ("Khắc phục sau kiểm tra", Urgency.LATER, "Còn lâu"),
    ]
    assert lines[0].url.endswith("#plan") and "30-TB/TU" in lines[0].detail
    for user in (world.org_rep, world.viewer_b, world.inspector_b, world.inspector):
        assert todo(user, today) == []


def test_a_reported_remedy_waits_for_evaluation_then_for_closing(world, today):
    inspection, parts = to_concluded(world, new_inspection(world))
    req = conclusion_actions.add_request(
        world.inspector, parts[world.commune_a.pk], text="Sinh hoạt đều", deadline=today + DAY
    )
    req = remediation_actions.file_action_plan(world.commune_rep, req, text="Kế hoạch")
    req = remediation_actions.start(world.commune_rep, req, date=D(2024, 10, 10))
    assert todo(world.commune_rep, today)[0].url.endswith("#reports")
    remediation_actions.report(world.commune_rep, req, reported_on=D(2024, 11, 1), text="Đã làm")
    assert todo(world.commune_rep, today) == []
    lines = todo(world.inspector, today)
    assert [(t.kind, t.urgency) for t in lines] == [("Đánh giá kết quả khắc phục", Urgency.WAITING)]
    assert lines[0].url == f"/inspections/requests/{req.pk}/#evaluations"
    assert lines[0].detail == "Báo cáo ngày 01/11/2024"
    assert todo(world.inspector_b, today) == []
    req.refresh_from_db()
    remediation_actions.evaluate(world.inspector, req, evaluated_on=D(2024, 11, 5), effective=True)
    assert [t.kind for t in todo(world.inspector, today)] == ["Xác nhận hoàn thành khắc phục"]


def test_a_classified_notice_is_named_only_to_the_cleared(world, today):
    cleared = factories.user("kt-mat", (Role.INSPECTOR, world.prov_a, True, Clearance.CONFIDENTIAL))
    cleared_rep = factories.user(
        "bc-mat", (Role.REPORTER, world.commune_a, False, Clearance.CONFIDENTIAL)
    )
    inspection = _announced(world, work_from=D(2024, 9, 1), work_to=D(2024, 9, 30))
    parts = {p.unit_id: p for p in inspection.parts.all()}
    upload(world, parts[world.commune_a.pk], world.commune_rep)
    upload(world, parts[world.org_a.pk], world.org_rep)
    inspection = step_actions.receive_self_reports(world.inspector, inspection, date=D(2024, 9, 12))
    inspection = step_actions.start_verification(world.inspector, inspection, date=D(2024, 9, 15))
    notice = step_actions.register_side_document(
        cleared, inspection, doc_type=DocType.NOTICE, symbol="77-TB/TU", date=D(2024, 10, 5),
        subject="Kết luận mật", term="XVII", classification=Clearance.CONFIDENTIAL,
    )  # fmt: skip
    inspection = step_actions.conclude(cleared, inspection, notice=notice)
    conclusion_actions.add_request(
        cleared, parts[world.commune_a.pk], text="Khắc phục", deadline=today
    )
    assert todo(world.commune_rep, today)[0].detail == "Theo Thông báo kết luận Văn bản mật"
    assert "77-TB/TU" in todo(cleared_rep, today)[0].detail


def test_five_lines_of_a_kind_then_one_that_counts_the_rest(world, today):
    inspection, parts = to_concluded(world, new_inspection(world))
    for i in range(8):
        conclusion_actions.add_request(
            world.inspector, parts[world.commune_a.pk], text=f"Yêu cầu {i}",
            deadline=today + i * DAY,
        )  # fmt: skip
    lines = todo(world.commune_rep, today)
    assert [t.title for t in lines[:5]] == [f"Yêu cầu {i}" for i in range(5)]
    assert len(lines) == 6 and lines[5].count == 3 and lines[5].title == "Còn 3 việc nữa"
    assert lines[5].urgency == Urgency.SOON  # the first one left out is due in five days
    assert lines[5].url == "/inspections/requests/?side=owner&status=pending"


def test_the_home_page_shows_the_lines_and_each_link_opens(client, world, today):
    inspection, parts = to_concluded(world, new_inspection(world))
    req = conclusion_actions.add_request(
        world.inspector, parts[world.commune_a.pk], text="Chấn chỉnh sinh hoạt", deadline=today
    )
    client.force_login(world.commune_rep)
    body = client.get("/").content.decode()
    assert "Khắc phục sau kiểm tra" in body and "Chấn chỉnh sinh hoạt" in body
    url = f"/inspections/requests/{req.pk}/#plan"
    assert f'href="{url}"' in body
    assert client.get(url.split("#")[0]).status_code == 200
    client.force_login(world.viewer_b)
    assert "Chấn chỉnh sinh hoạt" not in client.get("/").content.decode()
    # The inspecting side's line opens the request where it evaluates the remedy.
    req = remediation_actions.file_action_plan(world.commune_rep, req, text="Kế hoạch")
    req = remediation_actions.start(world.commune_rep, req, date=D(2024, 10, 10))
    remediation_actions.report(world.commune_rep, req, reported_on=D(2024, 11, 1), text="Xong")
    client.force_login(world.inspector)
    url = f"/inspections/requests/{req.pk}/#evaluations"
    assert f'href="{url}"' in client.get("/").content.decode()
    assert client.get(url.split("#")[0]).status_code == 200


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_home_costs_the_same_queries_for_one_item_and_for_many(client, world, today):
    inspection, parts = to_concluded(world, new_inspection(world))
    add = conclusion_actions.add_request
    add(world.inspector, parts[world.commune_a.pk], text="Một", deadline=today)
    rep = factories.user("hai-phia", (Role.REPORTER, world.commune_a, False),
                         (Role.INSPECTOR, world.prov_a))  # fmt: skip
    client.force_login(rep)
    _home_queries(client)  # warm the caches (content types, the user's reach)
    before = _home_queries(client)
    for i in range(10):
        req = add(world.inspector, parts[world.commune_a.pk], text=f"Thêm {i}", deadline=today)
        if i % 2:
            req = remediation_actions.file_action_plan(world.commune_rep, req, text="Kế hoạch")
            req = remediation_actions.start(world.commune_rep, req, date=D(2024, 10, 10))
            remediation_actions.report(world.commune_rep, req, reported_on=D(2024, 11, 1),
                                       text="Đã làm")  # fmt: skip
    body = client.get("/").content.decode()
    assert "Còn 1 việc nữa" in body  # five requests owed shown, one counted
    assert "Đánh giá kết quả khắc phục" in body
    assert _home_queries(client) == before
