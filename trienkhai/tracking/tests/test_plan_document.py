"""The plan document (KH) comes out of the system: the registered number and date, what it
carries out, its tasks numbered with their lead unit and deadline; DOCX and PDF for readers."""

import io

from django.urls import reverse
from docx import Document as Docx
from pypdf import PdfReader

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.tracking.tests.test_actions import central_plan, one_off


def test_the_plan_document_lists_its_tasks(client, tree):
    plan = central_plan(tree)
    one_off(plan, deadline="quý I/2022", requires_plan=True)
    client.force_login(factories.user("xem", (Role.VIEWER, tree["prov_a"])))
    r = client.get(reverse("tracking-plan-docx", args=[plan.pk]))
    assert r.status_code == 200
    doc = Docx(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    header = "\n".join(p.text for c in doc.tables[0].rows[0].cells for p in c.paragraphs)
    assert f"Số {plan.document.symbol}" in header and "ĐẢNG CỘNG SẢN VIỆT NAM" in header
    assert "KẾ HOẠCH" in text and "II. NHIỆM VỤ, GIẢI PHÁP" in text
    assert "Tổ chức học tập, quán triệt" in text and "Thời hạn: quý I/2022." in text
    assert "Các đơn vị được giao ban hành kế hoạch thực hiện." in text
    pdf = client.get(reverse("tracking-plan-pdf", args=[plan.pk]))
    assert pdf.status_code == 200
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Tổ chức học tập, quán triệt" in pdf_text
    page = client.get(reverse("tracking-plan", args=[plan.pk])).content.decode()
    assert reverse("tracking-plan-docx", args=[plan.pk]) in page


def test_a_plan_outside_the_reach_is_not_found(client, tree):
    plan = central_plan(tree)
    client.force_login(factories.user("nobody"))
    assert client.get(reverse("tracking-plan-docx", args=[plan.pk])).status_code == 404
