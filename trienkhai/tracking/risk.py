"""At risk before late: open work whose progress lags the part of its term already gone.

How it is computed (the rule the home, the dashboard, the review queue and the API share):
an assignment is *at risk* on day T when it is neither completed nor awaiting review, is not
yet due (overdue work is already red), and either
- its reported progress is below the share of its term gone, by more than `RISK_MARGIN`
  percentage points: percent < 100 × (T − start) / (due − start) − margin; or
- it has no report at all once `RISK_SILENT_SHARE` of its term has gone.
The term runs from the start of its period (`Occurrence.period_start`) to its due date; all the
assignments of one occurrence share it, so the SQL form is a few conditions per threshold, not
date arithmetic per row (which SQLite and PostgreSQL write differently).

Like Ho Chi Minh City's system colours indicators red, orange and green, at-risk work is shown
orange next to its status, which stays one of the six of `tracking.status`.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Q

from trienkhai.tracking.models import Occurrence

NOTHING = Q(pk__in=[])


def _margin() -> int:
    return int(getattr(settings, "RISK_MARGIN", 20))


def _silent_share() -> float:
    return float(getattr(settings, "RISK_SILENT_SHARE", 0.5))


def elapsed_share(start: datetime.date, due: datetime.date, day: datetime.date) -> float:
    """The part of the term [start, due] gone on `day`, between 0 and 1."""
    if due <= start:
        return 1.0 if day >= due else 0.0
    return min(1.0, max(0.0, (day - start).days / (due - start).days))


def risky(percent: int, started: bool, share: float) -> bool:
    if not started:
        return share >= _silent_share()
    return percent < 100 * share - _margin()


def is_at_risk(a, day: datetime.date, start: datetime.date | None = None) -> bool:
    """Whether one assignment (with its occurrence, or `start` given) is at risk on `day`."""
    if a.completed_on is not None and a.completed_on <= day:
        return False
    if a.claimed_on is not None and a.claimed_on <= day:
        return False
    if a.due < day:
        return False
    if start is None:
        start = a.occurrence.period_start
    started = a.started_on is not None and a.started_on <= day
    return risky(a.percent, started, elapsed_share(start, a.due, day))


def at_risk_ids(assignments, day: datetime.date | None = None) -> set[int]:
    """Which of `assignments` (a page of them) are at risk: their periods' starts in one query."""
    from trienkhai.core.dates import today

    day = day or today()
    rows = [a for a in assignments if a is not None]
    starts = dict(
        Occurrence.objects.filter(pk__in={a.occurrence_id for a in rows}).values_list(
            "pk", "period_start"
        )
    )
    return {
        a.pk
        for a in rows
        if a.occurrence_id in starts and is_at_risk(a, day, starts[a.occurrence_id])
    }


def at_risk_q(day: datetime.date, occurrences=None, prefix: str = "") -> Q:
    """The same rule as a filter on assignments. `occurrences` (a queryset) narrows which
    periods are read; by default every period running on `day`."""
    p = f"{prefix}__" if prefix else ""
    open_periods = Occurrence.objects.filter(period_start__lte=day, due__gte=day)
    if occurrences is not None:
        open_periods = open_periods.filter(pk__in=occurrences)
    by_threshold: dict[int, list[int]] = defaultdict(list)
    silent: list[int] = []
    for pk, start, due in open_periods.values_list("pk", "period_start", "due"):
        share = elapsed_share(start, due, day)
        threshold = 100 * share - _margin()
        if threshold > 0:
            # percent < threshold  <=>  percent < ceil(threshold) for whole percents
            by_threshold[int(-(-threshold // 1))].append(pk)
        if share >= _silent_share():
            silent.append(pk)
    started = Q(**{f"{p}started_on__isnull": False, f"{p}started_on__lte": day})
    condition = NOTHING
    for threshold, ids in by_threshold.items():
        condition |= Q(**{f"{p}occurrence_id__in": ids, f"{p}percent__lt": threshold}) & started
    if silent:
        condition |= Q(**{f"{p}occurrence_id__in": silent}) & ~started
    open_ = (Q(**{f"{p}completed_on__isnull": True}) | Q(**{f"{p}completed_on__gt": day})) & (
        Q(**{f"{p}claimed_on__isnull": True}) | Q(**{f"{p}claimed_on__gt": day})
    )
    return condition & open_ & Q(**{f"{p}due__gte": day})
