"""The tracking API: records (plans, tasks, assignments, reports) and the dashboard's figures."""

from django.urls import path

from trienkhai.tracking.api.explanations import ExplanationViewSet
from trienkhai.tracking.api.records import (
    AssignmentViewSet,
    PlanViewSet,
    ReportViewSet,
    TaskViewSet,
)
from trienkhai.tracking.api.rollups import (
    CoverageView,
    OverdueView,
    RollupView,
    TargetRollupView,
)

ROUTES = [
    ("plans", PlanViewSet, "api-plan"),
    ("tasks", TaskViewSet, "api-task"),
    ("assignments", AssignmentViewSet, "api-assignment"),
    ("reports", ReportViewSet, "api-report"),
    ("explanations", ExplanationViewSet, "api-explanation"),
]
PATHS = [
    path("rollup/", RollupView.as_view(), name="api-rollup"),
    path("coverage/", CoverageView.as_view(), name="api-coverage"),
    path("overdue/", OverdueView.as_view(), name="api-overdue"),
    path("targets/", TargetRollupView.as_view(), name="api-targets"),
]
