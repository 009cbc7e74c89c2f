"""Who is acting and under which request id, for the change log.

Views set it from the request; the CLI, imports and jobs set it explicitly with `acting_as`.
"""

import contextlib
import uuid
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class ActionContext:
    user_id: int | None
    request_id: str
    job: str = ""  # the background job acting, when no person is ("tracking.recurrence.…")


_current: ContextVar[ActionContext | None] = ContextVar("trienkhai_action_context", default=None)


def current() -> ActionContext:
    ctx = _current.get()
    return ctx if ctx is not None else ActionContext(user_id=None, request_id=new_request_id())


def peek() -> ActionContext | None:
    """The context set by a request or a job, or None outside them (logging reads it)."""
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextlib.contextmanager
def acting_as(user, request_id: str | None = None, *, job: str = ""):
    """Run a block as `user` (or the system when None) under one request id; `job` names the
    background job running it, so the change log can say which job acted."""
    token = _current.set(
        ActionContext(
            user_id=getattr(user, "pk", None),
            request_id=request_id or new_request_id(),
            job=job,
        )
    )
    try:
        yield
    finally:
        _current.reset(token)
