"""Reports upward in Chromium at 1366 and 390 px: a commune drafts its report from the system's
figures and sends it; the province opens its consolidated report, sees who is late and whose
written figure disagrees with its own data, and downloads the DOCX, PDF and XLSX annex.

Set TRIENKHAI_SHOTS to a directory to keep the screenshots."""

import datetime
import io
import os
from pathlib import Path

import pytest
from docx import Document as Docx
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import DocType
from trienkhai.reports import outline
from trienkhai.reports.actions import requests as request_actions
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tree.kinds import UnitKind

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"
SIZES = [(1366, 900), (390, 844)]
D = datetime.date


@pytest.fixture
def world(transactional_db):
    today = datetime.date.today()
    tree = factories.small_tree()
    prov = tree["prov_a"]
    ward = factories.unit(prov, UnitKind.WARD, "Phường An Hòa", "W-a2")
    kl21 = register_document(
        None, symbol="21-KL/TW", doc_type=DocType.CONCLUSION, issuing_unit=tree["root"],
        term="XIII", date=D(2021, 10, 25), subject="Về đẩy mạnh xây dựng, chỉnh đốn Đảng",
    )  # fmt: skip
    # the commune owed its own plan this year and never issued it
    kh = register_document(
        None, symbol="03-KH/TW", doc_type=DocType.PLAN, issuing_unit=tree["root"], term="XIII",
        date=D(2021, 12, 1), subject="Kế hoạch thực hiện Kết luận 21",
    )  # fmt: skip
    plan = plan_actions.register_plan(None, kh, implements=kl21)
    task = plan_actions.add_task(
        None, plan, title="Ban hành kế hoạch thực hiện", lead_unit=tree["root"],
        deadline_text=(today - datetime.timedelta(days=20)).strftime("%d/%m/%Y"),
        requires_plan=True,
    )  # fmt: skip
    assign_actions.assign(None, task, units=[tree["commune_a"]], rule="units")
    coordinator = factories.user("bithu-an", (Role.COORDINATOR, prov), password=PASSWORD)
    factories.user("vanthu-xa", (Role.REPORTER, tree["commune_a"], False), password=PASSWORD)
    request = request_actions.create_request(
        coordinator,
        unit=prov,
        title="Báo cáo 6 tháng thực hiện Kết luận 21",
        kind="six_months",
        directives=[kl21],
        period_start=today - datetime.timedelta(days=180),
        period_end=today - datetime.timedelta(days=1),
        deadline=today - datetime.timedelta(days=1),  # already past: a report sent today is late
        rule="children",
        sections=[
            {"number": n, "title": str(t), "facts": f, "guidance": str(g)}
            for n, t, f, g in outline.DEFAULT_OUTLINE
        ],  # fmt: skip
        figure_codes=["plan_units", "plan_coverage_rate", "tasks_due"],
        manual=[
            {
                "code": "KH-TYLE",
                "label": "Tỷ lệ đã ban hành kế hoạch",
                "measure": "%",
                "check_against": "plan_coverage_rate",
            },
            {"code": "DV-HT", "label": "Số đảng viên được học tập", "measure": "người"},
        ],  # fmt: skip
        today=today - datetime.timedelta(days=10),
    )
    return {"request": request, "prov": prov, "ward": ward}


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], (page.url, width)


def _shot(page, name):
    shots = os.environ.get("TRIENKHAI_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{shots}/{name}.png", full_page=True)


def _download(page, link_text) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_text).click()
    return Path(info.value.path()).read_bytes()


@pytest.mark.parametrize("size", SIZES, ids=["1366", "390"])
def test_commune_sends_province_consolidates_and_downloads(browser_page, world, size):
    page = browser_page
    page.set_viewport_size({"width": size[0], "height": size[1]})
    login(page, "vanthu-xa", PASSWORD)
    # the work list says a report is owed, one click from it
    line = page.locator("a", has_text="Báo cáo 6 tháng thực hiện Kết luận 21").first
    expect(line).to_be_visible()
    with page.expect_navigation():
        line.click()
    with page.expect_navigation():
        page.get_by_role("button", name="Soạn báo cáo").click()
    expect(page.locator(".messages")).to_contain_text("Đã điền số liệu")
    # the system's own figure for the commune: 0 % of its plans issued
    coverage = page.locator("table.report-figures tr[data-code='plan_coverage_rate'] td.computed")
    expect(coverage).to_have_text("0")
    page.locator("tr[data-code='KH-TYLE'] input[name^='figure-']").fill("100")
    page.locator("tr[data-code='DV-HT'] input[name^='figure-']").fill("1.200")
    page.locator(".section-text textarea").first.fill("Đảng ủy xã đã quán triệt đến các chi bộ.")
    _fits(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu và gửi Tỉnh An").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo tới Tỉnh An")
    expect(page.locator(".report-status")).to_contain_text("gửi sau hạn")
    _shot(page, f"report-sent-{size[0]}")

    page.context.clear_cookies()
    login(page, "bithu-an", PASSWORD)
    page.goto("/reports/")
    with page.expect_navigation():
        page.locator("#asked a", has_text="Báo cáo 6 tháng").click()
    expect(page.locator(".progress-total")).to_contain_text("1/2 đơn vị đã gửi (1 gửi sau hạn)")
    _fits(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Báo cáo tổng hợp của đơn vị").click()
    consolidation = page.locator("#consolidation")
    expect(consolidation.locator(".late-units")).to_contain_text("Xã a")
    expect(consolidation.locator(".missing-units")).to_contain_text("Phường An Hòa")
    mismatch = consolidation.locator("table.mismatches tbody tr")
    expect(mismatch).to_have_count(1)
    expect(mismatch.locator(".written")).to_have_text("100")
    expect(mismatch.locator(".data")).to_have_text("0")
    with page.expect_navigation():
        page.get_by_role("button", name="Soạn báo cáo").click()
    _fits(page)
    _shot(page, f"consolidation-{size[0]}")
    docx = Docx(io.BytesIO(_download(page, "Tải DOCX")))
    assert docx.paragraphs[0].text == "DỰ THẢO"
    assert any(p.text == "BÁO CÁO" for p in docx.paragraphs)
    pdf = PdfReader(io.BytesIO(_download(page, "Tải PDF")))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in pdf.pages[0].extract_text()
    annex = load_workbook(io.BytesIO(_download(page, "Biểu thống kê (XLSX)"))).active
    names = [annex.cell(row=r, column=2).value for r in range(7, annex.max_row + 1)]
    assert "Xã a" in names and "Phường An Hòa" in names and "Tổng cộng" in names
