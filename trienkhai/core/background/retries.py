"""Retries with backoff, which django-tasks leaves out: a failed attempt enqueues the next one.

`@job(max_attempts=…)` makes a django-tasks `Task` that runs the decorated function as the
system (`acting_as(None)`). When the function raises and attempts remain, the same call is
enqueued again, due after `backoff(attempt)` (base, 2×base, 4×base …, at most six hours), with
its number in the reserved keyword `_attempt`; this attempt then fails with `RetryScheduled`,
the original error chained to it. The last attempt fails with the function's own error: that is
a failure for good, which the operators' page lists (`failed`).

A database task queued again after its worker was killed (`stale`) is the same result claimed
once more: each claim counts as an attempt, and past the maximum it fails without running.
"""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import DEFAULT_TASK_QUEUE_NAME, task

from trienkhai.core.context import acting_as

log = logging.getLogger("trienkhai.jobs")

ATTEMPT = "_attempt"
MAX_BACKOFF = datetime.timedelta(hours=6)


class RetryScheduled(Exception):  # noqa: N818 - names what happened, not an error kind
    """This attempt failed and the next one is queued (the error is its `__cause__`)."""


class TooManyAttempts(Exception):  # noqa: N818
    """Claimed more often than allowed: its workers kept dying while running it."""


def backoff(attempt: int) -> datetime.timedelta:
    """Delay before the attempt after `attempt`: base, 2×base, 4×base … (capped)."""
    base = datetime.timedelta(seconds=int(settings.TRIENKHAI_JOB_BACKOFF))
    return min(base * (2 ** max(attempt - 1, 0)), MAX_BACKOFF)


def max_attempts_of(task_obj) -> int:
    declared = getattr(task_obj.func, "max_attempts", None)
    return int(declared or settings.TRIENKHAI_JOB_MAX_ATTEMPTS)


def attempt_of(kwargs: dict, worker_ids: list) -> int:
    """Which attempt a result is: its `_attempt`, plus its claims beyond the first."""
    return int(kwargs.get(ATTEMPT, 1)) + max(len(worker_ids) - 1, 0)


def call_kwargs(kwargs: dict) -> dict:
    """The keyword arguments of the call itself, without the attempt's number."""
    return {k: v for k, v in kwargs.items() if k != ATTEMPT}


def enqueue_attempt(task_obj, args, kwargs: dict, attempt: int, run_after=None):
    """Enqueue the call `task_obj(*args, **kwargs)` as its attempt number `attempt`."""
    kwargs = call_kwargs(kwargs)
    if attempt > 1:
        kwargs[ATTEMPT] = attempt
    return dataclasses.replace(task_obj, run_after=run_after).enqueue(*args, **kwargs)


def job_name(func) -> str:
    """How the change log names a job: its module inside the package and its function."""
    return f"{func.__module__.removeprefix('trienkhai.')}.{func.__name__}"


def job(*, max_attempts: int | None = None, queue_name: str = DEFAULT_TASK_QUEUE_NAME):
    """Make the decorated module-level function a task retried on failure (see the module)."""

    def decorate(func):
        def run(context, *args, **kwargs):
            result = context.task_result
            attempt = attempt_of(kwargs, result.worker_ids)
            limit = max_attempts or int(settings.TRIENKHAI_JOB_MAX_ATTEMPTS)
            if attempt > limit:
                raise TooManyAttempts(f"abandoned after {attempt - 1} attempts")
            try:
                with acting_as(None, job=job_name(func)):
                    return func(*args, **call_kwargs(kwargs))
            except Exception as exc:
                if attempt >= limit:
                    raise
                at = timezone.now() + backoff(attempt)
                queued = enqueue_attempt(result.task, args, kwargs, attempt + 1, run_after=at)
                log.warning("task %s failed (attempt %s of %s)", result.task.name, attempt, limit)
                raise RetryScheduled(
                    f"attempt {attempt} of {limit} failed; attempt {attempt + 1} is queued as "
                    f"{queued.id} for {at.isoformat(timespec='seconds')}"
                ) from exc

        # The task's path must be the function's: a worker imports the Task by it.
        run.__module__, run.__name__ = func.__module__, func.__name__
        run.__qualname__, run.__doc__ = func.__qualname__, func.__doc__
        run.max_attempts = max_attempts
        run.job_func = func
        return task(takes_context=True, queue_name=queue_name)(run)

    return decorate
