"""A reporter is told of a returned report in the inbox, and chooses the daily digest and English
on the account page; the interface follows the language at once."""

import datetime
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.background.worker import run_pending
from trienkhai.notify.models import Preference
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import Assignment
from trienkhai.tracking.tests.test_actions import central_plan, one_off

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"
SHOTS = Path(os.environ.get("TRIENKHAI_SHOTS", "/work/wt/shots/notify"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


@pytest.mark.parametrize("width", [390, 1366])
def test_returned_report_in_the_inbox_and_preferences(browser_page, transactional_db, width):
    tree = factories.small_tree()
    rep = factories.user("bao-cao", (Role.REPORTER, tree["prov_a"]), password=PASSWORD)
    coord = factories.user("dieu-phoi", (Role.COORDINATOR, tree["root"]))
    task = one_off(central_plan(tree))
    assign_actions.assign(None, task, units=[tree["prov_a"]])
    a = Assignment.objects.get(task=task)
    report = report_actions.report_progress(
        rep, a, reported_on=datetime.date(2022, 3, 1), percent=60, done=False
    )
    report_actions.review_report(coord, report, accept=False, reason="Thiếu biên bản họp")
    assert run_pending() == 3  # assigned, submitted, returned

    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "bao-cao", PASSWORD)
    page.goto("/notifications/")
    item = page.get_by_text("Báo cáo bị trả lại: Tổ chức học tập, quán triệt")
    expect(item).to_be_visible()
    expect(page.get_by_text("Lý do: Thiếu biên bản họp")).to_be_visible()
    _shot(page, f"inbox-{width}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto("/accounts/me/")
    form = page.locator("#notify-preferences")
    expect(form.get_by_label("Gửi một thư tổng hợp mỗi ngày")).to_be_visible()
    _shot(page, f"account-{width}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    form.get_by_label("Gửi một thư tổng hợp mỗi ngày").check()
    form.get_by_label("Ngôn ngữ của thư và giao diện").select_option("en")
    with page.expect_navigation():
        form.get_by_role("button").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    _shot(page, f"account-saved-en-{width}.png")
    pref = Preference.objects.get(user=rep)
    assert (pref.delivery, pref.language) == ("digest", "en")
