"""The notice of inspection conclusions (TB) comes out of the system: numbered as registered,
its findings, requests and recommendations unit by unit, downloadable as DOCX and PDF by whoever
reads the inspection — and only the parts the reader may see."""

import datetime
import io

from django.urls import reverse
from docx import Document as Docx
from pypdf import PdfReader

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.models import FindingKind
from trienkhai.inspections.tests.conftest import new_inspection, to_concluded

D = datetime.date


def _concluded(w):
    inspection, parts = to_concluded(w, new_inspection(w))
    commune, org = parts[w.commune_a.pk], parts[w.org_a.pk]
    conclusion_actions.add_finding(
        w.inspector, commune, kind=FindingKind.STRENGTH, text="Quán triệt kịp thời."
    )
    conclusion_actions.add_finding(
        w.inspector, commune, kind=FindingKind.SHORTCOMING, text="Chậm ban hành kế hoạch.",
        cause="Chưa phân công rõ.",
    )  # fmt: skip
    conclusion_actions.add_request(
        w.inspector, commune, text="Ban hành kế hoạch thực hiện.", deadline=D(2024, 12, 31)
    )
    conclusion_actions.add_finding(
        w.inspector, org, kind=FindingKind.VIOLATION, text="Vi phạm quy chế làm việc."
    )
    return inspection


def _text(docx_bytes) -> str:
    doc = Docx(io.BytesIO(docx_bytes))
    cells = [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_notice_carries_the_conclusions_unit_by_unit(client, world):
    w = world
    inspection = _concluded(w)
    client.force_login(w.inspector)
    r = client.get(reverse("inspection-notice-docx", args=[inspection.pk]))
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    text = _text(r.content)
    assert "Số 30-TB/TU" in text and "THÔNG BÁO" in text
    assert "ngày 05 tháng 10 năm 2024" in text
    assert "Thực hiện Quyết định số 15-QĐ/TU ngày 20/08/2024" in text
    for words in (
        "I. ƯU ĐIỂM",
        "II. HẠN CHẾ, KHUYẾT ĐIỂM, VI PHẠM",
        "Chậm ban hành kế hoạch. Nguyên nhân: Chưa phân công rõ.",
        "Ban hành kế hoạch thực hiện. Thời hạn: 31/12/2024.",
        "Vi phạm quy chế làm việc.",
    ):
        assert words in text, words
    page = client.get(reverse("inspection-detail", args=[inspection.pk])).content.decode()
    assert reverse("inspection-notice-pdf", args=[inspection.pk]) in page


def test_an_inspected_unit_sees_only_its_own_part(client, world):
    w = world
    inspection = _concluded(w)
    client.force_login(w.commune_rep)
    text = _text(client.get(reverse("inspection-notice-docx", args=[inspection.pk])).content)
    assert "Chậm ban hành kế hoạch." in text
    assert "Vi phạm quy chế làm việc." not in text
    client.force_login(w.viewer_b)  # another province: no such inspection
    assert client.get(reverse("inspection-notice-docx", args=[inspection.pk])).status_code == 404


def test_the_notice_pdf_keeps_the_vietnamese_text(client, world):
    w = world
    inspection = _concluded(w)
    client.force_login(factories.user("kt-xem", (Role.VIEWER, w.prov_a)))
    r = client.get(reverse("inspection-notice-pdf", args=[inspection.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Chậm ban hành kế hoạch." in text
