"""The inspections API: `views` (viewsets and their writes) and `serializers`."""

from trienkhai.inspections.api.views import (
    FindingViewSet,
    InspectionViewSet,
    ProgrammeViewSet,
    RecommendationViewSet,
    RequestViewSet,
    SelfReportViewSet,
)

ROUTES: list = [
    ("inspection-programmes", ProgrammeViewSet, "api-inspection-programme"),
    ("inspections", InspectionViewSet, "api-inspection"),
    ("inspection-findings", FindingViewSet, "api-inspection-finding"),
    ("remediation-requests", RequestViewSet, "api-remediation-request"),
    ("inspection-self-reports", SelfReportViewSet, "api-inspection-self-report"),
    ("inspection-recommendations", RecommendationViewSet, "api-inspection-recommendation"),
]
PATHS: list = []
