"""The report's documents: the BC as DOCX and PDF (DỰ THẢO until issued), and the statistical
annex as XLSX — each read by whoever may read the report."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from trienkhai.core import xlsx
from trienkhai.core.replica import replica_reads
from trienkhai.documents.downloads import docx_response, pdf_response
from trienkhai.documents.issued import build_docx
from trienkhai.reports.annex import build_annex
from trienkhai.reports.document import filename, issued_document
from trienkhai.reports.views.report import _report_or_404


def _stem(report) -> str:
    return filename(report, "docx").removesuffix(".docx")


@login_required
@require_GET
@replica_reads
def docx(request, pk):
    report = _report_or_404(request.user, pk)
    return docx_response(build_docx(issued_document(report)), _stem(report))


@login_required
@require_GET
@replica_reads
def pdf(request, pk):
    report = _report_or_404(request.user, pk)
    return pdf_response(request, build_docx(issued_document(report)), _stem(report))


@login_required
@require_GET
@replica_reads
def annex(request, pk):
    report = _report_or_404(request.user, pk)
    return xlsx.response(build_annex(report), filename(report, "xlsx"))
