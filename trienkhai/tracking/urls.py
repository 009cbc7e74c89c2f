from django.urls import path

from trienkhai.tracking.views import (
    common,
    dashboard,
    documents,
    issue,
    plans,
    review,
    targets,
    tasks,
)

urlpatterns = [
    path("", dashboard.dashboard, name="tracking-dashboard"),
    path("my-work/", common.my_work, name="tracking-my-work"),
    path("review/", review.review_queue, name="tracking-review-queue"),
    path("review/accept/", review.review_bulk, name="tracking-review-bulk"),
    path("plans/", plans.plan_list, name="tracking-plans"),
    path("plans/new/", plans.plan_register, name="tracking-plan-register"),
    path("plans/issue/", issue.issue, name="tracking-plan-issue"),
    path("plans/issue/number/", issue.issue_number, name="tracking-plan-issue-number"),
    path("plans/<int:pk>/", plans.plan_detail, name="tracking-plan"),
    path("plans/<int:pk>/plan.docx", documents.plan_docx, name="tracking-plan-docx"),
    path("plans/<int:pk>/plan.pdf", documents.plan_pdf, name="tracking-plan-pdf"),
    path("plans/<int:pk>/tasks/new/", plans.task_create, name="tracking-task-create"),
    path("tasks/<int:pk>/", plans.task_detail, name="tracking-task"),
    path("tasks/<int:pk>/edit/", plans.task_edit, name="tracking-task-edit"),
    path("tasks/<int:pk>/assign/", plans.task_assign, name="tracking-task-assign"),
    path("tasks/<int:pk>/targets/split/", targets.split, name="tracking-target-split"),
    path("assignments/<int:pk>/target/", targets.set_target, name="tracking-target-set"),
    path("assignments/<int:pk>/", tasks.assignment_detail, name="tracking-assignment"),
    path("assignments/<int:pk>/report/", tasks.assignment_report, name="tracking-report"),
    path(
        "assignments/<int:pk>/explain/",
        tasks.explanation_request,
        name="tracking-explain-request",
    ),
    path("reports/<int:pk>/review/", tasks.report_review, name="tracking-review"),
    path(
        "explanations/<int:pk>/answer/",
        tasks.explanation_answer,
        name="tracking-explain-answer",
    ),
    path("evidence/<int:pk>/", tasks.evidence_download, name="tracking-evidence"),
]
