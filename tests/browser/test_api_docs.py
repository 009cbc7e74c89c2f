"""The API documentation page: Swagger UI from the installed package, under the site's Content
Security Policy (the browser fixture fails on any violation or console error)."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"


def test_the_api_documentation_page_lists_the_operations(browser_page, transactional_db):
    factories.user("apidocs", superuser=True, password=PASSWORD)
    login(browser_page, "apidocs", PASSWORD)
    # Reached from the account page, where the API tokens are.
    browser_page.goto("/accounts/me/")
    browser_page.click("a[href='/api/docs/']")
    expect(browser_page.locator(".swagger-ui .info .title")).to_contain_text("Triển khai API")
    # The areas of the API start collapsed (over a hundred operations); opening one lists its own.
    tags = browser_page.locator(".opblock-tag")
    expect(tags.filter(has_text="unit-reports")).to_have_count(1)
    assert tags.count() >= 25
    tags.filter(has_text="documents").first.click()
    expect(
        browser_page.locator(".opblock-summary-path", has_text="/api/documents/").first
    ).to_be_visible()
