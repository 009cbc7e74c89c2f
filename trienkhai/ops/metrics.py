"""Prometheus metrics: request latency per view (django-prometheus's middleware) and, read at
each scrape, the state of the work behind the pages: queued and failed tasks, notifications
waiting, database connections.

Under `trienkhai serve` several worker processes answer; prometheus_client's multiprocess mode
(PROMETHEUS_MULTIPROC_DIR, set by the CLI) sums their request metrics, so any worker's /metrics
tells about all of them. The figures read from the database are the same from any worker.
"""

import datetime
import logging
import os

from django.db import connection
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import REGISTRY, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

log = logging.getLogger("trienkhai.ops")


def _queued() -> int:
    from trienkhai.core.background.worker import using_rq

    if using_rq():
        import django_rq

        return django_rq.get_queue("default").count
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()


def _failed() -> int:
    from trienkhai.core.background.failed import failed_results

    rows = failed_results()
    return len(rows) if isinstance(rows, list) else rows.count()


def _outbox() -> int:
    from trienkhai.core.background.outbox import waiting

    return waiting()


def _notifications() -> dict[str, int]:
    """Unread in inboxes, and the last day's messages not yet sent by e-mail."""
    from trienkhai.notify.models import Notification

    since = timezone.now() - datetime.timedelta(days=1)
    return {
        "unread": Notification.objects.filter(read_at__isnull=True).count(),
        "not_emailed": Notification.objects.filter(
            emailed_at__isnull=True, read_at__isnull=True, created_at__gte=since
        ).count(),
    }


def _connections() -> dict[str, int]:
    """Server-side connections to this database by state (PostgreSQL; SQLite has none)."""
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() GROUP BY 1"
        )
        return dict(cursor.fetchall())


class WorkCollector:
    """Gauges read from the database at scrape time; a part that fails is left out and counted
    in trienkhai_metrics_errors, so one broken part never hides the others."""

    def collect(self):
        errors = 0

        def gauge(name, doc, value, labels=None):
            g = GaugeMetricFamily(name, doc, labels=list(labels or {}))
            if labels:
                g.add_metric(list(labels.values()), value)
            else:
                g.add_metric([], value)
            return g

        parts = []
        for name, doc, read in (
            ("trienkhai_tasks_queued", "Background tasks waiting to run.", _queued),
            ("trienkhai_tasks_failed", "Background tasks failed for good.", _failed),
            (
                "trienkhai_tasks_outbox",
                "Tasks kept in the database while the queue was unreachable.",
                _outbox,
            ),
        ):
            try:
                parts.append(gauge(name, doc, read()))
            except Exception:  # noqa: BLE001
                log.exception("metric %s", name)
                errors += 1
        try:
            family = GaugeMetricFamily(
                "trienkhai_notifications_pending", "Notifications waiting.", labels=["state"]
            )
            for state, count in _notifications().items():
                family.add_metric([state], count)
            parts.append(family)
        except Exception:  # noqa: BLE001
            log.exception("metric notifications")
            errors += 1
        try:
            family = GaugeMetricFamily(
                "trienkhai_database_connections",
                "Connections to the database, by state (PostgreSQL).",
                labels=["state"],
            )
            for state, count in _connections().items():
                family.add_metric([state], count)
            parts.append(family)
        except Exception:  # noqa: BLE001
            log.exception("metric database connections")
            errors += 1
        yield from parts
        yield gauge("trienkhai_metrics_errors", "Parts of this scrape that failed.", errors)


def exposition() -> bytes:
    """The text format of every metric, for one scrape."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        text = generate_latest(registry)
    else:
        text = generate_latest(REGISTRY)
    work = CollectorRegistry()
    work.register(WorkCollector())
    return text + generate_latest(work)
