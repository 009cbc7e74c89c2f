"""Finding a directive without typing diacritics, then following it down to a province's plan."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents.actions import register_document, relate
from trienkhai.documents.models import DocType, RelationKind

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"


@pytest.fixture
def registry(transactional_db):
    tree = factories.small_tree()
    directive = register_document(
        None,
        symbol="21-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=tree["root"],
        term="XIII",
        date=datetime.date(2021, 10, 25),
        subject="Về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị",
    )
    plan = register_document(
        None,
        symbol="01-KH/TU",
        doc_type=DocType.PLAN,
        issuing_unit=tree["prov_a"],
        term="XVII",
        date=datetime.date(2021, 12, 20),
        subject="Kế hoạch của Tỉnh ủy An thực hiện Kết luận",
    )
    relate(None, plan, directive, RelationKind.IMPLEMENTS)
    factories.user("canbo-an", (Role.VIEWER, tree["prov_a"]), password=PASSWORD)
    return {"directive": directive, "plan": plan}


def test_search_without_diacritics_then_see_the_cascade(browser_page, registry):
    page = browser_page
    login(page, "canbo-an", PASSWORD)
    page.goto("/documents/")
    page.fill("input[name=q]", "ket luan 21")
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    results = page.locator("table.documents tbody tr")
    expect(results).to_have_count(1)
    with page.expect_navigation():
        results.get_by_role("link", name="21-KL/TW").click()
    expect(page).to_have_url(re.compile(rf"/documents/{registry['directive'].pk}/$"))
    expect(page.locator("h1")).to_contain_text("Kết luận số 21-KL/TW")
    with page.expect_navigation():
        page.get_by_role("link", name="Triển khai các cấp").click()
    level = page.locator("section.cascade-level", has_text="Cấp tỉnh")
    expect(level).to_contain_text("01-KH/TU")
    expect(level).to_contain_text("Kế hoạch của Tỉnh ủy An")
    with page.expect_navigation():
        level.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(rf"/documents/{registry['plan'].pk}/$"))
