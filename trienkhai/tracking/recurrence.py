"""The daily task that keeps recurring and continuous tasks' periods ahead of time.

Occurrences are created up to `default_horizon()` (the end of next year) when a task is added;
without this job a five-year programme would run out of periods after its second year. Each
task that falls short is extended through `actions.extend_occurrences`, which also assigns the
new periods to the units already carrying the task, in its own transaction per task, so one
failing task does not hold back the others (and the job's retry picks up where it stopped).
"""

import datetime
import logging

from django.db.models import F, Max, Q

from trienkhai.core.background import daily, job
from trienkhai.tracking.actions.assign import extend_occurrences
from trienkhai.tracking.actions.plans import default_horizon
from trienkhai.tracking.models import Task, TaskKind

log = logging.getLogger("trienkhai.jobs")


def tasks_short_of(horizon):
    """Recurring and continuous tasks whose last period falls due before `horizon` and that
    have not ended by then."""
    return (
        Task.objects.filter(kind__in=[TaskKind.RECURRING, TaskKind.CONTINUOUS])
        .annotate(last=Max("occurrences__due"))
        .filter(Q(last__isnull=True) | Q(last__lt=horizon))
        .filter(Q(ends_on__isnull=True) | Q(last__isnull=True) | Q(ends_on__gt=F("last")))
        .order_by("pk")
    )


def extend_all(horizon=None) -> dict:
    horizon = horizon or default_horizon()
    tasks = created = 0
    for task in tasks_short_of(horizon):
        created += extend_occurrences(None, task, horizon=horizon)
        tasks += 1
    log.info("extended %s recurring tasks, %s new assignments", tasks, created)
    return {"tasks": tasks, "assignments": created, "horizon": horizon.isoformat()}


@job()
def extend_recurring(day: str | None = None) -> dict:
    """The daily run (the scheduler passes the local day it runs for)."""
    return extend_all(default_horizon(datetime.date.fromisoformat(day) if day else None))


daily(extend_recurring, hour_setting="TRIENKHAI_RECURRENCE_HOUR", default_hour=2)
