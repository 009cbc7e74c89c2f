"""The report's documents: the BC as DOCX and PDF (DỰ THẢO until issued), and the statistical
annex as XLSX — each read by whoever may read the report."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from trienkhai.core import xlsx
from trienkhai.core.replica import replica_reads
from trienkhai.documents import edxml as edxml_message
from trienkhai.documents.downloads import DOCX, docx_response, pdf_response
from trienkhai.documents.issued import build_docx
from trienkhai.documents.views import edxml_response
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


@login_required
@require_GET
@replica_reads
def edxml(request, pk):
    """The issued report as an edXML message (QCVN 102:2016/BTTTT) with its DOCX, addressed to
    the unit that asked for it, for the e-office system to send."""
    report = _report_or_404(request.user, pk)
    if report.document is None:
        raise Http404  # a draft has no number yet: nothing to send
    files = [(filename(report, "docx"), DOCX, build_docx(issued_document(report)))]
    to = [] if report.own else [report.request.unit]
    return edxml_response(edxml_message.write(report.document, to=to, files=files), _stem(report))
