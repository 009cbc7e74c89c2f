"""The site menu by keyboard, on a phone, without scripts: a skip link first, a visible focus
ring, a menu button that folds and unfolds the menu (Escape folds it back), and without
JavaScript the menu simply stays open and still fits the screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"
OUTLINE = "el => [getComputedStyle(el).outlineStyle, parseFloat(getComputedStyle(el).outlineWidth)]"


@pytest.fixture
def reporter(transactional_db):
    tree = factories.small_tree()
    return factories.user("menu-baocao", (Role.REPORTER, tree["commune_a"]), password=PASSWORD)


def test_skip_link_and_visible_focus(browser_page, reporter):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "menu-baocao", PASSWORD)
    page.goto("/documents/")
    skip = page.locator("a.skip-link")
    assert skip.bounding_box()["y"] < 0  # out of sight until focused
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0
    style, width = skip.evaluate(OUTLINE)
    assert style != "none" and width >= 2
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab lands inside the content, past the menu.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    style, width = page.evaluate(f"({OUTLINE})(document.activeElement)")
    assert style != "none" and width >= 2


def test_phone_menu_button_by_keyboard(browser_page, reporter):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "menu-baocao", PASSWORD)
    toggle = page.locator("button.menu-toggle")
    menu = page.locator("#site-menu")
    documents = page.locator(".mainnav a[href='/documents/']")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(documents).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(documents).to_be_visible()
    expect(menu.locator("form[action='/logout/'] button")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.keyboard.press("Tab")
    expect(page.locator(".mainnav a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(documents).to_be_hidden()
    # Space works as well, and following a link leaves the next page with the menu folded.
    page.keyboard.press("Space")
    expect(documents).to_be_visible()
    documents.click()
    expect(page).to_have_url(re.compile(r"/documents/$"))
    expect(page.locator(".mainnav a[href='/documents/']")).to_be_hidden()


def test_desktop_shows_the_menu_without_a_button(browser_page, reporter):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "menu-baocao", PASSWORD)
    expect(page.locator("button.menu-toggle")).to_be_hidden()
    expect(page.locator(".mainnav a[href='/documents/']")).to_be_visible()


def test_without_javascript_the_menu_stays_open_and_fits(_chromium, live_server, reporter):
    context = _chromium.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    try:
        page = context.new_page()
        page.goto("/login/")
        page.fill("#id_username", "menu-baocao")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.click("form:has(#id_password) button[type=submit]")
        expect(page.locator("button.menu-toggle")).to_be_hidden()
        expect(page.locator(".mainnav a[href='/documents/']")).to_be_visible()
        expect(page.locator("form[action='/logout/'] button")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
