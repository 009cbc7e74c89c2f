"""How tracking follows the rest of the system.

- A unit that closes hands its unfinished assignments to the successor that takes its work.
- A subtree that moves rewrites the unit paths copied onto its assignments.
- A registered document that implements a directive or plan meets the issuing unit's
  obligation to issue its own plan (the "each level issues its plan" cascade).
"""

from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr

from trienkhai.core.actions import record
from trienkhai.documents import events
from trienkhai.tracking.models import Assignment
from trienkhai.units import handover
from trienkhai.units.paths import UPPER


@handover.register("tracking.assignments")
def hand_over_assignments(actor, predecessor, successor, operation) -> int:
    open_rows = Assignment.objects.filter(unit=predecessor, completed_on__isnull=True)
    moved = 0
    for assignment in open_rows.select_for_update():
        clash = Assignment.objects.filter(
            occurrence_id=assignment.occurrence_id, unit=successor
        ).exists()
        if clash:
            # The successor already carries this occurrence; the predecessor's share ends here.
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


@handover.on_path_change("tracking.assignments")
def rewrite_assignment_paths(old_path: str, new_path: str) -> int:
    return Assignment.objects.filter(
        unit_path__gte=old_path, unit_path__lt=old_path + UPPER
    ).update(unit_path=Concat(Value(new_path), Substr("unit_path", len(old_path) + 1)))


@events.on_implements
def plan_registered(actor, source, target) -> int:
    """`source` implements `target`: the issuing unit's open plan obligations on it are met."""
    rows = Assignment.objects.filter(
        Q(directive=target) | Q(task__plan__document=target),
        requires_plan=True,
        unit=source.issuing_unit,
        completed_on__isnull=True,
    )
    met = 0
    for assignment in rows.select_for_update():
        assignment.completed_on = source.date
        assignment.started_on = assignment.started_on or source.date
        assignment.percent = 100
        assignment.fulfilled_by = source
        assignment.version += 1
        assignment.save(
            update_fields=["completed_on", "started_on", "percent", "fulfilled_by", "version"]
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
