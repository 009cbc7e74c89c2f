"""The daily job that refreshes computed indicators (plan coverage, conferences, on-time rate,
remediation closed) from the system's own records.

Each computed indicator of the year's sets (and, in January, of last year's, whose last period
has just ended) is recomputed through `actions.compute` in its own transaction, so one failing
indicator does not hold back the others and a retry recomputes only what changed (the action
writes a value only when its figure moved).
"""

import datetime
import logging

from django.db.models import Q

from trienkhai.core.background import daily, job
from trienkhai.core.dates import today as current_day
from trienkhai.indicators import actions
from trienkhai.indicators.models import Indicator, Source

log = logging.getLogger("trienkhai.jobs")


def compute_all(day: datetime.date) -> dict:
    years = Q(indicator_set__year=day.year)
    if day.month == 1:
        years |= Q(indicator_set__year=day.year - 1)
    indicators = (
        Indicator.objects.filter(years)
        .exclude(source=Source.REPORTED)
        .select_related("indicator_set__unit", "indicator_set__document")
        .order_by("pk")
    )
    done = changed = 0
    for indicator in indicators:
        changed += actions.compute(None, indicator, today=day)
        done += 1
    log.info("computed %s indicators, %s values changed", done, changed)
    return {"indicators": done, "values": changed, "day": day.isoformat()}


@job()
def compute_indicators(day: str | None = None) -> dict:
    """The daily run (the scheduler passes the local day it runs for)."""
    return compute_all(datetime.date.fromisoformat(day) if day else current_day())


daily(compute_indicators, hour_setting="TRIENKHAI_INDICATORS_HOUR", default_hour=4)
