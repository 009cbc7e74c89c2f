"""Log records carry the request id and the acting user, so one line of a JSON log leads to
the change log entries of the same request (they share the id)."""

import logging

from trienkhai.core.context import peek


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request_id"):  # given by the caller (core/timing.py)
            return True
        ctx = peek()
        record.request_id = ctx.request_id if ctx else ""
        record.user_id = ctx.user_id if ctx else None
        if ctx and ctx.job:
            record.job = ctx.job
        return True
