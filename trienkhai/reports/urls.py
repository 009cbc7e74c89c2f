from django.urls import path

from trienkhai.reports.views import documents, report, requests

urlpatterns = [
    path("", requests.report_list, name="reports-list"),
    path("new/", requests.new_request, name="reports-new"),
    path("requests/<int:pk>/", requests.request_detail, name="reports-request"),
    path("<int:pk>/", report.report_detail, name="reports-report"),
    path("<int:pk>/open/", report.open_draft, name="reports-open"),
    path("<int:pk>/save/", report.save, name="reports-save"),
    path("<int:pk>/review/", report.review_report, name="reports-review"),
    path("<int:pk>/pass-down/", report.pass_down, name="reports-pass-down"),
    path("<int:pk>/issue/", report.issue_report, name="reports-issue"),
    path("<int:pk>/files/", report.upload, name="reports-upload"),
    path("<int:pk>/files/<int:file_pk>/", report.file_download, name="reports-file"),
    path("<int:pk>/report.docx", documents.docx, name="reports-docx"),
    path("<int:pk>/report.pdf", documents.pdf, name="reports-pdf"),
    path("<int:pk>/annex.xlsx", documents.annex, name="reports-annex"),
    path("<int:pk>/report.edxml", documents.edxml, name="reports-edxml"),
]
