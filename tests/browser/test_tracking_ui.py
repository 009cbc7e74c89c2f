"""A coordinator registers a plan, adds a "quý I/2022" task, assigns it to every child; a
commune reporter files a "done" report; the coordinator sees the dashboard counts move."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import DocType
from trienkhai.tree.kinds import UnitKind

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"
DASHBOARD = "/tracking/?as_of=31/03/2022"


@pytest.fixture
def province(transactional_db):
    tree = factories.small_tree()
    factories.unit(tree["prov_a"], UnitKind.COMMUNE, "Xã Bình Minh", "C-a2")
    register_document(
        None,
        symbol="21-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=tree["root"],
        term="XIII",
        date=datetime.date(2021, 10, 25),
        subject="Về đẩy mạnh xây dựng, chỉnh đốn Đảng",
    )
    register_document(
        None,
        symbol="05-KH/TU",
        doc_type=DocType.PLAN,
        issuing_unit=tree["prov_a"],
        term="XVII",
        date=datetime.date(2021, 12, 20),
        subject="Kế hoạch của Tỉnh ủy An thực hiện Kết luận 21",
    )
    factories.user("bithu-an", (Role.COORDINATOR, tree["prov_a"]), password=PASSWORD)
    factories.user("vanthu-xa", (Role.REPORTER, tree["commune_a"], False), password=PASSWORD)
    return tree


def total(page, column: int) -> str:
    # Columns: unit (the footer's row header), then Status.ORDER (not started, in progress,
    # awaiting review, done on time, done late, overdue), then total.
    return page.locator("table.rollup tfoot td").nth(column - 1).inner_text()


AWAITING, DONE_ON_TIME = 3, 4


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


@pytest.mark.parametrize("width", [1366, 390])
def test_plan_task_assign_report_review_and_dashboard(browser_page, province, width):
    """The loop end to end: the dashboard moves only when the coordinator accepts the report."""
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "bithu-an", PASSWORD)

    page.goto("/tracking/plans/new/")
    page.fill("#id_symbol", "05-KH/TU")
    page.fill("#id_implements_symbol", "21-KL/TW")
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Kế hoạch 05-KH/TU")

    with page.expect_navigation():
        page.get_by_role("link", name="Thêm nhiệm vụ").click()
    expect(page.locator("#id_lead_unit")).to_have_value("Tỉnh An (P-a)")
    page.fill("#id_title", "Tổ chức học tập, quán triệt Kết luận 21")
    page.fill("#id_deadline_text", "quý I/2022")
    with page.expect_navigation():
        page.click("form.card button[type=submit]")
    expect(page.locator(".task-title")).to_have_text("Tổ chức học tập, quán triệt Kết luận 21")
    expect(page.locator("table.occurrences tbody tr")).to_contain_text("31/03/2022")

    with page.expect_navigation():
        page.get_by_role("link", name="Giao nhiệm vụ").click()
    expect(page.locator("#id_rule_0")).to_be_checked()
    # The unit-code field only shows for the "named units" rule (tracking.js).
    expect(page.locator("#id_units")).to_be_hidden()
    page.check("input[name=rule][value=units]")
    expect(page.locator("#id_units")).to_be_visible()
    page.check("input[name=rule][value=children]")
    with page.expect_navigation():
        page.click("form.assign-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("2 phân công mới")
    expect(page.locator("table.assignments tbody tr")).to_have_count(2)

    page.goto(DASHBOARD)
    expect(page.locator("h1")).to_contain_text("Tỉnh An")
    expect(page.locator("table.rollup tbody")).to_contain_text("Xã Bình Minh")
    assert total(page, DONE_ON_TIME) == "0"
    expect(page.locator("svg.chart.bars rect")).not_to_have_count(0)
    no_sideways_scroll(page)

    page.context.clear_cookies()
    login(page, "vanthu-xa", PASSWORD)
    page.goto("/tracking/my-work/")
    rows = page.locator("table.my-work tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("31/03/2022")
    with page.expect_navigation():
        rows.get_by_role("link").click()
    page.select_option("#id_state", "done")
    page.fill("#id_reported_on", "10/03/2022")
    page.fill("#id_narrative", "Đã tổ chức hội nghị quán triệt cho 100% đảng viên")
    with page.expect_navigation():
        page.click("form.report-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo.")
    # Done means accepted: until the province accepts it, the report only waits.
    expect(page.locator("h1 .status")).to_have_text("Báo cáo hoàn thành, chờ duyệt")
    no_sideways_scroll(page)

    page.context.clear_cookies()
    login(page, "bithu-an", PASSWORD)
    page.goto(DASHBOARD)
    assert total(page, DONE_ON_TIME) == "0" and total(page, AWAITING) == "1"
    # Home: the report waits for this coordinator, one click from the queue.
    page.goto("/")
    line = page.locator(".todo-waiting li", has_text="Tổ chức học tập, quán triệt Kết luận 21")
    expect(line).to_contain_text("Duyệt báo cáo hoàn thành")
    no_sideways_scroll(page)
    with page.expect_navigation():
        line.get_by_role("link").click()
    expect(page.locator("h1")).to_contain_text("Báo cáo chờ duyệt (1)")
    no_sideways_scroll(page)
    row = page.locator("table.review-queue tbody tr", has_text="Xã a")
    with page.expect_navigation():
        row.get_by_role("button", name="Chấp nhận").click()
    expect(page.locator(".messages")).to_contain_text("Đã chấp nhận báo cáo.")
    expect(page.locator("h1")).to_contain_text("Báo cáo chờ duyệt (0)")

    page.goto(DASHBOARD)
    assert total(page, DONE_ON_TIME) == "1" and total(page, AWAITING) == "0"
    row = page.locator("table.rollup tbody tr", has_text="Xã a")
    expect(row.locator("td").nth(DONE_ON_TIME)).to_have_text("1")
    with page.expect_navigation():
        row.get_by_role("link", name="Xã a").click()
    expect(page).to_have_url(re.compile(r"unit=\d+"))
    expect(page.locator("h1")).to_contain_text("Xã a")
