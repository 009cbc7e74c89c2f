"""Steps that many browser tests share."""

import re

from playwright.sync_api import Page, expect


def login(page: Page, username: str, password: str, next_url: str = "/") -> None:
    """Sign in through the form at /login/ and wait until the target page (home) has loaded."""
    page.goto(f"/login/?next={next_url}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("form:has(#id_password) button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/login/"))
    expect(page.locator("form[action='/logout/']")).to_be_attached()
