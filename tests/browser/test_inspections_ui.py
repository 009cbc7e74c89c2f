"""An inspector runs an inspection end to end in Chromium: create, decide, announce; the
inspected commune uploads its self-report; the inspector concludes with a request (and answers a
recommendation upward); the commune files its action plan and a remediation report; the
inspector evaluates it effective and closes."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import DocType

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"


@pytest.fixture
def province(transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    tree = factories.small_tree()
    register_document(
        None,
        symbol="21-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=tree["root"],
        term="XIII",
        date=datetime.date(2021, 10, 25),
        subject="Về đẩy mạnh xây dựng, chỉnh đốn Đảng",
    )
    factories.user("kiemtra-an", (Role.INSPECTOR, tree["prov_a"]), password=PASSWORD)
    factories.user("baocao-xa", (Role.REPORTER, tree["commune_a"], False), password=PASSWORD)
    return tree


def submit(page, form_selector):
    with page.expect_navigation():
        page.click(f"{form_selector} button[type=submit]")


def test_inspection_to_verified_remediation(browser_page, province, tmp_path):
    page = browser_page
    login(page, "kiemtra-an", PASSWORD)
    page.goto("/inspections/new/")
    page.select_option("#id_kind", "thematic_inspection")
    page.fill("#id_unit", "P-a")
    page.fill("#id_team_name", "Đoàn kiểm tra số 7")
    page.fill("#id_title", "Kiểm tra việc thực hiện Kết luận số 21-KL/TW")
    page.fill("#id_directives", "21-KL/TW")
    page.fill("#id_inspected_units", "C-a")
    page.fill("#id_period_from", "01/01/2017")
    page.fill("#id_period_to", "30/06/2024")
    page.fill("#id_work_from", "01/09/2024")
    page.fill("#id_work_to", "30/09/2024")
    submit(page, "form.inspection-form")
    expect(page.locator(".messages")).to_contain_text("Đã tạo cuộc kiểm tra, giám sát.")
    expect(page.locator("h1")).to_contain_text("Đoàn kiểm tra số 7")
    expect(page.locator(".current-state")).to_have_text("Dự kiến")
    expect(page.locator(".warnings")).to_contain_text("Thời kỳ kiểm tra dài hơn 5 năm")
    detail = page.url

    # Decide: the decision is registered from the step form.
    page.fill("#id_symbol", "15-QĐ/TU")
    page.fill("#id_doc_date", "20/08/2024")
    page.fill("#id_subject", "Quyết định thành lập Đoàn kiểm tra số 7")
    page.fill("#id_term", "XVII")
    submit(page, "form.step-form")
    expect(page.locator(".current-state")).to_have_text("Đã có quyết định")
    expect(page.locator("dd.decision")).to_contain_text("15-QĐ/TU")
    page.fill("form.step-form #id_date", "01/09/2024")
    submit(page, "form.step-form")
    expect(page.locator(".current-state")).to_have_text("Đã công bố")

    page.context.clear_cookies()
    login(page, "baocao-xa", PASSWORD)
    page.goto(detail)
    expect(page.locator("#units")).to_contain_text("Bạn chỉ xem được phần của đơn vị mình.")
    expect(page.locator("form.step-form")).to_have_count(0)
    report = tmp_path / "bao-cao-tu-kiem-tra.pdf"
    report.write_bytes(b"%PDF-1.4 bao cao tu kiem tra")
    page.fill("#selfreport_submitted_on", "10/09/2024")
    page.set_input_files("#selfreport_file", str(report))
    submit(page, "form.self-report-form")
    expect(page.locator(".messages")).to_contain_text("Đã gửi báo cáo tự kiểm tra.")
    expect(page.locator("#self-reports .versions")).to_contain_text("bao-cao-tu-kiem-tra.pdf")

    page.context.clear_cookies()
    login(page, "kiemtra-an", PASSWORD)
    page.goto(detail)
    for day in ("12/09/2024", "15/09/2024"):
        page.fill("form.step-form #id_date", day)
        submit(page, "form.step-form")
    expect(page.locator(".current-state")).to_have_text("Đang thẩm tra, xác minh")
    page.fill("#id_symbol", "30-TB/TU")
    page.fill("#id_doc_date", "05/10/2024")
    page.fill("#id_subject", "Thông báo kết luận kiểm tra")
    page.fill("#id_term", "XVII")
    submit(page, "form.step-form")
    expect(page.locator(".current-state")).to_have_text("Đã thông báo kết luận")
    expect(page.locator("dd.notice")).to_contain_text("30-TB/TU")

    with page.expect_navigation():
        page.get_by_role("link", name="Kết luận, yêu cầu và kiến nghị").click()
    page.select_option("#id_finding-kind", "shortcoming")
    page.fill("#id_finding-text", "Sinh hoạt chi bộ chưa đều")
    submit(page, "form.finding-form")
    expect(page.locator("table.findings")).to_contain_text("Sinh hoạt chi bộ chưa đều")
    page.fill("#id_request-text", "Nâng cao chất lượng sinh hoạt chi bộ")
    page.fill("#id_request-deadline", "31/12/2024")
    submit(page, "form.request-form")
    expect(page.locator(".messages")).to_contain_text("Đã ghi yêu cầu khắc phục.")
    expect(page.locator("table.requests")).to_contain_text("Nâng cao chất lượng sinh hoạt chi bộ")
    # A recommendation upward, answered from its own form (each form has its own element ids).
    page.fill("#id_recommendation-text", "Đề nghị hướng dẫn thêm về sinh hoạt chuyên đề")
    submit(page, "form.recommendation-form")
    expect(page.locator("ul.recommendations")).to_contain_text("Đề nghị hướng dẫn thêm")
    answer = page.locator("form.response-form")
    expect(answer).to_have_count(1)
    answer.locator("textarea").fill("Tỉnh ủy sẽ ban hành hướng dẫn")
    submit(page, "form.response-form")
    expect(page.locator(".messages")).to_contain_text("Đã ghi trả lời kiến nghị.")
    expect(page.locator("ul.recommendations .response")).to_contain_text("sẽ ban hành hướng dẫn")

    page.context.clear_cookies()
    login(page, "baocao-xa", PASSWORD)
    page.goto("/inspections/requests/?side=owner")
    rows = page.locator("table.remediation-requests tbody tr")
    expect(rows).to_have_count(1)
    with page.expect_navigation():
        rows.get_by_role("link", name="Nâng cao chất lượng sinh hoạt chi bộ").click()
    expect(page.locator(".request-state")).to_have_text("Chưa thực hiện")
    page.fill("#plan_text", "Họp chi bộ chuyên đề hằng tháng")
    page.fill("#plan_start_on", "10/10/2024")
    submit(page, "form.plan-form")
    expect(page.locator(".request-state")).to_have_text("Đang khắc phục")
    expect(page.locator(".action-plan")).to_contain_text("Họp chi bộ chuyên đề hằng tháng")
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(b"%PDF-1.4 bien ban")
    page.fill("#report_reported_on", "20/11/2024")
    page.fill("#report_text", "Đã họp đủ 2 kỳ")
    page.set_input_files("#report_file", str(evidence))
    submit(page, "form.report-form")
    expect(page.locator(".request-state")).to_have_text("Đã báo cáo khắc phục")
    expect(page.locator(".remediation-report")).to_contain_text("bien-ban.pdf")
    expect(page.locator("form.evaluation-form")).to_have_count(0)
    request_url = page.url

    page.context.clear_cookies()
    login(page, "kiemtra-an", PASSWORD)
    page.goto(request_url)
    page.fill("#evaluation_evaluated_on", "25/11/2024")
    page.check("form.evaluation-form input[name=effective][value='1']")
    submit(page, "form.evaluation-form")
    expect(page.locator(".evaluation.effective")).to_contain_text("Khắc phục có hiệu quả")
    page.fill("#close_date", "26/11/2024")
    submit(page, "form.close-form")
    expect(page.locator(".request-state")).to_have_text("Đã khắc phục")
    expect(page.locator(".closed-on")).to_have_text("26/11/2024")

    page.goto(detail)
    page.fill("form.step-form #id_date", "27/11/2024")
    submit(page, "form.step-form")
    expect(page.locator(".current-state")).to_have_text("Theo dõi khắc phục")
    page.fill("form.step-form #id_date", "28/11/2024")
    submit(page, "form.step-form")
    expect(page.locator(".current-state")).to_have_text("Kết thúc")
    expect(page.locator("table.steps tbody tr")).to_have_count(8)


def test_edit_programme_and_remove_a_unit_and_a_finding(browser_page, province):
    """The programme is edited from the programmes page; an inspected unit is taken off after a
    confirmation (a dismissed one changes nothing); a finding written by mistake is removed."""
    from django.contrib.auth import get_user_model

    from trienkhai.inspections.actions import conclusions as conclusion_actions
    from trienkhai.inspections.actions import inspections as inspection_actions
    from trienkhai.inspections.actions import programmes as programme_actions
    from trienkhai.inspections.actions import steps as step_actions

    inspector = get_user_model().objects.get(username="kiemtra-an")
    programme_actions.create_programme(
        inspector, unit=province["prov_a"], year=2024, title="Chương trình 2024"
    )
    inspection = inspection_actions.create_inspection(
        inspector,
        kind="thematic_supervision",
        unit=province["prov_a"],
        title="Giám sát việc học tập nghị quyết",
        inspected_units=[province["commune_a"], province["org_a"]],
        work_from=datetime.date(2024, 9, 1),
        planned_on=datetime.date(2024, 8, 1),
    )
    page = browser_page
    login(page, "kiemtra-an", PASSWORD)
    page.goto("/inspections/programmes/")
    with page.expect_navigation():
        page.get_by_role("link", name="Sửa").click()
    page.fill("#id_title", "Chương trình kiểm tra, giám sát năm 2024 (sửa đổi)")
    page.fill("#id_note", "Bổ sung giám sát chuyên đề")
    submit(page, "form.programme-edit-form")
    expect(page.locator(".messages")).to_contain_text("Đã lưu chương trình.")
    expect(page.locator("table.programmes")).to_contain_text("(sửa đổi)")
    expect(page.locator("table.programmes")).to_contain_text("Bổ sung giám sát chuyên đề")

    page.goto(f"/inspections/{inspection.pk}/")
    buttons = page.locator("form.part-remove-form button")
    expect(buttons).to_have_count(2)
    page.once("dialog", lambda dialog: dialog.dismiss())
    buttons.last.click()
    expect(page.locator("ul.parts li")).to_have_count(2)
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        buttons.last.click()
    expect(page.locator(".messages")).to_contain_text("Đã bớt “Đảng bộ a” khỏi đối tượng kiểm tra.")
    expect(page.locator("ul.parts li")).to_have_count(1)
    expect(page.locator("form.part-remove-form")).to_have_count(0)
    expect(page.locator("ul.parts")).to_contain_text("Cuộc kiểm tra phải có ít nhất một đối tượng.")

    # Walk on to verification (through the actions) and remove a finding on the conclusions page.
    from trienkhai.documents.models import DocType

    decision = step_actions.register_side_document(
        inspector,
        inspection,
        doc_type=DocType.DECISION,
        symbol="15-QĐ/TU",
        date=datetime.date(2024, 8, 20),
        subject="Quyết định thành lập đoàn",
        term="XVII",
    )
    inspection = step_actions.decide(inspector, inspection, decision=decision)
    inspection = step_actions.announce(inspector, inspection, date=datetime.date(2024, 9, 1))
    part = inspection.parts.get()
    inspection_actions.upload_self_report(
        None,
        part,
        submitted_on=datetime.date(2024, 9, 10),
        name="bao-cao.pdf",
        content=b"%PDF-1.4 tu kiem tra",
    )
    inspection = step_actions.receive_self_reports(
        inspector, inspection, date=datetime.date(2024, 9, 12)
    )
    inspection = step_actions.start_verification(
        inspector, inspection, date=datetime.date(2024, 9, 15)
    )
    conclusion_actions.add_finding(inspector, part, kind="violation", text="Ghi nhầm kết luận")
    page.goto(f"/inspections/{inspection.pk}/conclusions/")
    expect(page.locator("table.findings")).to_contain_text("Ghi nhầm kết luận")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click("form.finding-remove-form button")
    expect(page.locator(".messages")).to_contain_text("Đã xóa kết luận.")
    expect(page.locator("table.findings")).not_to_contain_text("Ghi nhầm kết luận")
