"""The report's documents: the BC as DOCX and PDF (DỰ THẢO until issued), and the statistical
annex as XLSX — each read by whoever may read the report."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from trienkhai.core import xlsx
from trienkhai.documents.issued import build_docx
from trienkhai.documents.pdf import RenderError, render_pdf
from trienkhai.reports.annex import build_annex
from trienkhai.reports.document import filename, issued_document
from trienkhai.reports.views.report import _report_or_404

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def docx(request, pk):
    report = _report_or_404(request.user, pk)
    return _attachment(build_docx(issued_document(report)), DOCX, filename(report, "docx"))


@login_required
@require_GET
def pdf(request, pk):
    report = _report_or_404(request.user, pk)
    try:
        content = render_pdf(build_docx(issued_document(report)))
    except RenderError:
        message = _("Chưa tạo được tệp PDF: máy chủ chưa sẵn sàng chuyển văn bản sang PDF.")
        return render(request, "core/error.html", {"title": message}, status=503)
    return _attachment(content, "application/pdf", filename(report, "pdf"))


@login_required
@require_GET
def annex(request, pk):
    report = _report_or_404(request.user, pk)
    return xlsx.response(build_annex(report), filename(report, "xlsx"))
