"""Opening the organisation tree, expanding a node lazily, and finding a unit without diacritics."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"


@pytest.fixture
def province(transactional_db):
    tree = factories.small_tree()
    dam_ha = factories.unit(tree["prov_a"], "commune", "Đảng bộ xã Đầm Hà", "X-DH")
    factories.user("canbo-an", (Role.VIEWER, tree["prov_a"]), password=PASSWORD)
    return {**tree, "dam_ha": dam_ha}


def test_expand_a_node_then_search_without_diacritics(browser_page, province):
    page = browser_page
    login(page, "canbo-an", PASSWORD)
    page.goto("/units/")
    tree = page.locator("#unit-tree")
    expect(tree.get_by_role("link", name="Tỉnh An")).to_be_visible()
    expect(tree.get_by_text("Xã a")).to_have_count(0)  # children load on demand

    toggle = tree.locator(f"li[data-unit='{province['prov_a'].pk}'] > button.toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(tree.get_by_role("link", name="Xã a")).to_be_visible()
    expect(tree.get_by_role("link", name="Đảng bộ xã Đầm Hà")).to_be_visible()
    toggle.click()
    expect(tree.get_by_role("link", name="Xã a")).to_be_hidden()

    page.fill("input[name=q]", "dam ha")
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    result = page.locator(".search-results a", has_text="Đầm Hà")
    expect(result).to_have_text("Trung ương › Tỉnh An › Đảng bộ xã Đầm Hà")
    expect(page.get_by_text("Tỉnh Bình")).to_have_count(0)
    with page.expect_navigation():
        result.click()
    expect(page.locator("h1")).to_have_text("Đảng bộ xã Đầm Hà")
    expect(page.locator("dl.facts")).to_contain_text("X-DH")
