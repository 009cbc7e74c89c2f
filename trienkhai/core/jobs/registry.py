"""Job functions registered by name, and the daily schedule the worker keeps.

Modules that define jobs are listed in `settings.TRIENKHAI_JOB_MODULES` and imported on first
use, so a worker knows every job without each app wiring itself into `ready()`. The queue's own
housekeeping (`notify.jobs`: the daily purge) is always loaded, whatever the setting says.
"""

import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings


class UnknownJob(LookupError):
    """A queued job names a function no module registered (renamed or removed code)."""


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: Callable
    max_attempts: int | None


@dataclass(frozen=True)
class Daily:
    """Enqueue `name` once per local day, from `hour` (read from a setting) onwards."""

    name: str
    hour_setting: str
    default_hour: int | None = None

    @property
    def hour(self) -> int:
        if self.default_hour is None:
            return int(getattr(settings, self.hour_setting))
        return int(getattr(settings, self.hour_setting, self.default_hour))


BUILTIN_MODULES = ("trienkhai.notify.jobs",)

_jobs: dict[str, JobSpec] = {}
_daily: dict[str, Daily] = {}
_loaded = False


def job(name: str, *, max_attempts: int | None = None):
    """Register the decorated function as the job `name` (called with the enqueued kwargs)."""

    def register(func):
        _jobs[name] = JobSpec(name, func, max_attempts)
        return func

    return register


def daily(name: str, *, hour_setting: str, default_hour: int | None = None) -> None:
    """Schedule `name` daily at the hour in `hour_setting` (`default_hour` if it is unset).

    The scheduler calls it with the local day it is run for, `day="YYYY-MM-DD"`.
    """
    _daily[name] = Daily(name, hour_setting, default_hour)


def check_daily(entry: Daily) -> None:
    """A daily job must exist and take the `day` the scheduler passes (raises otherwise)."""
    spec = _jobs.get(entry.name)
    if spec is None:
        raise UnknownJob(entry.name)
    try:
        inspect.signature(spec.func).bind(day="2000-01-01")
    except TypeError as exc:
        raise TypeError(f"daily job {entry.name!r} must accept day=…: {exc}") from None


def load_modules() -> None:
    global _loaded
    if not _loaded:
        for module in (*BUILTIN_MODULES, *getattr(settings, "TRIENKHAI_JOB_MODULES", ())):
            importlib.import_module(module)
        _loaded = True


def get(name: str) -> JobSpec:
    load_modules()
    try:
        return _jobs[name]
    except KeyError:
        raise UnknownJob(name) from None


def daily_jobs() -> list[Daily]:
    load_modules()
    return list(_daily.values())


def max_attempts_for(name: str) -> int:
    spec = _jobs.get(name)
    if spec is not None and spec.max_attempts:
        return spec.max_attempts
    return int(settings.TRIENKHAI_JOB_MAX_ATTEMPTS)
