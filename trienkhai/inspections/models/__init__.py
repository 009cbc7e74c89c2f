"""Inspection & supervision: programmes, inspections, findings, remediation to verified closure."""

from trienkhai.inspections.models.findings import Finding, FindingKind, Recommendation
from trienkhai.inspections.models.inspection import (
    InspectedUnit,
    Inspection,
    InspectionKind,
    MemberRole,
    OutlineFile,
    Programme,
    SelfReport,
    State,
    StepLog,
    TeamMember,
)
from trienkhai.inspections.models.remediation import (
    Evaluation,
    RemediationReport,
    RemediationRequest,
    RequestState,
)

__all__ = [
    "Evaluation",
    "Finding",
    "FindingKind",
    "InspectedUnit",
    "Inspection",
    "InspectionKind",
    "MemberRole",
    "OutlineFile",
    "Programme",
    "Recommendation",
    "RemediationReport",
    "RemediationRequest",
    "RequestState",
    "SelfReport",
    "State",
    "StepLog",
    "TeamMember",
]
