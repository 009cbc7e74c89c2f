from django.urls import path

from trienkhai.inspections import views, views_requests, views_steps

urlpatterns = [
    path("", views.inspection_list, name="inspections-list"),
    path("export/", views.inspection_export, name="inspections-export"),
    path("new/", views.inspection_create, name="inspection-create"),
    path("programmes/", views.programme_list, name="inspections-programmes"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="inspection-programme-edit"),
    path("<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("<int:pk>/edit/", views.inspection_edit, name="inspection-edit"),
    path("<int:pk>/step/", views_steps.inspection_step, name="inspection-step"),
    path("<int:pk>/members/", views_steps.member_add, name="inspection-member-add"),
    path("<int:pk>/units/", views_steps.unit_add, name="inspection-unit-add"),
    path("<int:pk>/outline/", views_steps.outline_upload, name="inspection-outline"),
    path("<int:pk>/outline/file/", views_steps.outline_download, name="inspection-outline-file"),
    path("<int:pk>/conclusions/", views_steps.conclusions, name="inspection-conclusions"),
    path("parts/<int:pk>/remove/", views_steps.part_remove, name="inspection-part-remove"),
    path("findings/<int:pk>/remove/", views_steps.finding_remove, name="inspection-finding-remove"),
    path("members/<int:pk>/remove/", views_steps.member_remove, name="inspection-member-remove"),
    path(
        "parts/<int:pk>/self-report/", views_steps.self_report_upload, name="inspection-self-report"
    ),
    path("self-reports/<int:pk>/", views_steps.self_report_download, name="selfreport-file"),
    path(
        "recommendations/<int:pk>/respond/",
        views_steps.recommendation_respond,
        name="recommendation-respond",
    ),
    path("requests/", views_requests.request_list, name="inspections-requests"),
    path("requests/export/", views_requests.request_export, name="inspections-requests-export"),
    path("requests/<int:pk>/", views_requests.request_detail, name="inspections-request"),
    path("requests/<int:pk>/plan/", views_requests.request_plan, name="inspections-request-plan"),
    path(
        "requests/<int:pk>/report/",
        views_requests.request_report,
        name="inspections-request-report",
    ),
    path(
        "requests/<int:pk>/evaluate/",
        views_requests.request_evaluate,
        name="inspections-request-evaluate",
    ),
    path(
        "requests/<int:pk>/close/", views_requests.request_close, name="inspections-request-close"
    ),
    path("evidence/<int:pk>/", views_requests.evidence_download, name="remediationreport-file"),
]
