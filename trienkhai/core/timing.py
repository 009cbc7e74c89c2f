"""Where a request's server time goes: the whole of it, its CPU, and its database share.

Every response carries a `Server-Timing` header (`app` the wall time in the application, `cpu`
the thread's CPU time, `db` the time in database calls and their count), which a browser's
developer tools show and a benchmark reads back; a request slower than
`TRIENKHAI_SLOW_REQUEST_MS` is also logged (logger `trienkhai.timing`) with its view, so the
slow ones can be found in production without a profiler attached.
"""

import logging
import time

from django.conf import settings
from django.db import connections

log = logging.getLogger("trienkhai.timing")


class _DatabaseTime:
    """Wraps each query of the request: the time spent waiting on the database."""

    def __init__(self):
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start, cpu = time.perf_counter(), time.thread_time()
        db = _DatabaseTime()
        wrappers = [c.execute_wrapper(db) for c in connections.all()]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        app_ms = (time.perf_counter() - start) * 1000
        cpu_ms = (time.thread_time() - cpu) * 1000
        db_ms = db.seconds * 1000
        response["Server-Timing"] = (
            f'app;dur={app_ms:.1f}, cpu;dur={cpu_ms:.1f}, db;dur={db_ms:.1f};desc="{db.queries}"'
        ) + (', replica;desc="standby"' if getattr(request, "read_from", None) else "")
        if app_ms >= getattr(settings, "TRIENKHAI_SLOW_REQUEST_MS", 500):
            match = getattr(request, "resolver_match", None)
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
            log.warning(
                "slow request %s %s (%s): %.0f ms, cpu %.0f ms, db %.0f ms in %s queries",
                request.method,
                request.path,
                match.view_name if match else "-",
                app_ms,
                cpu_ms,
                db_ms,
                db.queries,
                extra={"request_id": getattr(request, "request_id", ""), "user_id": user_id},
            )
        return response
