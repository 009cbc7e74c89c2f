"""A provincial coordinator records a conference covering two documents, with connection points
and attendees in the repeated rows, and finds it in the roll-up and its drill-down."""

import datetime

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
    return tree


def test_record_a_conference_and_see_it_in_the_rollup(browser_page, province):
    page = browser_page
    login(page, "bithu-an", PASSWORD)

    page.goto("/conferences/")
    with page.expect_navigation():
        page.get_by_role("link", name="Ghi nhận hội nghị").click()
    expect(page.locator("#id_host")).to_have_value("Tỉnh An (P-a)")
    page.fill("#id_host", "xa a")  # a name, typed without diacritics
    page.fill("#id_date", "20/01/2022")
    page.fill("#id_title", "Hội nghị quán triệt Kết luận 21 và Kế hoạch 05-KH/TU")
    page.select_option("#id_format", "hybrid")
    page.fill("#id_documents", "21-KL/TW\n05-KH/TU")
    page.fill("#id_members_expected", "200")
    page.fill("#id_members_attending", "195")
    page.fill("#id_deadline", "31/01/2022")
    page.fill("#id_points-0-level", "Cấp xã")
    page.fill("#id_points-0-count", "1")
    page.fill("#id_points-1-level", "Chi bộ")
    page.fill("#id_points-1-count", "12")
    page.fill("#id_attendance-0-level", "Cấp xã")
    page.select_option("#id_attendance-0-category", "party_members")
    page.fill("#id_attendance-0-count", "195")
    page.fill("#id_attendance-1-level", "Cấp xã")
    page.select_option("#id_attendance-1-category", "public")
    page.fill("#id_attendance-1-count", "1.050")
    with page.expect_navigation():
        page.click("form.conference-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("Đã lưu hội nghị.")
    expect(page.locator("h1.conference-title")).to_have_text(
        "Hội nghị quán triệt Kết luận 21 và Kế hoạch 05-KH/TU"
    )
    expect(page.locator("ul.documents li")).to_have_count(2)
    expect(page.locator(".total-points")).to_have_text("13")
    expect(page.locator(".total-attendees")).to_have_text("1.245")
    expect(page.locator(".participation")).to_contain_text("195/200 (97,50%)")

    page.goto("/conferences/rollup/")
    expect(page.locator("h1")).to_contain_text("Tỉnh An")
    row = page.locator("table.conference-rollup tbody tr", has_text="Xã a")
    cells = row.locator("td")
    expect(cells.nth(1)).to_have_text("1")  # units held
    expect(cells.nth(2)).to_have_text("1")  # on time
    expect(cells.nth(6)).to_have_text("13")
    expect(cells.nth(7)).to_have_text("1.245")
    expect(
        page.locator("table.conference-rollup tbody tr", has_text="Xã Bình Minh")
        .locator("td")
        .nth(1)
    ).to_have_text("0")
    expect(page.locator("table.by-document tbody tr")).to_have_count(2)
    with page.expect_navigation():
        row.get_by_role("link", name="Xã a").click()
    expect(page.locator("h1")).to_contain_text("Xã a")
    expect(
        page.locator("table.conference-rollup tbody tr", has_text="Trực tiếp Xã a")
    ).to_contain_text("1.245")
