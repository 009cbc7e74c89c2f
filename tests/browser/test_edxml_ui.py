"""A province coordinator receives a plan from the e-office system as an edXML file: from the
document registry, in a few clicks, on a phone and on a desktop."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents.tests.test_edxml import message

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-dung-1"


@pytest.fixture
def coordinator(transactional_db):
    tree = factories.small_tree()
    factories.user("dieuphoi-edxml", (Role.COORDINATOR, tree["prov_a"]), password=PASSWORD)
    return tree


@pytest.mark.parametrize("width", [390, 1366])
def test_a_plan_arrives_as_edxml(browser_page, coordinator, width, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "dieuphoi-edxml", PASSWORD)
    page.goto("/documents/")
    page.click("a:has-text('Nhận từ tệp edXML')")
    expect(page).to_have_url(re.compile(r"/documents/import/edxml/"))
    source = tmp_path / "ke-hoach-05.edxml"
    source.write_bytes(message())
    page.set_input_files("#id_file", str(source))
    page.fill("#id_issuing_unit", "P-a")
    page.fill("#id_term", "XVII")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(tmp_path / f"edxml-import-{width}.png"), full_page=True)
    page.click("form button[type=submit]:has-text('Vào sổ')")
    expect(page.locator("h1")).to_contain_text("05-KH/TU")
    expect(page.locator("ul.attachments")).to_contain_text("ke-hoach-05.pdf")
    expect(page.locator("a:has-text('Tải edXML')")).to_be_visible()
    page.screenshot(path=str(tmp_path / f"edxml-document-{width}.png"), full_page=True)
