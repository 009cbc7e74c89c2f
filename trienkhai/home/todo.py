"""A person's work list: every app's lines (`home.todo`), grouped by urgency, and the summary
band of their scope."""

import datetime
import time
from dataclasses import dataclass

from trienkhai.core import registry
from trienkhai.core.todo import Todo, Urgency
from trienkhai.tracking import queries as tracking_queries
from trienkhai.tracking.status import Status
from trienkhai.units.queries import default_unit

# The menu shows the count the home page last computed (every login lands there), kept in the
# session for at most this long: other pages then pay nothing for it (the session is read
# anyway), and a stale count says nothing false for long.
COUNT_SECONDS = 300
SESSION_KEY = "todo-count"
REFRESH_SECONDS = 60  # an unchanged count is written again only this often


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
    return groups


def remember_count(session, n: int) -> None:
    """Keep the work list's size for the menu; the session is saved only when it changed or
    REFRESH_SECONDS have passed (a session row write, not one per page)."""
    now = int(time.time())
    kept = session.get(SESSION_KEY)
    if not kept or kept[0] != n or now - kept[1] >= REFRESH_SECONDS:
        session[SESSION_KEY] = [n, now]


def work_count(session) -> int | None:
    """The number in the menu: the work list's size as the home page last counted it, or None
    when it has not been counted for COUNT_SECONDS."""
    kept = session.get(SESSION_KEY)
    if not kept or time.time() - kept[1] > COUNT_SECONDS:
        return None
    return kept[0]


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
