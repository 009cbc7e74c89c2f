"""Reads of indicator sets: the scoped list, a unit's colours, its children's colours.

A panel reads `Rollup` (the subtree totals per period, kept by the actions) and `Target` (each
unit's own target): the unit's line is one indicator × 12 periods at most, the children's lines
one row per child and period, found by the copied parent id — a few hundred rows whatever the
size of the subtree. A user who reaches a unit but not everything below it sees the unit's own
values only, never a subtree total that would reveal units outside the reach.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.formats import number_format

from trienkhai.accounts.scope import (
    document_access,
    is_global,
    known_units_condition,
    path_scope,
    reaches_subtree,
)
from trienkhai.indicators import periods, risk
from trienkhai.indicators.models import (
    Aggregation,
    Explanation,
    Indicator,
    IndicatorSet,
    Rollup,
    Target,
    Value,
)
from trienkhai.tree.kinds import COMMITTEE_KINDS
from trienkhai.units.models import Unit
from trienkhai.units.queries import visible_units


def visible_sets(user):
    """Sets given by a unit the user may know of, on a directive the user may read."""
    if is_global(user):
        return IndicatorSet.objects.all()
    _visible, readable = document_access(user, "document")
    return IndicatorSet.objects.filter(known_units_condition(user, "unit")).filter(readable)


def get_visible_set(user, pk) -> IndicatorSet | None:
    return visible_sets(user).select_related("unit", "document").filter(pk=pk).first()


def current_sets(user, year: int):
    return visible_sets(user).filter(year=year).select_related("unit", "document")


def number_text(n: Decimal | None) -> str:
    """A figure as the pages show it: grouped thousands, one decimal when it has one."""
    if n is None:
        return "—"
    q = Decimal(n).quantize(Decimal("0.1"))
    if q == q.to_integral_value():
        return number_format(int(q), force_grouping=True)
    return number_format(q, 1, force_grouping=True)


SIGNS = {risk.RED: "▼ ", risk.ORANGE: "◆ ", risk.GREEN: "✓ "}


@dataclass
class Line:
    indicator: Indicator
    unit: Unit | None
    risk: risk.Risk
    elapsed: int

    @property
    def colour(self) -> str:
        return self.risk.colour

    # What the pages print, ready-made: a table of hundreds of units stays one loop.
    @property
    def badge(self) -> str:
        return SIGNS.get(self.colour, "") + str(self.risk.label)

    @property
    def target_text(self) -> str:
        return number_text(self.risk.target)

    @property
    def so_far_text(self) -> str:
        return number_text(self.risk.so_far)

    @property
    def projected_text(self) -> str:
        return number_text(self.risk.projected)


def _series(rows, aggregation) -> dict:
    """{key: {period: value}} from rollup rows (key, period, total, reporting)."""
    out: dict = defaultdict(dict)
    for key, period, total, reporting in rows:
        if not reporting:
            continue
        out[key][period] = (
            total if aggregation == Aggregation.SUM else Decimal(total) / Decimal(reporting)
        )
    return out


def _own_series(indicators, unit: Unit, year: int) -> dict:
    rows = Value.objects.filter(indicator__in=indicators, unit=unit, year=year).values_list(
        "indicator_id", "period", "value"
    )
    out: dict = defaultdict(dict)
    for ind, period, value in rows:
        out[ind][period] = value
    return out


def unit_lines(user, indicator_set: IndicatorSet, unit: Unit, as_of: datetime.date) -> list[Line]:
    """Each indicator of the set at `unit` (its subtree), with its colour."""
    indicators = list(indicator_set.indicators.all())
    year = indicator_set.year
    if reaches_subtree(user, unit):
        rows = Rollup.objects.filter(indicator__in=indicators, unit=unit, year=year).values_list(
            "indicator_id", "period", "total", "reporting"
        )
        by_indicator = defaultdict(list)
        for row in rows:
            by_indicator[row[0]].append(row)
        series = {}
        for ind in indicators:
            series.update(_series(by_indicator[ind.pk], ind.aggregation))
    else:
        series = _own_series(indicators, unit, year)
    targets = dict(
        Target.objects.filter(indicator__in=indicators, unit=unit, year=year).values_list(
            "indicator_id", "value"
        )
    )
    out = []
    for ind in indicators:
        n = periods.elapsed(ind.period, year, as_of)
        out.append(
            Line(ind, unit, risk.assess(ind, series.get(ind.pk, {}), n, targets.get(ind.pk)), n)
        )
    return out


def children_of(user, unit: Unit):
    return (
        visible_units(user)
        .filter(parent=unit, valid_to__isnull=True, kind__in=sorted(COMMITTEE_KINDS))
        .order_by("name", "pk")
    )


def child_lines(user, indicator: Indicator, unit: Unit, as_of: datetime.date) -> list[Line]:
    """One line per open child of `unit` the user sees, red first."""
    year = indicator.indicator_set.year
    children = list(children_of(user, unit))
    rows = Rollup.objects.filter(
        indicator=indicator, year=year, parent_id_copy=unit.pk
    ).values_list("unit_id", "period", "total", "reporting")
    series = _series(rows, indicator.aggregation)
    targets = dict(
        Target.objects.filter(indicator=indicator, year=year, unit__parent=unit).values_list(
            "unit_id", "value"
        )
    )
    n = periods.elapsed(indicator.period, year, as_of)
    out = []
    for child in children:
        own = series.get(child.pk, {})
        if own and not reaches_subtree(user, child):
            own = _own_series([indicator], child, year).get(indicator.pk, {})
        out.append(Line(indicator, child, risk.assess(indicator, own, n, targets.get(child.pk)), n))
    out.sort(key=lambda line: (risk.ORDER[line.colour], line.unit.name))
    return out


def counts(lines: list[Line]) -> dict[str, int]:
    out = dict.fromkeys(risk.LABELS, 0)
    for line in lines:
        out[line.colour] += 1
    return out


def value_table(indicator: Indicator, unit: Unit) -> list[dict]:
    """The unit's own values by period, for its report form."""
    year = indicator.indicator_set.year
    stored = {v.period: v for v in Value.objects.filter(indicator=indicator, unit=unit, year=year)}
    return [
        {
            "period": p,
            "name": periods.name(indicator.period, year, p),
            "value": stored.get(p),
        }
        for p in range(1, indicator.periods + 1)
    ]


def unit_overview(user, unit: Unit, as_of: datetime.date) -> list[dict]:
    """For the unit page, the API and the home: each current set with the unit's lines."""
    out = []
    for s in current_sets(user, as_of.year).filter(
        Q(unit__path__lte=unit.path) & Q(unit__path__gte=unit.path[:4])
    ):
        if not unit.path.startswith(s.unit.path):
            continue
        lines = unit_lines(user, s, unit, as_of)
        if not any(line.risk.target is not None for line in lines):
            continue
        out.append({"set": s, "lines": lines, "counts": counts(lines)})
    return out


# --- explanations ------------------------------------------------------------------------


def visible_explanations(user):
    """Explanations asked of units in the user's reach, on sets the user may read."""
    qs = Explanation.objects.filter(path_scope(user, "unit_path", unit_field="unit"))
    if not is_global(user):
        qs = qs.filter(indicator__indicator_set__in=visible_sets(user))
    return qs


def explanation_source(user):
    """The indicators' share of a unit's explanation record (`tracking.queries`'s
    EXPLANATION_SOURCES): every request in the user's reach (all of them for `user` None)."""
    qs = Explanation.objects.all()
    if user is not None:
        qs = qs.filter(path_scope(user, "unit_path", unit_field="unit"))
    return qs, "unit_path", "unit_id"


def explanations_at(user, indicator: Indicator, unit: Unit):
    return (
        visible_explanations(user)
        .filter(indicator=indicator, unit=unit)
        .select_related("requested_by", "answered_by")
        .order_by("-requested_at", "-id")
    )
