"""Sign-in, sign-out and the language switch, as a person does them in the browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"


@pytest.fixture
def member(transactional_db):
    return factories.user("nguyenvana", password=PASSWORD)


def test_sign_in_reaches_home_with_styles(browser_page, member):
    """A right password lands on the home page, which loads its CSS and JS (served locally)."""
    login(browser_page, "nguyenvana", PASSWORD)
    expect(browser_page).to_have_url(re.compile(r"/$"))
    expect(browser_page.locator(".who")).to_have_text("nguyenvana")
    # The stylesheet came from the live server and its rules apply (CSP style-src 'self').
    rules = browser_page.evaluate(
        "Array.from(document.styleSheets).filter(s => s.href && s.href.includes('/static/'))"
        ".map(s => s.cssRules.length)"
    )
    assert rules and rules[0] > 0
    # Without the stylesheet the body keeps the browser's 8px margin and the header is a block.
    assert browser_page.evaluate("getComputedStyle(document.body).marginTop") == "0px"
    expect(browser_page.locator("header.site-header")).to_have_css("display", "grid")


def test_wrong_password_shows_vietnamese_error(browser_page, member):
    """A wrong password keeps the person on /login/ with a Vietnamese message."""
    browser_page.goto("/login/")
    browser_page.fill("#id_username", "nguyenvana")
    browser_page.fill("#id_password", "sai-mat-khau")
    with browser_page.expect_navigation():
        browser_page.click("form:has(#id_password) button[type=submit]")
    expect(browser_page).to_have_url(re.compile(r"/login/"))
    alert = browser_page.locator("[role=alert]")
    expect(alert).to_contain_text("mật khẩu")
    assert "Please enter" not in alert.inner_text()
    expect(browser_page.locator("html")).to_have_attribute("lang", "vi")


def test_language_switch_to_english(browser_page, member):
    """Choosing English in the header reloads the page in English (html lang="en")."""
    login(browser_page, "nguyenvana", PASSWORD)
    expect(browser_page.locator("html")).to_have_attribute("lang", "vi")
    with browser_page.expect_navigation():
        browser_page.select_option("header select[name=language]", "en")
    expect(browser_page.locator("html")).to_have_attribute("lang", "en")
    # The choice sticks for the next page.
    browser_page.goto("/")
    expect(browser_page.locator("html")).to_have_attribute("lang", "en")


def test_logout_returns_to_login_and_closes_the_session(browser_page, member):
    """Signing out goes to the login page, and the home page then asks to sign in again."""
    login(browser_page, "nguyenvana", PASSWORD)
    with browser_page.expect_navigation():
        browser_page.click("form[action='/logout/'] button")
    expect(browser_page).to_have_url(re.compile(r"/login/"))
    browser_page.goto("/")
    expect(browser_page).to_have_url(re.compile(r"/login/\?next=/"))
    expect(browser_page.locator("#id_password")).to_be_visible()
