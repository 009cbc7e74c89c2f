"""Reads of periods and evaluations, always scoped in SQL, plus the flags and figures shown.

An evaluation is visible to users who reach the organisation, the deciding unit or the reviewing
body. A period is visible below its unit (where it applies) and inside a user's reach.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Q, Sum, When
from django.db.models.functions import Substr
from django.utils import timezone

from trienkhai.accounts.scope import ancestors_condition, is_global, reaches_unit, unit_scope
from trienkhai.evaluations import flags, rules
from trienkhai.evaluations.models import (
    GOOD_OR_BETTER,
    LEVEL_ORDER,
    Evaluation,
    EvaluationPeriod,
    Level,
)
from trienkhai.tracking.queries import percent_text
from trienkhai.tree.paths import SEGMENT_WIDTH, UPPER
from trienkhai.units.models import Unit
from trienkhai.units.queries import visible_units


def visible_periods(user):
    qs = EvaluationPeriod.objects.select_related("unit")
    if is_global(user):
        return qs
    return qs.filter(unit_scope(user, "unit") | ancestors_condition(user, "unit"))


def get_period(user, pk) -> EvaluationPeriod | None:
    return visible_periods(user).filter(pk=pk).first()


def levels() -> list[tuple[str, str]]:
    """(value, label) of the four levels, best first (column heads)."""
    return [(lv, Level(lv).label) for lv in LEVEL_ORDER]


def top_claimed_q() -> Q:
    """Rated, proposed or decided at the top level at some step (see Evaluation.top_claimed)."""
    return (
        Q(self_level=Level.EXCELLENT)
        | Q(review_level=Level.EXCELLENT)
        | Q(decided_level=Level.EXCELLENT)
    )


def visible_evaluations(user):
    qs = Evaluation.objects.select_related("period", "unit", "decider", "reviewer")
    if is_global(user):
        return qs
    return qs.filter(
        unit_scope(user, "unit") | unit_scope(user, "decider") | unit_scope(user, "reviewer")
    )


def get_evaluation(user, pk) -> Evaluation | None:
    return visible_evaluations(user).filter(pk=pk).first()


def default_as_of(period: EvaluationPeriod) -> datetime.date:
    """Flags are judged at the period's end (or today, while the year is still running)."""
    return min(period.ends_on, timezone.localdate())


def attach_flags(evaluations, as_of: datetime.date) -> list[Evaluation]:
    """Set `.flags` on each evaluation: warnings for those rated, proposed or decided at the top
    level (others get none). One provider call per kind for the whole list."""
    evaluations = list(evaluations)
    by_year: dict[int, list[int]] = {}
    for ev in evaluations:
        ev.flags = []
        if ev.top_claimed:
            by_year.setdefault(ev.period.year, []).append(ev.unit_id)
    found = {year: flags.flags_for(ids, year, as_of) for year, ids in by_year.items()}
    for ev in evaluations:
        if ev.top_claimed:
            ev.flags = found[ev.period.year].get(ev.unit_id, [])
    return evaluations


def deciders(user, period: EvaluationPeriod):
    """Deciding units with evaluations the user sees in the period, with counts per state."""
    return (
        visible_evaluations(user)
        .filter(period=period)
        .values("decider_id", "decider__name", "decider__path")
        .annotate(total=Count("id"), decided=Count("id", filter=~Q(decided_level="")))
        .order_by("decider__path")
    )


def classification(user, period: EvaluationPeriod, decider: Unit):
    return (
        visible_evaluations(user)
        .filter(period=period, decider=decider)
        .order_by("unit__kind", "unit__name")
    )


def cap_status(period: EvaluationPeriod, decider: Unit) -> rules.CapStatus:
    """The deciding unit's cap figures, over all its evaluations: only for a caller who reaches
    the unit (see `visible_cap_status`)."""
    rows = Evaluation.objects.filter(period=period, decider=decider).values_list(
        "decided_level", "review_level", "self_level"
    )
    return rules.cap_status(period, rows)


def visible_cap_status(user, period: EvaluationPeriod, decider: Unit) -> rules.CapStatus | None:
    """The cap figures if `user` reaches the deciding unit, else None: they count the decider's
    whole set, which an organisation (or a reviewing body) below it may not see."""
    if not reaches_unit(user, decider):
        return None
    return cap_status(period, decider)


# --- distribution ----------------------------------------------------------------------------


@dataclass
class DistributionRow:
    """Decided levels of the evaluations in one child's subtree (or of the unit itself).

    `over_cap` names the deciding units inside the row whose top-level decisions exceed the
    period's cap (the cap is a rule on each deciding unit's set, not on a subtree's mix).
    """

    path: str
    unit: Unit | None
    own: bool
    counts: dict = field(default_factory=lambda: dict.fromkeys(LEVEL_ORDER, 0))
    undecided: int = 0
    members: dict = field(default_factory=lambda: dict.fromkeys(MEMBER_FIELDS, 0))
    deciders_over_cap: list = field(default_factory=list)

    @property
    def decided(self) -> int:
        return sum(self.counts.values())

    @property
    def total(self) -> int:
        return self.decided + self.undecided

    @property
    def name(self) -> str:
        return self.unit.name if self.unit else self.path

    @property
    def over_cap(self) -> bool:
        return bool(self.deciders_over_cap)

    def percent(self, level) -> str:
        return percent_text(self.counts[level], self.decided)

    @property
    def cells(self) -> list[tuple[int, str]]:
        return [(self.counts[lv], self.percent(lv)) for lv in LEVEL_ORDER]


MEMBER_FIELDS = (
    "members_excellent",
    "members_good",
    "members_complete",
    "members_not_complete",
    "members_not_rated",
)


def _effective_level():
    """SQL for rules.effective_level: decided, else proposed, else self-rated."""
    return Case(
        When(~Q(decided_level=""), then=F("decided_level")),
        When(~Q(review_level=""), then=F("review_level")),
        default=F("self_level"),
        output_field=CharField(),
    )


def _subtree_evaluations(user, period, unit):
    return visible_evaluations(user).filter(
        period=period, unit__path__gte=unit.path, unit__path__lt=unit.path + UPPER
    )


def deciders_over_cap(user, period: EvaluationPeriod, unit: Unit) -> list[tuple[str, str]]:
    """(decider path, decider name) of the deciding units in the subtree (the unit included)
    whose decisions exceed the cap, by the same rule as `rules.cap_status`; one GROUP BY."""
    grouped = (
        _subtree_evaluations(user, period, unit)
        .filter(decider__path__gte=unit.path, decider__path__lt=unit.path + UPPER)
        .annotate(effective=_effective_level())
        .values("decider__path", "decider__name")
        .annotate(
            excellent=Count("id", filter=Q(decided_level=Level.EXCELLENT)),
            base=Count("id", filter=Q(effective__in=sorted(GOOD_OR_BETTER))),
        )
        .order_by("decider__path")
    )
    return [
        (g["decider__path"], g["decider__name"])
        for g in grouped
        if g["excellent"] * 100 > period.cap_percent * g["base"]
    ]


def distribution(user, period: EvaluationPeriod, unit: Unit) -> list[DistributionRow]:
    """Counts per decided level by child of `unit` (each child with its subtree), one GROUP BY
    on the child segment of the organisation's path; the unit's own evaluation is its own row.

    Member counts come only from the organisations `unit` decides on (its direct children): an
    organisation's count covers the members of the organisations under it, so summing deeper
    levels too would count the same members twice.
    """
    width = len(unit.path) + SEGMENT_WIDTH
    grouped = (
        _subtree_evaluations(user, period, unit)
        .annotate(child=Substr("unit__path", 1, width))
        .values("child", "decided_level")
        .annotate(n=Count("id"), **{f: Sum(f, filter=Q(decider_id=unit.pk)) for f in MEMBER_FIELDS})
        .order_by()
    )
    rows: dict[str, DistributionRow] = {}
    for g in grouped:
        path = g["child"]
        row = rows.get(path)
        if row is None:
            row = rows[path] = DistributionRow(path=path, unit=None, own=path == unit.path)
        if g["decided_level"]:
            row.counts[g["decided_level"]] += g["n"]
        else:
            row.undecided += g["n"]
        for f in MEMBER_FIELDS:
            row.members[f] += g[f] or 0
    for decider_path, name in deciders_over_cap(user, period, unit):
        row = rows.get(decider_path[:width]) if len(decider_path) > len(unit.path) else None
        if row is not None:
            row.deciders_over_cap.append(name)
    names = {u.path: u for u in visible_units(user).filter(path__in=sorted(rows))}
    for row in rows.values():
        row.unit = names.get(row.path)
    return sorted(rows.values(), key=lambda r: (not r.own, r.name))


def distribution_total(
    rows: list[DistributionRow], over_cap: list[tuple[str, str]] = ()
) -> DistributionRow:
    """The sum of the rows; its cap indicator names every deciding unit over the cap."""
    total = DistributionRow(path="", unit=None, own=False)
    for row in rows:
        for level, n in row.counts.items():
            total.counts[level] += n
        total.undecided += row.undecided
        for f in MEMBER_FIELDS:
            total.members[f] += row.members[f]
    total.deciders_over_cap = [name for _path, name in over_cap]
    return total


def latest_period(user, unit: Unit, as_of: datetime.date) -> EvaluationPeriod | None:
    """The most recent period up to `as_of`'s year with evaluations in the unit's subtree."""
    has = visible_evaluations(user).filter(
        unit__path__gte=unit.path, unit__path__lt=unit.path + UPPER
    )
    return (
        visible_periods(user)
        .filter(year__lte=as_of.year, pk__in=has.values("period_id"))
        .order_by("-year", "-id")
        .first()
    )
