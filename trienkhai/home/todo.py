"""A person's work list: every app's lines (`home.todo`), grouped by urgency, and the summary
band of their scope."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache

from trienkhai.core import registry
from trienkhai.core.todo import Todo, Urgency
from trienkhai.tracking import queries as tracking_queries
from trienkhai.tracking.status import Status
from trienkhai.units.queries import default_unit

# The menu shows the count the home page last computed (every login lands there), for at most
# this long: other pages then pay nothing for it, and a stale count says nothing false for long.
COUNT_SECONDS = 300


@dataclass
class Group:
    urgency: str
    label: str
    items: list[Todo]

    @property
    def count(self) -> int:
        return sum(t.count for t in self.items)


def work_list(user, today: datetime.date) -> list[Group]:
    items: list[Todo] = []
    for _name, provider in registry.entries("home.todo"):
        items.extend(provider(user, today))
    groups = []
    for urgency in Urgency.ORDER:
        mine = [t for t in items if t.urgency == urgency]
        if mine:
            mine.sort(key=lambda t: (t.count > 1, t.due or datetime.date.max))
            groups.append(Group(urgency, Urgency.LABELS[urgency], mine))
    cache.set(_key(user), sum(g.count for g in groups), COUNT_SECONDS)
    return groups


def _key(user) -> str:
    return f"todo-count:{user.pk}"


def work_count(user) -> int | None:
    """The number in the menu: the work list's size as the home page last counted it, or None
    when it has not been counted for COUNT_SECONDS."""
    return cache.get(_key(user))


@dataclass
class Summary:
    unit: object
    total: int
    overdue: int
    awaiting: int
    at_risk: int
    on_time_rate: str | None
    coverage_met: int
    coverage_total: int
    coverage_percent: str


def summary(user, today: datetime.date) -> Summary | None:
    """Plan coverage, on-time rate, overdue, awaiting review and at risk over the user's scope."""
    unit = default_unit(user)
    if unit is None:
        return None
    totals = tracking_queries.subtree_totals(user, unit=unit, as_of=today)
    decided = totals[Status.DONE_ON_TIME] + totals[Status.DONE_LATE] + totals[Status.OVERDUE]
    met, owed = tracking_queries.coverage_totals(user, unit=unit, as_of=today)
    at_risk = tracking_queries.at_risk_count(user, unit=unit, as_of=today)
    return Summary(
        unit=unit,
        total=sum(totals.values()),
        overdue=totals[Status.OVERDUE],
        awaiting=totals[Status.AWAITING_REVIEW],
        at_risk=at_risk,
        on_time_rate=tracking_queries.percent_text(totals[Status.DONE_ON_TIME], decided)
        if decided
        else None,
        coverage_met=met,
        coverage_total=owed,
        coverage_percent=tracking_queries.percent_text(met, owed),
    )
