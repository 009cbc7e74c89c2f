"""The work list of a person with work in every app fits a phone and a desktop screen, and each
line opens its item.

Set TRIENKHAI_SHOTS to a directory to keep the screenshots of both widths.
"""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.conferences import actions as conference_actions
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType
from trienkhai.evaluations.actions import periods as period_actions
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.actions import inspections as inspection_actions
from trienkhai.inspections.actions import steps as step_actions
from trienkhai.inspections.models import InspectionKind
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions

pytestmark = pytest.mark.browser

D = datetime.date
DAY = datetime.timedelta(days=1)
PASSWORD = "mat-khau-dung-1"
KINDS = (
    "Báo cáo thực hiện nhiệm vụ",
    "Khắc phục sau kiểm tra",
    "Cập nhật kết quả hội nghị quán triệt",
    "Tự đánh giá, xếp loại",
)


def _doc(unit, symbol, doc_type, date, subject):
    return doc_actions.register_document(
        None, symbol=symbol, doc_type=doc_type, issuing_unit=unit, term="XVII", date=date,
        subject=subject,
    )  # fmt: skip


def _world(today):
    """A commune secretary who reports for the commune and its grassroots organisation."""
    t = factories.small_tree()
    commune, org = t["commune_a"], t["org_a"]
    factories.user("bi-thu-xa", (Role.COORDINATOR, commune, False), (Role.REPORTER, org, False),
                   password=PASSWORD)  # fmt: skip
    inspector = factories.user("kiem-tra-tinh", (Role.INSPECTOR, t["prov_a"]))
    directive = _doc(t["root"], "21-KL/TW", DocType.CONCLUSION, D(2021, 10, 25),
                     "Kết luận về đẩy mạnh xây dựng, chỉnh đốn Đảng")  # fmt: skip
    # Tracking: a task due in three days.
    plan_doc = _doc(t["prov_a"], "12-KH/TU", DocType.PLAN, D(2026, 1, 10),
                    "Kế hoạch thực hiện Kết luận số 21-KL/TW")  # fmt: skip
    doc_actions.relate(None, source=plan_doc, target=directive, kind="implements")
    plan = plan_actions.register_plan(None, plan_doc)
    due = today + 3 * DAY
    for title in ("Rà soát, bổ sung quy chế làm việc của cấp ủy xã",
                  "Báo cáo sơ kết 6 tháng thực hiện Kết luận số 21-KL/TW"):  # fmt: skip
        task = plan_actions.add_task(None, plan, title=title, lead_unit=t["prov_a"],
                                     deadline_text=f"ngày {due:%d/%m/%Y}")  # fmt: skip
        assign_actions.assign(None, task, units=[commune], rule="units")
    # Inspections: conclusions with two requests to remedy, one overdue.
    inspection = inspection_actions.create_inspection(
        inspector, kind=InspectionKind.THEMATIC_INSPECTION, unit=t["prov_a"],
        title="Kiểm tra việc thực hiện Kết luận số 21-KL/TW", team_name="Đoàn kiểm tra số 5",
        directives=[directive], inspected_units=[commune], work_from=D(2026, 3, 1),
        work_to=D(2026, 3, 30), planned_on=D(2026, 2, 1),
    )  # fmt: skip
    side = step_actions.register_side_document
    decision = side(inspector, inspection, doc_type=DocType.DECISION, symbol="15-QĐ/TU",
                    date=D(2026, 2, 20), subject="Quyết định", term="XVII")  # fmt: skip
    inspection = step_actions.decide(inspector, inspection, decision=decision)
    inspection = step_actions.announce(inspector, inspection, date=D(2026, 3, 1))
    part = inspection.parts.get()
    inspection_actions.upload_self_report(None, part, submitted_on=D(2026, 3, 5), name="bc.pdf",
                                          content=b"%PDF-1.4 bao cao")  # fmt: skip
    inspection = step_actions.receive_self_reports(inspector, inspection, date=D(2026, 3, 6))
    inspection = step_actions.start_verification(inspector, inspection, date=D(2026, 3, 7))
    notice = side(inspector, inspection, doc_type=DocType.NOTICE, symbol="30-TB/TU",
                  date=D(2026, 4, 5), subject="Thông báo kết luận", term="XVII")  # fmt: skip
    inspection = step_actions.conclude(inspector, inspection, notice=notice)
    for text, deadline in (
        ("Chấn chỉnh việc sinh hoạt chi bộ định kỳ, bảo đảm đúng quy định", today - 5 * DAY),
        ("Bổ sung hồ sơ đánh giá, xếp loại đảng viên năm 2025", today + 2 * DAY),
    ):
        conclusion_actions.add_request(inspector, part, text=text, deadline=deadline)
    # Conferences: one held last week without its attendees.
    conference_actions.record_conference(
        None, host=commune, date=today - 6 * DAY, format="hybrid", documents=[directive],
        title="Hội nghị học tập, quán triệt Kết luận số 21-KL/TW tại xã", points=[("Cấp xã", 12)],
    )  # fmt: skip
    # Evaluations: the organisation's self-rating for this year.
    period = period_actions.create_period(None, unit=t["root"], year=today.year)
    rating_actions.open_evaluations(None, period, commune)


@pytest.mark.parametrize("width", [390, 1366])
def test_the_work_list_of_several_apps_fits_the_screen(browser_page, transactional_db, width):
    today = timezone.localdate()
    _world(today)
    browser_page.set_viewport_size({"width": width, "height": 900})
    login(browser_page, "bi-thu-xa", PASSWORD)
    body = browser_page.locator("main").inner_text()
    for kind in KINDS:
        assert kind in body, kind
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= width
    shots = os.environ.get("TRIENKHAI_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        browser_page.screenshot(path=f"{shots}/home-{width}.png", full_page=True)
    # Each line opens its item.
    for kind in KINDS:
        link = browser_page.locator(".todo-list a", has_text=kind).first
        href = link.get_attribute("href")
        response = browser_page.goto(href)
        assert response.status == 200, href
        browser_page.go_back()
