"""The plan document (KH) as DOCX and PDF, for whoever may read the plan."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from trienkhai.documents.downloads import docx_response, pdf_response
from trienkhai.documents.issued import build_docx
from trienkhai.tracking.plan_document import plan_document
from trienkhai.tracking.views.common import plan_or_404


@login_required
@require_GET
def plan_docx(request, pk):
    plan = plan_or_404(request.user, pk)
    return docx_response(build_docx(plan_document(plan)), f"ke-hoach-{plan.pk}")


@login_required
@require_GET
def plan_pdf(request, pk):
    plan = plan_or_404(request.user, pk)
    return pdf_response(request, build_docx(plan_document(plan)), f"ke-hoach-{plan.pk}")
