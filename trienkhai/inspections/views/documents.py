"""The notice of inspection conclusions (TB) as DOCX and PDF, for whoever may read the
inspection (the parts shown are those the reader sees); a classified notice only for a reader
whose clearance covers it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET

from trienkhai.documents.downloads import docx_response, pdf_response
from trienkhai.documents.issued import build_docx
from trienkhai.documents.queries import readable_documents
from trienkhai.inspections.notice_document import notice_document
from trienkhai.inspections.views.inspections import inspection_or_404


def _notice(request, pk):
    inspection = inspection_or_404(request.user, pk)
    notice = inspection.notice_id
    if notice and not readable_documents(request.user).filter(pk=notice).exists():
        raise Http404
    return inspection, build_docx(notice_document(request.user, inspection))


@login_required
@require_GET
def notice_docx(request, pk):
    inspection, content = _notice(request, pk)
    return docx_response(content, f"thong-bao-ket-luan-{inspection.pk}")


@login_required
@require_GET
def notice_pdf(request, pk):
    inspection, content = _notice(request, pk)
    return pdf_response(request, content, f"thong-bao-ket-luan-{inspection.pk}")
