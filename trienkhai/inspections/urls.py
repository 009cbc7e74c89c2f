from django.urls import path

from trienkhai.inspections.views import documents, inspections, requests, steps

urlpatterns = [
    path("", inspections.inspection_list, name="inspections-list"),
    path("export/", inspections.inspection_export, name="inspections-export"),
    path("new/", inspections.inspection_create, name="inspection-create"),
    path("programmes/", inspections.programme_list, name="inspections-programmes"),
    path("programmes/<int:pk>/edit/", inspections.programme_edit, name="inspection-programme-edit"),
    path("<int:pk>/", inspections.inspection_detail, name="inspection-detail"),
    path("<int:pk>/edit/", inspections.inspection_edit, name="inspection-edit"),
    path("<int:pk>/step/", steps.inspection_step, name="inspection-step"),
    path("<int:pk>/members/", steps.member_add, name="inspection-member-add"),
    path("<int:pk>/units/", steps.unit_add, name="inspection-unit-add"),
    path("<int:pk>/outline/", steps.outline_upload, name="inspection-outline"),
    path("<int:pk>/outline/file/", steps.outline_download, name="inspection-outline-file"),
    path("<int:pk>/conclusions/", steps.conclusions, name="inspection-conclusions"),
    path("<int:pk>/notice.docx", documents.notice_docx, name="inspection-notice-docx"),
    path("<int:pk>/notice.pdf", documents.notice_pdf, name="inspection-notice-pdf"),
    path("parts/<int:pk>/remove/", steps.part_remove, name="inspection-part-remove"),
    path("findings/<int:pk>/remove/", steps.finding_remove, name="inspection-finding-remove"),
    path("members/<int:pk>/remove/", steps.member_remove, name="inspection-member-remove"),
    path("parts/<int:pk>/self-report/", steps.self_report_upload, name="inspection-self-report"),
    path("self-reports/<int:pk>/", steps.self_report_download, name="selfreport-file"),
    path(
        "recommendations/<int:pk>/respond/",
        steps.recommendation_respond,
        name="recommendation-respond",
    ),
    path("requests/", requests.request_list, name="inspections-requests"),
    path("requests/export/", requests.request_export, name="inspections-requests-export"),
    path("requests/<int:pk>/", requests.request_detail, name="inspections-request"),
    path("requests/<int:pk>/plan/", requests.request_plan, name="inspections-request-plan"),
    path(
        "requests/<int:pk>/report/",
        requests.request_report,
        name="inspections-request-report",
    ),
    path(
        "requests/<int:pk>/evaluate/",
        requests.request_evaluate,
        name="inspections-request-evaluate",
    ),
    path("requests/<int:pk>/close/", requests.request_close, name="inspections-request-close"),
    path("evidence/<int:pk>/", requests.evidence_download, name="remediationreport-file"),
]
