"""Reads of the review queue: the progress reports waiting for the assigning unit's decision.

A report waits for the coordinators of `Assignment.assigned_by`, so the queue is scoped on that
unit (not on the reporting unit, which a coordinator may not even see beyond). Oldest first: a
report that has waited longest is the one the reporting unit is most blocked on.
"""

from django.db.models import BooleanField, ExpressionWrapper, F, Q

from trienkhai.accounts.classified import readable_flag
from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import unit_scope
from trienkhai.tracking.models import ProgressReport, ReportState
from trienkhai.tree.paths import UPPER

KINDS = ("done", "progress")


def waiting_reports(user, *, directive=None, unit=None, kind: str = ""):
    """Submitted reports the user may decide, oldest first, each annotated `readable`."""
    qs = ProgressReport.objects.filter(
        unit_scope(user, "assignment__assigned_by", Role.COORDINATOR),
        state=ReportState.SUBMITTED,
    )
    if directive is not None:
        qs = qs.filter(assignment__directive=directive)
    if unit is not None:
        qs = qs.filter(
            assignment__unit_path__gte=unit.path, assignment__unit_path__lt=unit.path + UPPER
        )
    if kind == "done":
        qs = qs.filter(done=True)
    elif kind == "progress":
        qs = qs.filter(done=False)
    return qs.annotate(
        readable=readable_flag(user, "assignment__task__plan__document"),
        late=ExpressionWrapper(
            Q(done=True, reported_on__gt=F("assignment__due")), output_field=BooleanField()
        ),
    ).order_by("submitted_at", "id")


def waiting_count(user) -> int:
    return ProgressReport.objects.filter(
        unit_scope(user, "assignment__assigned_by", Role.COORDINATOR),
        state=ReportState.SUBMITTED,
    ).count()
