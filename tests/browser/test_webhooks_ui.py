"""An administrator subscribes an e-office system to the province's events from the menu, on a
phone and on a desktop, sends a test event, and reads the delivery log."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-dung-1"


@pytest.fixture
def admin(transactional_db, settings):
    settings.TRIENKHAI_WEBHOOK_ALLOW_LOOPBACK = True
    tree = factories.small_tree()
    factories.user("quantri-webhook", (Role.ADMINISTRATOR, tree["prov_a"]), password=PASSWORD)
    return tree


@pytest.mark.parametrize("width", [390, 1366])
def test_an_administrator_subscribes_and_sees_the_log(browser_page, admin, width, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "quantri-webhook", PASSWORD)
    if width < 700:
        page.click("button.menu-toggle")
    page.click("a[href='/webhooks/']")
    expect(page).to_have_url(re.compile(r"/webhooks/$"))
    page.fill("#id_name", "Văn phòng điện tử tỉnh")
    page.fill("#id_url", "http://127.0.0.1:9/nhan-su-kien")
    page.fill("#id_unit", "P-a")
    page.check("input[name=events][value='tracking.']")
    page.click("form button[type=submit]:has-text('Đăng ký')")
    expect(page.locator("h1")).to_have_text("Văn phòng điện tử tỉnh")
    page.click("button:has-text('Gửi sự kiện thử')")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    expect(page.locator("table.list tbody")).to_contain_text("webhooks.ping")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(tmp_path / f"webhook-{width}.png"), full_page=True)
