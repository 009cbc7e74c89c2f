"""Computed indicators: figures the system already holds, per unit and period.

This app stands on the floor above tracking, conferences and inspections (docs/architecture.md)
and reads them directly; each source takes the units holding a target and a period's dates and
returns {unit id: figure}, in one query.

- plan coverage: 100 when every plan obligation of the unit under the set's directive was met
  by the period's end (tracking's `PlanCoverage`), else 0 (a rate: its roll-up is the share of
  units covered);
- conferences: dissemination conferences the unit held in the period on the set's directive.
"""

from django.db.models import Count

from trienkhai.conferences.models import Conference
from trienkhai.indicators.models import Source
from trienkhai.tracking.models import PlanCoverage


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


SOURCES = {Source.PLAN_COVERAGE: _plan_coverage, Source.CONFERENCES: _conferences}


def compute(indicator, units, start, end) -> dict[int, int]:
    return SOURCES[indicator.source](indicator, units, start, end)
