"""Background tasks: django-tasks, and the little the product needs on top of it.

    @job(max_attempts=3)
    def import_file(import_id): ...

    import_file.enqueue(import_id=7)     # a django-tasks Task: enqueue, using(run_after=…) …
    daily(daily_reminders, hour_setting="TRIENKHAI_REMINDER_HOUR")

django-tasks (the backport of Django 6's `django.tasks`) defines and enqueues tasks; the backend
is the database (django-tasks-db) unless `TRIENKHAI_TASKS=rq` puts the queue in Redis
(django-tasks-rq). It has no retries, no schedule, and no recovery of the task a killed worker was
running; each is one small module here:

- `retries`: `job()` makes a task whose failure enqueues its next attempt, with backoff;
- `schedule`: daily tasks, enqueued once per local day whichever worker comes first;
- `stale`: the tasks a killed worker left running are run again;
- `failed`: the tasks that failed for good (the operators' page), on either backend;
- `worker`: `trienkhai worker`, the database worker or the RQ worker (`rq_worker`).
"""

from trienkhai.core.background.retries import job
from trienkhai.core.background.schedule import daily

__all__ = ["daily", "job"]
