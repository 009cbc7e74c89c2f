"""Computed indicators: figures the system already holds, per unit and period.

This app stands on the floor above tracking, conferences and inspections (docs/architecture.md)
and reads them directly; each source takes the units holding a target and a period's dates and
returns {unit id: figure}, in one query.

- plan coverage: 100 when every plan obligation of the unit under the set's directive was met
  by the period's end (tracking's `PlanCoverage`), else 0 (a rate: its roll-up is the share of
  units covered);
- conferences: dissemination conferences the unit held in the period on the set's directive;
- on-time rate: of the unit's tasks under the directive due in the period (up to the day of
  computing), the share completed — accepted by the assigning level — on or before the due date;
- remediation closed: of the remediation requests made to the unit after inspections on the
  directive, due by the period's end, the share closed (the remedy verified) by then.

A unit with no task due (no request due) has no figure for the period, not a zero: it is not
counted in the roll-up's average (`MISSING_IS_ZERO` names the sources where nothing is a zero).
"""

from django.db.models import Count, F, Q

from trienkhai.conferences.models import Conference
from trienkhai.indicators.models import Source
from trienkhai.inspections.models import RemediationRequest
from trienkhai.tracking.models import Assignment, PlanCoverage


def _plan_coverage(indicator, units, start, end) -> dict[int, int]:
    met = PlanCoverage.objects.filter(
        directive_id=indicator.indicator_set.document_id,
        unit_id__in=[u.pk for u in units],
        met_on__lte=end,
    ).values_list("unit_id", flat=True)
    met = set(met)
    return {u.pk: (100 if u.pk in met else 0) for u in units}


def _conferences(indicator, units, start, end) -> dict[int, int]:
    rows = (
        Conference.objects.filter(
            host__in=[u.pk for u in units],
            date__gte=start,
            date__lte=end,
            documents=indicator.indicator_set.document_id,
        )
        .values("host_id")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    return {r["host_id"]: r["n"] for r in rows}


def _share(rows, key: str) -> dict[int, float]:
    return {r[key]: 100 * r["met"] / r["n"] for r in rows if r["n"]}


def _on_time(indicator, units, start, end) -> dict[int, float]:
    rows = (
        Assignment.objects.filter(
            directive_id=indicator.indicator_set.document_id,
            unit_id__in=[u.pk for u in units],
            due__gte=start,
            due__lte=end,
        )
        .values("unit_id")
        .annotate(
            n=Count("id"),
            met=Count("id", filter=Q(completed_on__isnull=False, completed_on__lte=F("due"))),
        )
        .order_by()
    )
    return _share(rows, "unit_id")


def _remediation_closed(indicator, units, start, end) -> dict[int, float]:
    rows = (
        RemediationRequest.objects.filter(
            owner_id__in=[u.pk for u in units],
            inspection__directives=indicator.indicator_set.document_id,
            deadline__lte=end,
        )
        .values("owner_id")
        .annotate(
            n=Count("id", distinct=True),
            met=Count("id", distinct=True, filter=Q(closed_on__isnull=False, closed_on__lte=end)),
        )
        .order_by()
    )
    return _share(rows, "owner_id")


SOURCES = {
    Source.PLAN_COVERAGE: _plan_coverage,
    Source.CONFERENCES: _conferences,
    Source.ON_TIME: _on_time,
    Source.REMEDIATION_CLOSED: _remediation_closed,
}
MISSING_IS_ZERO = {Source.PLAN_COVERAGE, Source.CONFERENCES}


def compute(indicator, units, start, end) -> dict[int, float]:
    return SOURCES[indicator.source](indicator, units, start, end)
