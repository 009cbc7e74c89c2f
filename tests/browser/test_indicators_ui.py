"""Indicators in the browser at 1366 and 390 px: a provincial coordinator sees the communes in
red, orange and green with the rule; a commune reports a value and its colour changes; the
XLSX import refuses a bad file with errors per row and accepts a good one.

Set TRIENKHAI_SHOTS to a directory to keep the screenshots of both widths."""

import datetime
import io
import os
from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import DocType
from trienkhai.indicators import actions, imports, periods
from trienkhai.tree.kinds import UnitKind

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"
SIZES = [(1366, 900), (390, 844)]
OVERFLOW = "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"


@pytest.fixture
def world(transactional_db):
    today = datetime.date.today()
    year = (today - datetime.timedelta(days=60)).year
    elapsed = periods.elapsed("month", year, today)
    tree = factories.small_tree()
    prov = tree["prov_a"]
    a2 = factories.unit(prov, UnitKind.COMMUNE, "Xã Đông Hưng", "C-a2")
    a3 = factories.unit(prov, UnitKind.COMMUNE, "Xã Tây Sơn", "C-a3")
    doc = register_document(
        None,
        symbol="57-NQ/TW",
        doc_type=DocType.RESOLUTION,
        issuing_unit=tree["root"],
        term="XIII",
        date=datetime.date(2024, 12, 22),
        subject="Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
    )
    s = actions.create_set(None, document=doc, unit=prov, name="Chỉ tiêu chuyển đổi số", year=year)
    ind = actions.add_indicator(
        None,
        s,
        code="CDS-02",
        name="Số đảng viên dùng Sổ tay đảng viên điện tử",
        measure="đảng viên",
        aggregation="sum",
        period="month",
    )
    actions.set_target(None, ind, prov, 360)
    actions.cascade(None, ind, prov, method="even")  # 120 each
    for month in range(1, elapsed + 1):
        actions.report_value(None, ind, tree["commune_a"], month, 10, today=today)  # green
        actions.report_value(None, ind, a2, month, "9,5", today=today)  # orange
    actions.report_value(None, ind, a3, 1, 1, today=today)  # red
    factories.user("bithu-an", (Role.COORDINATOR, prov), password=PASSWORD)
    factories.user("xa-tayson", (Role.REPORTER, a3, False), password=PASSWORD)
    return {"set": s, "indicator": ind, "prov": prov, "a3": a3, "doc": doc, "elapsed": elapsed}


def _expected_400(page, browser_errors):
    """A refused form answers 400, which Chromium logs; that one message is expected."""
    page.evaluate("0")
    assert all("400 (Bad Request)" in e for e in browser_errors), browser_errors
    browser_errors.clear()


def _shot(page, name):
    shots = os.environ.get("TRIENKHAI_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{shots}/{name}.png", full_page=True)


def _fits(page):
    width, client = page.evaluate(OVERFLOW)
    assert width <= client, f"page is {width}px wide in a {client}px window"


@pytest.mark.parametrize("size", SIZES, ids=["1366", "390"])
def test_coordinator_sees_red_orange_green_and_the_rule(browser_page, world, size):
    page = browser_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    login(page, "bithu-an", PASSWORD)
    page.goto("/tracking/")
    with page.expect_navigation():
        page.locator("#indicators-panel a", has_text="Chỉ tiêu chuyển đổi số").click()
    rows = page.locator("table.by-child tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("tr[data-unit='C-a3'] .badge")).to_have_text("▼ Nguy cơ cao không đạt")
    expect(page.locator("tr[data-unit='C-a2'] .badge")).to_have_text("◆ Có nguy cơ")
    expect(page.locator("tr[data-unit='C-a'] .badge")).to_have_text("✓ Đạt")
    expect(page.locator(".risk-rule")).to_contain_text("Chỉ tính các kỳ đã kết thúc")
    _fits(page)
    _shot(page, f"panel-{size[0]}")
    # drill down to the red commune, then to its unit page, where its indicators show
    with page.expect_navigation():
        page.locator("tr[data-unit='C-a3'] a.drill").click()
    expect(page.locator("h1")).to_contain_text("Xã Tây Sơn")
    expect(page.locator(".unit-risk .badge")).to_contain_text("Nguy cơ cao không đạt")
    _fits(page)


@pytest.mark.parametrize("size", SIZES, ids=["1366", "390"])
def test_commune_reports_and_its_colour_changes(browser_page, browser_errors, world, size):
    page = browser_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    login(page, "xa-tayson", PASSWORD)
    # the home lists the red indicator, linking to where the value is reported
    line = page.locator("a", has_text="CDS-02")
    expect(line.first).to_be_visible()
    with page.expect_navigation():
        line.first.click()
    expect(page.locator(".unit-risk .badge")).to_contain_text("Nguy cơ cao không đạt")
    page.select_option("#id_period", "1")
    page.fill("#id_value", "nhiều")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu số liệu").click()
    expect(page.locator(".report-form .errors")).to_contain_text("không phải là số")
    _expected_400(page, browser_errors)
    page.fill("#id_value", str(20 * world["elapsed"]))
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu số liệu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu số liệu")
    expect(page.locator(".unit-risk .badge")).to_have_text("✓ Đạt")
    _fits(page)
    _shot(page, f"report-{size[0]}")


def _xlsx(indicators, targets) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "chi_tieu"
    ws.append(imports.INDICATOR_COLUMNS)
    for r in indicators:
        ws.append(r)
    t = wb.create_sheet("chi_tieu_giao")
    t.append(imports.TARGET_COLUMNS)
    for r in targets:
        t.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("size", SIZES, ids=["1366", "390"])
def test_import_refuses_a_bad_file_and_accepts_a_good_one(
    browser_page, browser_errors, world, size
):
    page = browser_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    login(page, "bithu-an", PASSWORD)
    page.goto("/indicators/")
    with page.expect_navigation():
        page.get_by_role("link", name="Nhập bộ chỉ tiêu từ Excel").click()
    good = [["KT-01", "Tỷ lệ chi bộ họp trực tuyến", "", "%", "more", "rate", "quarter", ""]]

    def fill(content):
        page.select_option("#id_document", label=f"57-NQ/TW — {world['doc'].subject[:80]}")
        page.fill("#id_unit", "Tỉnh An (P-a)")
        page.fill("#id_name", "Chỉ tiêu họp chi bộ")
        page.fill("#id_year", "2026")
        page.set_input_files(
            "#id_file", files=[{"name": "bo.xlsx", "mimeType": XLSX, "buffer": content}]
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Nhập", exact=True).click()

    fill(
        _xlsx(
            good + [["KT-01", "Trùng", "", "%", "more", "rate", "week", ""]],
            [["KT-01", "KHONG-CO", 50]],
        )
    )
    errors = page.locator(".row-errors tbody tr")
    expect(errors).to_have_count(2)
    expect(errors.nth(0)).to_contain_text("Kỳ báo cáo “week” không hợp lệ")
    expect(errors.nth(1)).to_contain_text("KHONG-CO")
    _expected_400(page, browser_errors)
    _fits(page)
    _shot(page, f"import-refused-{size[0]}")
    fill(_xlsx(good, [["KT-01", "C-a3", 50]]))
    expect(page.locator(".messages")).to_contain_text("Đã nhập bộ chỉ tiêu với 1 chỉ tiêu")
    expect(page.locator("h1")).to_contain_text("Chỉ tiêu họp chi bộ")


@pytest.mark.parametrize("size", SIZES, ids=["1366", "390"])
def test_explanation_on_a_red_indicator_asked_told_answered_counted(
    browser_page, browser_errors, world, size
):
    from trienkhai.core.background.worker import run_pending

    page = browser_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    login(page, "bithu-an", PASSWORD)
    page.goto(f"/indicators/{world['set'].pk}/?unit={world['prov'].pk}")
    # only the red commune's row offers the request
    expect(page.locator("table.by-child a.ask")).to_have_count(1)
    with page.expect_navigation():
        page.locator("tr[data-unit='C-a3'] a.ask").click()
    form = page.locator("form.request-explanation")
    page.fill("#id_question", "Đề nghị giải trình vì sao số đảng viên dùng Sổ tay thấp.")
    page.fill("#id_answer_by", "31/02/2026")
    with page.expect_navigation():
        form.get_by_role("button", name="Yêu cầu giải trình").click()
    expect(form.locator(".errors")).to_be_visible()  # no such day: refused, nothing written
    _expected_400(page, browser_errors)
    expect(page.locator("li.explanation")).to_have_count(0)
    page.fill("#id_answer_by", "")
    with page.expect_navigation():
        form.get_by_role("button", name="Yêu cầu giải trình").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi yêu cầu giải trình tới Xã Tây Sơn")
    expect(page.locator("li.explanation.open")).to_contain_text("bithu-an")
    expect(page.locator("form.request-explanation")).to_have_count(0)  # asked: not twice
    _fits(page)
    assert run_pending() == 1  # the hand-off, as `trienkhai worker` runs it

    page.context.clear_cookies()
    login(page, "xa-tayson", PASSWORD)
    page.goto("/notifications/")
    note = page.locator("a", has_text="Yêu cầu giải trình chỉ tiêu: CDS-02")
    expect(note.first).to_be_visible()
    page.goto("/")
    line = page.locator("a", has_text="CDS-02").first
    expect(page.get_by_text("Giải trình chỉ tiêu").first).to_be_visible()
    with page.expect_navigation():
        line.click()
    page.fill("#id_answer", "Xã mới sáp nhập; đang kích hoạt lại tài khoản cho đảng viên.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi giải trình").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi giải trình.")
    expect(page.locator("li.explanation")).to_contain_text("xa-tayson")
    _fits(page)
    _shot(page, f"explanation-{size[0]}")
    # the unit page counts it: asked once, answered once, none late
    page.goto(f"/units/{world['a3'].pk}/")
    own = page.locator("table.explanation-record tr.own td")
    expect(own.nth(0)).to_have_text("1")
    expect(own.nth(1)).to_have_text("1")
    expect(own.nth(2)).to_have_text("0")
    assert run_pending() == 1  # the answer goes back to the province
