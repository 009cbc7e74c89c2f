"""A task assignment's status as of a date, computed in this one place.

The same definition serves Python (one row) and SQL (a CASE expression for roll-ups), so a
dashboard, an export, a report and the API can never give two answers to the same question.
"""

import datetime

from django.db.models import Case, CharField, F, Q, Value, When
from django.utils.translation import gettext_lazy as _


class Status:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"

    ORDER = (NOT_STARTED, IN_PROGRESS, DONE_ON_TIME, DONE_LATE, OVERDUE)
    LABELS = {
        NOT_STARTED: _("Chưa thực hiện"),
        IN_PROGRESS: _("Đang thực hiện trong hạn"),
        DONE_ON_TIME: _("Hoàn thành đúng hạn"),
        DONE_LATE: _("Hoàn thành quá hạn"),
        OVERDUE: _("Quá hạn chưa hoàn thành"),
    }
    CSS = {
        NOT_STARTED: "st-not-started",
        IN_PROGRESS: "st-in-progress",
        DONE_ON_TIME: "st-done",
        DONE_LATE: "st-late",
        OVERDUE: "st-overdue",
    }


def status_of(
    due: datetime.date,
    completed_on: datetime.date | None,
    started_on: datetime.date | None,
    as_of: datetime.date,
) -> str:
    if completed_on is not None and completed_on <= as_of:
        return Status.DONE_ON_TIME if completed_on <= due else Status.DONE_LATE
    if due < as_of:
        return Status.OVERDUE
    if started_on is not None and started_on <= as_of:
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


def status_case(as_of: datetime.date, prefix: str = "") -> Case:
    """The same rule as `status_of`, as a SQL expression over assignment columns."""
    p = f"{prefix}__" if prefix else ""
    completed = Q(**{f"{p}completed_on__isnull": False, f"{p}completed_on__lte": as_of})
    return Case(
        When(
            completed & Q(**{f"{p}completed_on__lte": F(f"{p}due")}),
            then=Value(Status.DONE_ON_TIME),
        ),
        When(completed, then=Value(Status.DONE_LATE)),
        When(Q(**{f"{p}due__lt": as_of}), then=Value(Status.OVERDUE)),
        When(
            Q(**{f"{p}started_on__isnull": False, f"{p}started_on__lte": as_of}),
            then=Value(Status.IN_PROGRESS),
        ),
        default=Value(Status.NOT_STARTED),
        output_field=CharField(),
    )


def status_q(status: str, as_of: datetime.date, prefix: str = "") -> Q:
    """A filter for one status as of a date (for lists such as "overdue, oldest first")."""
    p = f"{prefix}__" if prefix else ""
    completed = Q(**{f"{p}completed_on__isnull": False, f"{p}completed_on__lte": as_of})
    not_completed = Q(**{f"{p}completed_on__isnull": True}) | Q(**{f"{p}completed_on__gt": as_of})
    if status == Status.DONE_ON_TIME:
        return completed & Q(**{f"{p}completed_on__lte": F(f"{p}due")})
    if status == Status.DONE_LATE:
        return completed & Q(**{f"{p}completed_on__gt": F(f"{p}due")})
    if status == Status.OVERDUE:
        return not_completed & Q(**{f"{p}due__lt": as_of})
    started = Q(**{f"{p}started_on__isnull": False, f"{p}started_on__lte": as_of})
    if status == Status.IN_PROGRESS:
        return not_completed & Q(**{f"{p}due__gte": as_of}) & started
    return not_completed & Q(**{f"{p}due__gte": as_of}) & ~started
