"""What `/readyz` checks: each part the product needs to answer a person, in a few milliseconds.

A check returns None when its part works, or a short reason (no host names or secrets: the
answer is public to whoever can reach the server). Migrations are checked once per process
until they are found applied: code and schema only change together at a restart.
"""

from django.core.cache import cache
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

_migrations_applied: set[str] = set()


def check_database(alias: str = "default") -> str | None:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure is "not ready"
        return f"unreachable ({type(exc).__name__})"
    return None


def check_cache() -> str | None:
    try:
        cache.set("ops:readyz", "1", 30)
        if cache.get("ops:readyz") != "1":
            return "written value not read back"
    except Exception as exc:  # noqa: BLE001
        return f"unreachable ({type(exc).__name__})"
    return None


def check_queue() -> str | None:
    """The task queue answers: RQ's Redis when it is the backend, else the database's table."""
    from trienkhai.core.background.worker import using_rq

    try:
        if using_rq():
            import django_rq

            django_rq.get_connection("default").ping()
        else:
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.exists()
    except Exception as exc:  # noqa: BLE001
        return f"unreachable ({type(exc).__name__})"
    return None


def check_migrations(alias: str = "default") -> str | None:
    if alias in _migrations_applied:
        return None
    try:
        connection = connections[alias]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001
        return f"cannot be read ({type(exc).__name__})"
    if plan:
        return f"{len(plan)} not applied"
    _migrations_applied.add(alias)
    return None


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "queue": check_queue,
    "migrations": check_migrations,
}


def readiness(names=None) -> dict[str, str | None]:
    """Each check by name (all, or those of `names`), with its reason or None."""
    return {name: check() for name, check in CHECKS.items() if names is None or name in names}
