"""How reports follow the tree.

- A unit that closes hands the reports it has not sent to the successor that takes its work
  (unless the successor was asked too: it answers once); reports sent stay the closed unit's
  history.
- A subtree that moves rewrites the unit paths copied onto requests and reports.
"""

from django.db.models import Value
from django.db.models.functions import Concat, Substr

from trienkhai.core.actions import record
from trienkhai.reports.models import ReportRequest, ReportState, UnitReport
from trienkhai.tree.paths import UPPER

UNSENT = (ReportState.NOT_STARTED, ReportState.DRAFT, ReportState.RETURNED)


def hand_over_reports(actor, predecessor, successor, operation) -> int:
    moved = 0
    for report in UnitReport.objects.filter(unit=predecessor, state__in=UNSENT, own=False):
        if UnitReport.objects.filter(request_id=report.request_id, unit=successor).exists():
            continue
        before = {"unit": report.unit_id}
        report.unit = successor
        report.unit_path = successor.path
        report.version += 1
        report.save(update_fields=["unit", "unit_path", "version"])
        record(
            actor,
            "reports.handover",
            report,
            unit=successor,
            before=before,
            after={"unit": successor.pk, "operation": operation.pk},
        )
        moved += 1
    return moved


def rewrite_paths(old_path: str, new_path: str) -> int:
    moved = 0
    for model in (ReportRequest, UnitReport):
        moved += model.objects.filter(
            unit_path__gte=old_path, unit_path__lt=old_path + UPPER
        ).update(unit_path=Concat(Value(new_path), Substr("unit_path", len(old_path) + 1)))
    return moved
