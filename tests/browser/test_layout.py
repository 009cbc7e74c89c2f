"""Every page of the main flows fits a 390 px phone and a 1366 px screen, for a reporter, a
coordinator and an inspector, over the demo data: the page never scrolls sideways (menus, tables
and charts fold or scroll inside their own box), every form control has a label, every header
cell a scope; at 1366 px the main menu keeps each entry on one line and all entries on one row,
in Vietnamese and in English."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.demo.loader import ensure_demo
from trienkhai.tracking.models import Assignment
from trienkhai.units.models import Unit

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"
WIDTHS = (390, 1366)
FIXED = [
    "/",
    "/tracking/my-work/",
    "/tracking/",
    "/tracking/plans/",
    "/documents/",
    "/inspections/",
    "/conferences/",
    "/practices/",
    "/evaluations/",
    "/notifications/",
    "/log/",
    "/accounts/me/",
    "/units/",
]
# Detail pages reached the way a person reaches them: the first link of its kind on a list page.
FOLLOW = [
    ("/tracking/plans/", r"/tracking/plans/\d+/"),
    (r"/tracking/plans/\d+/", r"/tracking/tasks/\d+/"),
    ("/documents/", r"/documents/\d+/"),
    ("/inspections/", r"/inspections/\d+/"),
    ("/conferences/", r"/conferences/\d+/"),
    ("/practices/", r"/practices/\d+/"),
    ("/evaluations/", r"/evaluations/periods/\d+/"),
    ("/units/", r"/units/\d+/"),
]

OVERFLOW = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
UNLABELLED = """[...document.querySelectorAll(
  "input:not([type=hidden]):not([type=submit]), select, textarea")]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
    && !el.getAttribute("aria-labelledby") && !el.title)
  .map(el => el.name || el.id)"""
NO_SCOPE = """[...document.querySelectorAll("th:not([scope])")].map(th => th.textContent.trim())"""
# Entries of the main menu: [text, number of line boxes, top] each.
MENU_ROWS = """[...document.querySelectorAll(".mainnav a")].map(a => {
  const r = a.getBoundingClientRect();
  const line = parseFloat(getComputedStyle(a).lineHeight);
  const style = getComputedStyle(a);
  const pad = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
  return [a.textContent.trim(), Math.round((r.height - pad) / line), Math.round(r.top)];
})"""


@pytest.fixture
def demo(transactional_db):
    ensure_demo()
    open_work = Assignment.objects.filter(
        completed_on__isnull=True, unit__path__startswith=Unit.objects.get(code="LDG").path
    ).select_related("unit")
    target = open_work.order_by("due", "pk").first()
    assert target is not None, "the demo has no open assignment in Lâm Đồng"
    factories.user("pv-baocao", (Role.REPORTER, target.unit, False), password=PASSWORD)
    province = Unit.objects.get(code="LDG")
    factories.user("pv-dieuphoi", (Role.COORDINATOR, province), password=PASSWORD)
    factories.user("pv-kiemtra", (Role.INSPECTOR, Unit.objects.get(code="TW")), password=PASSWORD)
    return target


def first_link(page: Page, pattern: str) -> str | None:
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    return next((h for h in hrefs if re.fullmatch(pattern, h.split("?")[0])), None)


def walk(page: Page) -> list[str]:
    """The pages of the main flows this user can reach, detail pages found by following links."""
    urls = list(FIXED)
    found = {}
    for source, pattern in FOLLOW:
        if "\\d" in source and source not in found:  # a detail page found before
            continue
        page.goto(found.get(source, source))
        link = first_link(page, pattern)
        if link:
            urls.append(link)
            found[pattern] = link
    # The report form sits on the assignment page: from my work, else from the task.
    page.goto("/tracking/my-work/")
    assignment = first_link(page, r"/tracking/assignments/\d+/")
    if assignment is None and r"/tracking/tasks/\d+/" in found:
        page.goto(found[r"/tracking/tasks/\d+/"])
        assignment = first_link(page, r"/tracking/assignments/\d+/")
    assert assignment, "no assignment reachable from my work or a task"
    urls.append(assignment)
    return urls


def check_page(page: Page, url: str, width: int) -> list[str]:
    problems = []
    response = page.goto(url)
    if response.status != 200:
        return [f"{url} answered {response.status}"]
    scroll, client = page.evaluate(OVERFLOW)
    if scroll > client:
        problems.append(f"{url} at {width} px is {scroll} px wide")
    if unlabelled := page.evaluate(UNLABELLED):
        problems.append(f"{url}: controls without a label {unlabelled}")
    if no_scope := page.evaluate(NO_SCOPE):
        problems.append(f"{url}: header cells without scope {no_scope}")
    return problems


def assert_menu_on_one_row(page: Page) -> None:
    entries = page.evaluate(MENU_ROWS)
    assert len(entries) >= 7, entries
    wrapped = [text for text, lines, _top in entries if lines != 1]
    assert not wrapped, f"menu entries wrap: {wrapped}"
    assert len({top for _text, _lines, top in entries}) == 1, f"menu takes several rows: {entries}"


@pytest.mark.parametrize("username", ["pv-baocao", "pv-dieuphoi", "pv-kiemtra"])
def test_main_flow_pages_fit_phone_and_desktop(browser_page, demo, username):
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, username, PASSWORD)
    urls = walk(page)
    assert len(urls) >= len(FIXED) + 6, urls
    if username == "pv-baocao":
        page.goto(urls[-1])
        expect(page.locator("form.report-form")).to_be_visible()
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            problems += check_page(page, url, width)
    assert not problems, "\n".join(problems)

    # Charts keep labels a person can read on the phone (they scroll inside their figure); a
    # reporter of one unit has no roll-up to draw.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/tracking/")
    heights = page.eval_on_selector_all(
        "figure.chart svg text", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    if username != "pv-baocao":
        assert heights, "the dashboard draws no chart"
    assert min(heights, default=10) >= 10, heights

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto("/")
    assert_menu_on_one_row(page)
    page.select_option("select[name=language]", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_menu_on_one_row(page)
    for url in ("/tracking/", "/inspections/"):
        page.goto(url)
        assert_menu_on_one_row(page)
        scroll, client = page.evaluate(OVERFLOW)
        assert scroll <= client, (url, scroll)
