"""Daily tasks: enqueued once per local day from their hour, by whichever worker comes first.

`daily(task, hour_setting=…)` registers a task; every worker calls `schedule_due()` on each pass.
Once a task's hour has passed today, it inserts the row (task, day) of `notify.DailyRun` and
enqueues the task with `day="YYYY-MM-DD"`, due at that hour, in one transaction: the row is
unique, so exactly one worker gets through per day, and the row is in the database whichever
backend runs the task.

Modules that define tasks are listed in `TRIENKHAI_JOB_MODULES` and imported on first use, so a
worker knows every daily task without each app wiring itself into `ready()`. The queue's own
housekeeping (`notify.jobs`: the daily purge) is always loaded, whatever the setting says.
"""

import datetime
import importlib
import inspect
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

log = logging.getLogger("trienkhai.jobs")

BUILTIN_MODULES = ("trienkhai.notify.jobs",)


@dataclass(frozen=True)
class Daily:
    """Enqueue `task` once per local day, from `hour` (read from a setting) onwards."""

    task: object  # a django-tasks Task
    hour_setting: str
    default_hour: int | None = None

    @property
    def path(self) -> str:
        return self.task.module_path

    @property
    def hour(self) -> int:
        if self.default_hour is None:
            return int(getattr(settings, self.hour_setting))
        return int(getattr(settings, self.hour_setting, self.default_hour))


_daily: dict[str, Daily] = {}
_refused: set[str] = set()  # daily tasks already reported as unrunnable
_loaded = False


def daily(task, *, hour_setting: str, default_hour: int | None = None) -> None:
    """Schedule `task` daily at the hour in `hour_setting` (`default_hour` if it is unset).

    The scheduler calls it with the local day it is run for, `day="YYYY-MM-DD"`.
    """
    _daily[task.module_path] = Daily(task, hour_setting, default_hour)


def load_modules() -> None:
    global _loaded
    if not _loaded:
        for module in (*BUILTIN_MODULES, *getattr(settings, "TRIENKHAI_JOB_MODULES", ())):
            importlib.import_module(module)
        _loaded = True


def daily_tasks() -> list[Daily]:
    load_modules()
    return list(_daily.values())


def check_daily(entry: Daily) -> None:
    """A daily task must take the `day` the scheduler passes (raises TypeError otherwise)."""
    func = getattr(entry.task.func, "job_func", entry.task.func)
    try:
        inspect.signature(func).bind(day="2000-01-01")
    except TypeError as exc:
        raise TypeError(f"daily task {entry.path!r} must accept day=…: {exc}") from None


def _enqueue_once(entry: Daily, day: datetime.date, at: datetime.datetime) -> bool:
    from trienkhai.core.models import DailyRun

    if DailyRun.objects.filter(task_path=entry.path, day=day).exists():
        return False
    try:
        with transaction.atomic():
            run = DailyRun.objects.create(task_path=entry.path, day=day)
            result = entry.task.using(run_after=at).enqueue(day=day.isoformat())
            DailyRun.objects.filter(pk=run.pk).update(result_id=result.id)
    except IntegrityError:  # another worker inserted the row between our check and insert
        return False
    return True


def schedule_due(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue each daily task whose hour has passed today (local time), once per day.

    Safe to call from every worker on every pass. Returns the "path:day" of what this call
    enqueued.
    """
    local = timezone.localtime(now or timezone.now())
    day = local.date()
    enqueued = []
    for entry in daily_tasks():
        try:
            check_daily(entry)
        except TypeError:
            # Queuing it would only fail every attempt; the other daily tasks still run.
            if entry.path not in _refused:  # said once per process, not on every pass
                _refused.add(entry.path)
                log.exception("daily task %s cannot be run", entry.path)
            continue
        at = local.replace(hour=entry.hour, minute=0, second=0, microsecond=0)
        if local >= at and _enqueue_once(entry, day, at):
            enqueued.append(f"{entry.path}:{day.isoformat()}")
    return enqueued
