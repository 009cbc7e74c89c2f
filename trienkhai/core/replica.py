"""Reads of dashboards, roll-ups and issued reports from a PostgreSQL hot standby.

With DATABASE_REPLICA_URL set, the views marked `@replica_reads` read their records from the
standby ("replica") and everything else, writes included, stays on the primary ("default").
A person who has just written is kept on the primary until the standby has replayed that
write: every write request records the primary's WAL position (LSN) for its user, and a read
goes to the standby only when the standby's replayed position has reached it. So a reporter
who files a report sees it on the next page, while a province's other readers are served by
the standby. A standby that is unreachable, or not yet at the position, is simply not used.

Sessions, accounts, sign-in factors and the cache are always read from the primary: a
standby a few seconds behind must never sign anyone out.
"""

import functools
import logging
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

log = logging.getLogger("trienkhai.replica")

REPLICA = "replica"
PRIMARY_ONLY_APPS = frozenset(
    {
        "sessions",
        "auth",
        "contenttypes",
        "axes",
        "knox",
        "otp_totp",
        "otp_static",
        "django_cache",
        "django_tasks_database",
    }
)
_reading_from: ContextVar[str | None] = ContextVar("trienkhai_replica", default=None)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def _key(user_id) -> str:
    return f"replica:written:{user_id}"


class ReplicaRouter:
    """Reads go where `replica_reads` sent them; writes and migrations always to the primary."""

    def db_for_read(self, model, **hints):
        alias = _reading_from.get()
        if alias and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return alias
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def remember_write(user_id) -> None:
    """After a write by `user_id`: the primary's WAL position the standby must reach before
    that person reads from it (kept for TRIENKHAI_REPLICA_STICKY_SECONDS)."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            (lsn,) = cursor.fetchone()
    except DatabaseError:
        log.warning("could not read the primary's WAL position", exc_info=True)
        return
    try:
        cache.set(_key(user_id), lsn, timeout=settings.TRIENKHAI_REPLICA_STICKY_SECONDS)
    except Exception:  # no cache: this person's next reads cannot be told apart, use the primary
        log.warning("cache unreachable: the write position is not kept", exc_info=True)


def choose(user) -> str | None:
    """The replica when it may serve this person now, else None (the primary)."""
    if not configured() or connections["default"].in_atomic_block:
        return None
    try:
        needed = cache.get(_key(user.pk)) if getattr(user, "pk", None) else None
    except Exception:  # without the cache no write can be ruled out: read the primary
        log.warning("cache unreachable: reading from the primary", exc_info=True)
        return None
    try:
        with connections[REPLICA].cursor() as cursor:
            if needed:
                cursor.execute(
                    "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= %s::pg_lsn",
                    [needed],
                )
            else:
                cursor.execute("SELECT true")
            (ready,) = cursor.fetchone()
    except DatabaseError:
        log.warning("standby unreachable: reading from the primary", exc_info=True)
        connections[REPLICA].close()
        return None
    return REPLICA if ready else None


def replica_reads(view):
    """Serve a view's GET and HEAD from the standby when `choose` allows (see above)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not configured():
            return view(request, *args, **kwargs)
        alias = choose(request.user)  # loads the user from the primary first
        if alias is None:
            return view(request, *args, **kwargs)
        token = _reading_from.set(alias)
        try:
            getattr(request, "_request", request).read_from = alias  # DRF wraps the request
            return view(request, *args, **kwargs)
        finally:
            _reading_from.reset(token)

    return wrapped


class WritePositionMiddleware:
    """Remembers the WAL position after each write request of a signed-in person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            configured()
            and request.method not in ("GET", "HEAD", "OPTIONS")
            and getattr(request, "user", None) is not None
            and request.user.is_authenticated
        ):
            remember_write(request.user.pk)
        return response
