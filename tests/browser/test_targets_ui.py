"""A numeric target: the province coordinator splits it across its communes and sets one by
hand, a commune reports the number reached to date, and the province sees reached against
target per commune and in total — on the task page and on the dashboard — only once it has
accepted the report."""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import DocType
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tree.kinds import UnitKind

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"
SHOTS = os.environ.get("TRIENKHAI_SHOTS")  # a folder to keep screenshots in, for a look


@pytest.fixture
def task(transactional_db):
    tree = factories.small_tree()
    factories.unit(tree["prov_a"], UnitKind.COMMUNE, "Xã Bình Minh", "C-a2")
    kl = register_document(
        None,
        symbol="21-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=tree["root"],
        term="XIII",
        date=datetime.date(2021, 10, 25),
        subject="Về đẩy mạnh xây dựng, chỉnh đốn Đảng",
    )
    kh = register_document(
        None,
        symbol="05-KH/TU",
        doc_type=DocType.PLAN,
        issuing_unit=tree["prov_a"],
        term="XVII",
        date=datetime.date(2021, 12, 20),
        subject="Kế hoạch của Tỉnh ủy An thực hiện Kết luận 21",
    )
    plan = plan_actions.register_plan(None, kh, implements=kl)
    due = datetime.date.today() + datetime.timedelta(days=90)
    task = plan_actions.add_task(
        None,
        plan,
        title="Kết nạp đảng viên mới",
        lead_unit=tree["prov_a"],
        deadline_text=due.strftime("%d/%m/%Y"),
        target_value=100,
        target_unit="đảng viên",
    )
    assign_actions.assign(None, task, rule="children")
    factories.user("bithu-an", (Role.COORDINATOR, tree["prov_a"]), password=PASSWORD)
    factories.user("vanthu-xa", (Role.REPORTER, tree["commune_a"], False), password=PASSWORD)
    return task


def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


def shot(page, name, width) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


def line(page, name):
    return page.locator("table.target-rollup tbody tr", has_text=name)


@pytest.mark.parametrize("width", [1366, 390])
def test_split_report_accept_and_see_reached_against_target(browser_page, task, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "bithu-an", PASSWORD)
    page.goto(f"/tracking/tasks/{task.pk}/")
    expect(page.locator("#targets")).to_contain_text("Chưa phân bổ chỉ tiêu")
    with page.expect_navigation():
        page.get_by_role("button", name="Chia đều chỉ tiêu cho các đơn vị của kỳ này").click()
    expect(page.locator(".messages")).to_contain_text("Đã chia đều chỉ tiêu cho 2 đơn vị")
    expect(line(page, "Xã a").locator("td.reached")).to_have_text("0/50 (0 %)")
    # One commune's share set by hand, on its assignment page.
    with page.expect_navigation():
        page.locator("table.assignments").get_by_role("link", name="Xã Bình Minh").click()
    page.fill("#unit-target", "40")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu chỉ tiêu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu chỉ tiêu của đơn vị")
    expect(page.locator("dd.reached")).to_contain_text("0/40 (0 %)")
    no_sideways_scroll(page)

    page.context.clear_cookies()
    login(page, "vanthu-xa", PASSWORD)
    page.goto("/tracking/my-work/")
    with page.expect_navigation():
        page.locator("table.my-work tbody tr").get_by_role("link").first.click()
    page.fill("#id_percent", "60")
    page.fill("#id_target_reached", "30")
    page.fill("#id_narrative", "Đã kết nạp 30 đảng viên")
    with page.expect_navigation():
        page.click("form.report-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo.")
    # Not counted until accepted: shown apart as awaiting review.
    expect(page.locator("dd.reached")).to_contain_text("0/50 (0 %)")
    expect(page.locator("dd.reached")).to_contain_text("chờ duyệt: 30")
    shot(page, "assignment-reported", width)
    no_sideways_scroll(page)

    page.context.clear_cookies()
    login(page, "bithu-an", PASSWORD)
    page.goto(f"/tracking/tasks/{task.pk}/")
    expect(line(page, "Xã a").locator("td.reached")).to_have_text("0/50 (0 %)")
    expect(line(page, "Xã a").locator("td").nth(3)).to_have_text("1")
    with page.expect_navigation():
        page.locator("table.assignments").get_by_role("link", name="Xã a").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Chấp nhận").click()
    page.goto(f"/tracking/tasks/{task.pk}/")
    expect(line(page, "Xã a").locator("td.reached")).to_have_text("30/50 (60 %)")
    expect(line(page, "Xã Bình Minh").locator("td.reached")).to_have_text("0/40 (0 %)")
    expect(page.locator("table.target-rollup tfoot td.reached")).to_have_text("30/90 (33,3 %)")
    shot(page, "task", width)
    no_sideways_scroll(page)

    page.goto("/tracking/")
    section = page.locator("#targets")
    expect(section.locator("tbody tr", has_text="Xã a")).to_contain_text("30/50 (60 %)")
    expect(section.locator("tfoot")).to_contain_text("30/90 (33,3 %)")
    shot(page, "dashboard", width)
    no_sideways_scroll(page)
    with page.expect_navigation():
        section.get_by_role("link", name="Xã a").click()
    expect(page.locator("h1")).to_contain_text("Xã a")
    expect(page.locator("#targets tbody tr", has_text="Trực tiếp Xã a")).to_contain_text(
        "30/50 (60 %)"
    )


@pytest.fixture
def late(transactional_db):
    tree = factories.small_tree()
    kl = register_document(
        None,
        symbol="21-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=tree["root"],
        term="XIII",
        date=datetime.date(2021, 10, 25),
        subject="Về đẩy mạnh xây dựng, chỉnh đốn Đảng",
    )
    kh = register_document(
        None,
        symbol="06-KH/TU",
        doc_type=DocType.PLAN,
        issuing_unit=tree["prov_a"],
        term="XVII",
        date=datetime.date(2021, 12, 20),
        subject="Kế hoạch của Tỉnh ủy An",
    )
    plan = plan_actions.register_plan(None, kh, implements=kl)
    task = plan_actions.add_task(
        None,
        plan,
        title="Tổ chức hội nghị quán triệt",
        lead_unit=tree["prov_a"],
        deadline_text="quý I/2022",
    )
    assign_actions.assign(None, task, units=[tree["commune_a"]], rule="units")
    factories.user("bithu-an", (Role.COORDINATOR, tree["prov_a"]), password=PASSWORD)
    factories.user("vanthu-xa", (Role.REPORTER, tree["commune_a"], False), password=PASSWORD)
    return tree


@pytest.mark.parametrize("width", [1366, 390])
def test_explanation_requested_answered_and_counted(browser_page, late, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "bithu-an", PASSWORD)
    page.goto("/tracking/?unit=" + str(late["prov_a"].pk))
    with page.expect_navigation():
        page.locator("#overdue").get_by_role("link", name="Tổ chức hội nghị quán triệt").click()
    page.fill("#id_question", "Đề nghị giải trình lý do chưa tổ chức hội nghị.")
    answer_by = datetime.date.today() + datetime.timedelta(days=5)
    page.fill("#id_answer_by", answer_by.strftime("%d/%m/%Y"))
    with page.expect_navigation():
        page.get_by_role("button", name="Yêu cầu giải trình").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi yêu cầu giải trình.")
    expect(page.locator("article.explanation")).to_contain_text(answer_by.strftime("%d/%m/%Y"))
    expect(page.locator("article.explanation")).to_contain_text("bithu-an")

    page.context.clear_cookies()
    login(page, "vanthu-xa", PASSWORD)
    page.goto(f"/units/{late['commune_a'].pk}/")
    own = page.locator("table.explanation-record tr.own td")
    expect(own.nth(0)).to_have_text("1")
    expect(own.nth(3)).to_have_text("1")  # not answered yet
    page.goto("/tracking/my-work/")
    with page.expect_navigation():
        page.locator("table.my-work tbody tr").get_by_role("link").first.click()
    page.locator("article.explanation textarea").fill("Đảng ủy lùi hội nghị do trùng lịch.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi giải trình").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi nội dung giải trình.")
    expect(page.locator("article.explanation")).to_contain_text("vanthu-xa")

    page.goto(f"/units/{late['commune_a'].pk}/")
    expect(own.nth(1)).to_have_text("1")  # answered
    expect(own.nth(2)).to_have_text("0")  # before the day set: not late
    expect(own.nth(3)).to_have_text("0")
    shot(page, "unit-explanations", width)
    no_sideways_scroll(page)
