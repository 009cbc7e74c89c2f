from django.urls import path

from trienkhai.tracking import views, views_dashboard, views_plans, views_tasks

urlpatterns = [
    path("", views_dashboard.dashboard, name="tracking-dashboard"),
    path("my-work/", views.my_work, name="tracking-my-work"),
    path("plans/", views_plans.plan_list, name="tracking-plans"),
    path("plans/new/", views_plans.plan_register, name="tracking-plan-register"),
    path("plans/<int:pk>/", views_plans.plan_detail, name="tracking-plan"),
    path("plans/<int:pk>/tasks/new/", views_plans.task_create, name="tracking-task-create"),
    path("tasks/<int:pk>/", views_plans.task_detail, name="tracking-task"),
    path("tasks/<int:pk>/edit/", views_plans.task_edit, name="tracking-task-edit"),
    path("tasks/<int:pk>/assign/", views_plans.task_assign, name="tracking-task-assign"),
    path("assignments/<int:pk>/", views_tasks.assignment_detail, name="tracking-assignment"),
    path("assignments/<int:pk>/report/", views_tasks.assignment_report, name="tracking-report"),
    path(
        "assignments/<int:pk>/explain/",
        views_tasks.explanation_request,
        name="tracking-explain-request",
    ),
    path("reports/<int:pk>/review/", views_tasks.report_review, name="tracking-review"),
    path(
        "explanations/<int:pk>/answer/",
        views_tasks.explanation_answer,
        name="tracking-explain-answer",
    ),
    path("evidence/<int:pk>/", views_tasks.evidence_download, name="tracking-evidence"),
]
