"""The change log and a record's history read as sentences and fit a phone: at 390 px every row
becomes a block (no sideways scroll, not even inside the table), at 1366 px it is a table."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.context import acting_as
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import Assignment
from trienkhai.units import actions as unit_actions

pytestmark = pytest.mark.browser

D = datetime.date
PASSWORD = "mat-khau-nhat-ky-1"
LONG = (
    "Tổ chức học tập, quán triệt và triển khai thực hiện Kết luận số 21-KL/TW về đẩy mạnh "
    "xây dựng, chỉnh đốn Đảng và hệ thống chính trị; kiên quyết ngăn chặn, đẩy lùi, xử lý "
    "nghiêm cán bộ, đảng viên suy thoái về tư tưởng chính trị, đạo đức, lối sống"
)


def log_world():
    """A coordinator who registers a plan with a long-titled task, assigns it to a commune,
    renames that commune, and accepts its report."""
    tree = factories.small_tree()
    prov = tree["prov_a"]
    coord = factories.user(
        "dieuphoi", (Role.COORDINATOR, prov), (Role.ADMINISTRATOR, prov), password=PASSWORD
    )
    coord.first_name, coord.last_name = "Trần Văn", "Điều Phối"
    coord.save()
    reporter = factories.user("baocao", (Role.REPORTER, tree["commune_a"]))
    reporter.first_name, reporter.last_name = "Lê Thị", "Báo Cáo"
    reporter.save()
    conclusion = doc_actions.register_document(
        None,
        symbol="21-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=tree["root"],
        term="XIII",
        date=D(2021, 10, 25),
        subject="Kết luận 21",
    )
    with acting_as(coord):
        plan_doc = doc_actions.register_document(
            coord,
            symbol="05-KH/TU",
            doc_type=DocType.PLAN,
            issuing_unit=tree["prov_a"],
            term="XVI",
            date=D(2024, 3, 1),
            subject=LONG,
        )
        plan = plan_actions.register_plan(coord, plan_doc, implements=conclusion)
        task = plan_actions.add_task(
            coord, plan, title=LONG, lead_unit=tree["prov_a"], deadline_text="quý II/2024"
        )
        assign_actions.assign(coord, task, units=[tree["commune_a"]])
        unit_actions.rename_unit(
            coord, tree["commune_a"], name="Xã An Phú", date=D(2024, 4, 1), confirm_backdated=True
        )
    assignment = Assignment.objects.get(task=task)
    with acting_as(reporter):
        report = report_actions.report_progress(
            reporter,
            assignment,
            reported_on=D(2024, 5, 20),
            percent=100,
            done=True,
            narrative=LONG,
        )
    with acting_as(coord):
        report_actions.review_report(coord, report, accept=True)
    return tree, task, assignment


@pytest.mark.parametrize("width", [390, 1366])
def test_the_log_reads_as_sentences_and_fits_the_screen(browser_page, width):
    tree, task, assignment = log_world()
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "dieuphoi", PASSWORD)
    urls = [
        "/log/",
        f"/tracking/assignments/{assignment.pk}/",
        f"/units/{tree['commune_a'].pk}/?tab=history",
    ]
    for url in urls:
        page.goto(url)
        for summary in page.locator("details:has(table.log) > summary").all():
            summary.click()  # the histories folded under "Lịch sử thay đổi"
        table = page.locator("table.log").first
        expect(table).to_be_visible()
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= width, (url, page_width)
        inner = table.evaluate("t => t.scrollWidth - t.clientWidth")
        assert inner <= 1, (url, inner)  # nothing hides behind a sideways scroll either
    page.goto("/log/")
    body = page.locator("table.log")
    expect(body).to_contain_text("Trần Văn Điều Phối")
    expect(body).to_contain_text("Tỉnh An")  # the coordinator's unit
    expect(body).to_contain_text("Chấp nhận báo cáo")
    expect(body).to_contain_text("Đổi tên đơn vị")
    expect(body).to_contain_text("Xã An Phú")
    expect(body).not_to_contain_text("tracking.accept_report")
    expect(body).not_to_contain_text("system")
