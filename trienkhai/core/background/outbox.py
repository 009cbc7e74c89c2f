"""Tasks kept in the database while the queue is unreachable, and handed over once it is back.

With RQ, the queue is Redis: if Redis is down when an action's task is enqueued (a hand-off's
notices, an import), the action has already committed. Rather than losing the task, `enqueue`
writes it to the `Outbox` table, in the same database as the action; every worker pass
(`flush`: the RQ worker's maintenance, `trienkhai worker --once`) enqueues what waits there, in
order, and deletes each row once the queue has it. The metric `trienkhai_tasks_outbox` says
how many wait. With the database queue there is nothing to fall back to: the enqueue is an
INSERT in the same database.
"""

import logging

from django.db import transaction
from django.utils.module_loading import import_string

from trienkhai.core.models import Outbox

log = logging.getLogger("trienkhai.jobs")


def enqueue(task_obj, **kwargs):
    """`task_obj.enqueue(**kwargs)`, or, when the queue refuses, a row of the outbox."""
    try:
        return task_obj.enqueue(**kwargs)
    except Exception as exc:  # the queue's client raises its own connection errors
        path = f"{task_obj.func.__module__}.{task_obj.func.__name__}"
        Outbox.objects.create(task_path=path, kwargs=kwargs, error=repr(exc)[:2000])
        log.warning("queue unreachable, %s kept in the outbox: %r", path, exc)
        return None


def flush(limit: int = 500) -> int:
    """Hand the outbox's tasks to the queue, oldest first; stop at the first refusal."""
    moved = 0
    while moved < limit:
        with transaction.atomic():
            rows = list(Outbox.objects.select_for_update(skip_locked=True).order_by("pk")[:50])
            if not rows:
                break
            for row in rows:
                try:
                    import_string(row.task_path).enqueue(**row.kwargs)
                except ImportError:
                    log.error("outbox: task %s no longer exists, dropped", row.task_path)
                except Exception as exc:  # still unreachable: try again next pass
                    log.warning("outbox: queue still unreachable: %r", exc)
                    Outbox.objects.filter(pk__in=[r.pk for r in rows[: rows.index(row)]]).delete()
                    return moved
                moved += 1
            Outbox.objects.filter(pk__in=[r.pk for r in rows]).delete()
    return moved


def waiting() -> int:
    return Outbox.objects.count()
