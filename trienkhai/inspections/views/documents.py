"""The notice of inspection conclusions (TB) as DOCX and PDF, for whoever may read the
inspection (the parts shown are those the reader sees); a classified notice only for a reader
whose clearance covers it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from trienkhai.documents.issued import build_docx
from trienkhai.documents.pdf import RenderError, render_pdf
from trienkhai.documents.queries import readable_documents
from trienkhai.inspections.notice_document import notice_document
from trienkhai.inspections.views.inspections import inspection_or_404

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _notice(request, pk):
    inspection = inspection_or_404(request.user, pk)
    notice = inspection.notice_id
    if notice and not readable_documents(request.user).filter(pk=notice).exists():
        raise Http404
    return inspection, build_docx(notice_document(request.user, inspection))


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def notice_docx(request, pk):
    inspection, content = _notice(request, pk)
    return _attachment(content, DOCX, f"thong-bao-ket-luan-{inspection.pk}.docx")


@login_required
@require_GET
def notice_pdf(request, pk):
    inspection, content = _notice(request, pk)
    try:
        pdf = render_pdf(content)
    except RenderError:
        title = _("Chưa tạo được tệp PDF: máy chủ chưa sẵn sàng chuyển văn bản sang PDF.")
        return render(request, "core/error.html", {"title": title}, status=503)
    return _attachment(pdf, "application/pdf", f"thong-bao-ket-luan-{inspection.pk}.pdf")
