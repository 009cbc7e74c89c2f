"""The report's documents in the API: the BC as DOCX and PDF (a draft until issued) and the
statistical annex as XLSX, for whoever may read the report (the viewset's scoped queryset)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import APIException

from trienkhai.core.api import ErrorSerializer
from trienkhai.core.xlsx import XLSX
from trienkhai.documents.downloads import DOCX, PDF, PDF_UNAVAILABLE, attachment
from trienkhai.documents.issued import build_docx
from trienkhai.documents.pdf import RenderError, render_pdf
from trienkhai.reports.annex import build_annex
from trienkhai.reports.document import filename, issued_document


def _download(kind: str, media: str):
    return extend_schema(
        summary=f"The report as {kind} (a draft until issued)",
        responses={(200, media): OpenApiResponse(OpenApiTypes.BINARY), 404: ErrorSerializer},
    )


class ReportDocumentsMixin:
    """The report's documents, for whoever may read the report."""

    @_download("DOCX", DOCX)
    @action(detail=True, methods=["get"])
    def docx(self, request, pk=None):
        report = self.get_object()
        return attachment(build_docx(issued_document(report)), DOCX, filename(report, "docx"))

    @_download("PDF", PDF)
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        report = self.get_object()
        try:
            content = render_pdf(build_docx(issued_document(report)))
        except RenderError:
            raise ServiceUnavailable() from None
        return attachment(content, PDF, filename(report, "pdf"))

    @_download("XLSX statistical annex", XLSX)
    @action(detail=True, methods=["get"])
    def annex(self, request, pk=None):
        report = self.get_object()
        return attachment(build_annex(report), XLSX, filename(report, "xlsx"))


class ServiceUnavailable(APIException):
    status_code = 503
    default_detail = PDF_UNAVAILABLE
