"""The reports pages: a request made on the form, a report drafted, sent and accepted, the
consolidation, the documents downloaded (DOCX, PDF, XLSX) and read back; bad input refused."""

import datetime
import io

from django.urls import reverse
from docx import Document as Docx
from openpyxl import load_workbook

from trienkhai.reports import figures, outline
from trienkhai.reports.actions import drafting
from trienkhai.reports.actions import requests as request_actions
from trienkhai.reports.models import FigureValue, ReportRequest, ReportState, UnitReport
from trienkhai.reports.tests.conftest import TODAY, make_request

D = datetime.date


def _form(w, **over):
    data = {
        "unit": "TW",
        "title": "Báo cáo 6 tháng thực hiện Kết luận 21",
        "kind": "six_months",
        "directives": "21-KL/TW",
        "period_start": "01/01/2022",
        "period_end": "30/06/2022",
        "deadline": (TODAY + datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
        "rule": "children",
        "figures": ["tasks_due", "plan_coverage_rate"],
        "s-TOTAL_FORMS": str(len(outline.DEFAULT_OUTLINE)),
        "s-INITIAL_FORMS": "0",
        "m-TOTAL_FORMS": "1",
        "m-INITIAL_FORMS": "0",
        "m-0-code": "DV-HT",
        "m-0-label": "Số đảng viên được học tập",
        "m-0-measure": "người",
    }
    for i, (n, t, f, g) in enumerate(outline.DEFAULT_OUTLINE):
        data.update({f"s-{i}-number": n, f"s-{i}-title": str(t), f"s-{i}-facts": f,
                     f"s-{i}-guidance": str(g)})  # fmt: skip
    data.update(over)
    return data


def test_a_coordinator_requests_on_the_form(client, w):
    client.force_login(w["coord_root"])
    page = client.get(reverse("reports-new"))
    assert page.status_code == 200 and "s-0-title" in page.content.decode()
    bad = client.post(reverse("reports-new"), _form(w, directives="99-KL/TW"))
    assert bad.status_code == 400 and "Không tìm thấy văn bản 99-KL/TW" in bad.content.decode()
    bad = client.post(reverse("reports-new"), _form(w, directives="21 KL TW ??"))
    assert bad.status_code == 400
    assert not ReportRequest.objects.exists()
    r = client.post(reverse("reports-new"), _form(w))
    assert r.status_code == 302
    req = ReportRequest.objects.get()
    assert r["Location"] == reverse("reports-request", args=[req.pk])
    assert [i.code for i in req.indicators.all()] == ["tasks_due", "plan_coverage_rate", "DV-HT"]
    page = client.get(r["Location"]).content.decode()
    assert "0/2 đơn vị đã gửi" in page and "Tỉnh An" in page
    # the province's reporter has it on the list and on the home page
    client.force_login(w["rep_a"])
    assert req.title in client.get(reverse("reports-list")).content.decode()
    home = client.get(reverse("home")).content.decode()
    assert "Báo cáo phải gửi" in home and req.title in home


def test_draft_send_accept_and_download(client, w):
    req = make_request(w)
    report = UnitReport.objects.get(request=req, unit=w["prov_a"])
    client.force_login(w["rep_a"])
    url = reverse("reports-report", args=[report.pk])
    assert "Soạn báo cáo" in client.get(url).content.decode()
    r = client.post(reverse("reports-open", args=[report.pk]), {"version": report.version})
    assert r.status_code == 302
    report.refresh_from_db()
    page = client.get(url).content.decode()
    assert "report-figures" in page and "report-draft" in page
    fields = {f.indicator.code: f.indicator_id for f in report.figures.select_related("indicator")}
    section = report.texts.order_by("section__order").first().section_id
    data = {
        "version": report.version,
        f"text-{section}": "Tỉnh ủy đã quán triệt đến 100% chi bộ.",
        f"figure-{fields['DV-HT']}": "nhiều",
        f"figure-{fields['KH-TYLE']}": "95,5",
    }
    bad = client.post(reverse("reports-save", args=[report.pk]), data)
    assert bad.status_code == 400 and "không phải là số" in bad.content.decode()
    assert FigureValue.objects.get(report=report, indicator_id=fields["KH-TYLE"]).entered is None
    data[f"figure-{fields['DV-HT']}"] = "1.500"
    r = client.post(reverse("reports-save", args=[report.pk]), {**data, "then": "submit"})
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    # the requester reviews from its waiting list
    client.force_login(w["coord_root"])
    assert "reports-waiting" in client.get(reverse("reports-list")).content.decode()
    r = client.post(
        reverse("reports-review", args=[report.pk]),
        {"version": report.version, "decision": "accept", "reason": ""},
    )
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    # the documents: a draft BC (no number yet) with the text and the figures
    docx = client.get(reverse("reports-docx", args=[report.pk]))
    assert docx.status_code == 200
    doc = Docx(io.BytesIO(docx.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == "DỰ THẢO" and "BÁO CÁO" in text
    assert "Tỉnh ủy đã quán triệt đến 100% chi bộ." in text
    assert "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN" in text
    figures_table = doc.tables[-2]
    rows = {row.cells[0].text: row.cells[2].text for row in figures_table.rows}
    assert rows["Số đảng viên được học tập"] == "1.500"
    pdf = client.get(reverse("reports-pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # another province's viewer reaches none of it
    client.force_login(w["viewer_b"])
    for name in ("reports-report", "reports-docx", "reports-annex"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404


def test_the_annex_is_a_printed_form(client, w):
    req = make_request(w)
    province = UnitReport.objects.get(request=req, unit=w["prov_a"])
    sub = request_actions.pass_down(w["coord_a"], province, deadline=TODAY, rule="children")
    commune = UnitReport.objects.get(request=sub, unit=w["commune_a"])
    commune = drafting.prefill(w["rep_commune"], commune)
    ids = {f.indicator.code: f.indicator_id for f in commune.figures.select_related("indicator")}
    overridden = figures.DEFAULT_CODES[0]
    commune = drafting.save_draft(
        w["rep_commune"], commune, expected_version=commune.version,
        figures_entered={ids["KH-TYLE"]: ("100", ""), ids["DV-HT"]: ("40", ""),
                         ids[overridden]: ("9", "Số rà soát")},
    )  # fmt: skip
    drafting.submit(w["rep_commune"], commune, expected_version=commune.version)
    province = drafting.prefill(w["rep_a"], province)
    client.force_login(w["coord_a"])
    page = client.get(reverse("reports-report", args=[province.pk])).content.decode()
    assert 'id="consolidation"' in page and "Phường An Hòa" in page
    r = client.get(reverse("reports-annex", args=[province.pk]))
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {"A5:A6", "B5:B6"} <= merged  # STT and Đơn vị down both header rows
    assert ws["A5"].value == "STT" and ws["B5"].value == "Đơn vị"
    assert ws["C5"].value == "Ban hành kế hoạch" and ws["C6"].value.startswith("Số đơn vị phải")
    assert any(m.startswith("C5:") for m in merged)  # the group spans its figures
    header = [ws.cell(row=6, column=c).value for c in range(1, ws.max_column + 1)]
    col = {label.split(" (")[0]: i + 1 for i, label in enumerate(header) if label}
    rows = {ws.cell(row=r, column=2).value: r for r in range(7, ws.max_row + 1)}
    assert {"Xã a", "Phường An Hòa", "Tổng cộng"} <= set(rows)
    cell = ws.cell(row=rows["Xã a"], column=col["Số đảng viên được học tập"])
    assert cell.value == 40 and cell.number_format == "#,##0"
    flagged = ws.cell(row=rows["Xã a"], column=col[figures.FIGURES[overridden].label])
    assert flagged.value == 9 and flagged.fill.fgColor.rgb.endswith("FFE699")
    assert "dữ liệu hệ thống" in flagged.comment.text
    assert ws.cell(row=rows["Phường An Hòa"], column=2).comment.text == "Chưa gửi báo cáo"
    total = ws.cell(row=rows["Tổng cộng"], column=col["Số đảng viên được học tập"])
    assert total.value == 40 and total.font.bold
    assert ws.print_title_rows == "$5:$6" and ws.page_setup.orientation == "landscape"
    assert ws.cell(row=ws.max_row, column=1).value.startswith("Nguồn: số liệu trên hệ thống")
