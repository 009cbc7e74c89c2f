"""Serving an issued document: the DOCX as built, or the PDF LibreOffice renders from it; a
PDF that cannot be made returns a page that says so (503), never a server error."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from trienkhai.documents.pdf import RenderError, render_pdf

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
EDXML = "application/xml; charset=utf-8"
PDF_UNAVAILABLE = _("Chưa tạo được tệp PDF: máy chủ chưa sẵn sàng chuyển văn bản sang PDF.")


def attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    """A download, never rendered in the browser."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def docx_response(docx: bytes, stem: str) -> HttpResponse:
    return attachment(docx, DOCX, f"{stem}.docx")


def edxml_response(content: bytes, stem: str) -> HttpResponse:
    """An edXML message (documents/edxml.py) as a file for the e-office system to send."""
    return attachment(content, EDXML, f"{stem}.edxml")


def pdf_response(request, docx: bytes, stem: str) -> HttpResponse:
    try:
        content = render_pdf(docx)
    except RenderError:
        return render(request, "core/error.html", {"title": PDF_UNAVAILABLE}, status=503)
    return attachment(content, PDF, f"{stem}.pdf")
