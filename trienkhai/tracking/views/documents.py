"""The plan document (KH) as DOCX and PDF, for whoever may read the plan."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from trienkhai.documents.issued import build_docx
from trienkhai.documents.pdf import RenderError, render_pdf
from trienkhai.tracking.plan_document import plan_document
from trienkhai.tracking.views.common import plan_or_404

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def plan_docx(request, pk):
    plan = plan_or_404(request.user, pk)
    return _attachment(build_docx(plan_document(plan)), DOCX, f"ke-hoach-{plan.pk}.docx")


@login_required
@require_GET
def plan_pdf(request, pk):
    plan = plan_or_404(request.user, pk)
    try:
        pdf = render_pdf(build_docx(plan_document(plan)))
    except RenderError:
        title = _("Chưa tạo được tệp PDF: máy chủ chưa sẵn sàng chuyển văn bản sang PDF.")
        return render(request, "core/error.html", {"title": title}, status=503)
    return _attachment(pdf, "application/pdf", f"ke-hoach-{plan.pk}.pdf")
