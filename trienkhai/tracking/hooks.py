"""How tracking follows the rest of the system.

- A unit that closes hands its unfinished assignments to the successor that takes its work.
- A subtree that moves rewrites the unit paths copied onto its assignments and reports.
- A registered document that implements a directive or plan meets the issuing unit's
  obligation to issue its own plan (the "each level issues its plan" cascade).
"""

from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr

from trienkhai.core.actions import record, snapshot
from trienkhai.tracking.models import Assignment, Plan, ProgressReport
from trienkhai.tree.paths import UPPER


def hand_over_assignments(actor, predecessor, successor, operation) -> int:
    open_rows = Assignment.objects.filter(unit=predecessor, completed_on__isnull=True)
    moved = 0
    for assignment in open_rows.select_for_update():
        kept = Assignment.objects.filter(
            occurrence_id=assignment.occurrence_id, unit=successor
        ).first()
        if kept is not None:
            _fold_into(actor, assignment, kept, operation)
            continue
        before = {"unit": assignment.unit_id}
        assignment.unit = successor
        assignment.unit_path = successor.path
        assignment.version += 1
        assignment.save(update_fields=["unit", "unit_path", "version"])
        record(
            actor,
            "tracking.handover",
            assignment,
            unit=successor,
            before=before,
            after={"unit": successor.pk, "operation": operation.pk},
        )
        moved += 1
    return moved


def _fold_into(actor, assignment: Assignment, kept: Assignment, operation) -> None:
    """The successor already carries this occurrence: its share absorbs the predecessor's.

    Reports and explanations move onto the successor's assignment (nothing is lost), the earlier
    start is kept, and the predecessor's row goes, so a closed unit filed under its successor
    never counts as overdue there. The change log keeps the removed row whole.
    """
    before = snapshot(assignment)
    assignment.reports.update(assignment=kept)
    assignment.explanations.update(assignment=kept)
    starts = [d for d in (kept.started_on, assignment.started_on) if d is not None]
    kept.started_on = min(starts) if starts else None
    kept.percent = max(kept.percent, assignment.percent)
    kept.version += 1
    kept.save(update_fields=["started_on", "percent", "version"])
    record(
        actor,
        "tracking.handover_merged",
        assignment,
        unit=kept.unit,
        before=before,
        after={"merged_into": kept.pk, "operation": operation.pk},
    )
    assignment.delete()


def rewrite_assignment_paths(old_path: str, new_path: str) -> int:
    return Assignment.objects.filter(
        unit_path__gte=old_path, unit_path__lt=old_path + UPPER
    ).update(unit_path=Concat(Value(new_path), Substr("unit_path", len(old_path) + 1)))


def rewrite_report_paths(old_path: str, new_path: str) -> int:
    """The assigning unit's path copied onto reports (the review queue reads it)."""
    return ProgressReport.objects.filter(
        assigner_path__gte=old_path, assigner_path__lt=old_path + UPPER
    ).update(assigner_path=Concat(Value(new_path), Substr("assigner_path", len(old_path) + 1)))


def plan_registered(actor, source, target) -> int:
    """`source` implements `target`: the issuing unit's open plan obligations on it are met."""
    met_for = Q(directive=target) | Q(task__plan__document=target)
    # Implementing a plan meets the obligation for that plan's root directive too: a commune
    # that implements its province's plan has issued its plan for the Central directive.
    root = Plan.objects.filter(document=target).values_list("directive_id", flat=True).first()
    if root is not None:
        met_for |= Q(directive_id=root)
    rows = Assignment.objects.filter(
        met_for,
        requires_plan=True,
        unit=source.issuing_unit,
        completed_on__isnull=True,
    )
    met = 0
    for assignment in rows.select_for_update():
        assignment.completed_on = source.date
        assignment.claimed_on = None
        assignment.started_on = assignment.started_on or source.date
        assignment.percent = 100
        assignment.fulfilled_by = source
        assignment.version += 1
        assignment.save(
            update_fields=[
                "completed_on",
                "claimed_on",
                "started_on",
                "percent",
                "fulfilled_by",
                "version",
            ]
        )
        record(
            actor,
            "tracking.plan_obligation_met",
            assignment,
            unit=assignment.unit,
            after={"completed_on": source.date.isoformat(), "document": source.pk},
        )
        met += 1
    return met
