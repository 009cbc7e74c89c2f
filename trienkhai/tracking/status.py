"""A task assignment's status as of a date, computed in this one place.

The same definition serves Python (one row) and SQL (a CASE expression for roll-ups, and one
filter per status), so a dashboard, an export, a report and the API can never give two answers
to the same question; `tests/test_status_agreement.py` checks the three agree on random rows.

Done means accepted: a unit reporting completion sets `claimed_on` (the date it reports) and the
share is "awaiting review" from that date; only when the assigning unit accepts the report does
`completed_on` take that date (and `claimed_on` go back to empty), so the share counts as done on
time or late by the date the unit reported. A returned completion goes back to in progress.
"""

import datetime

from django.db.models import Case, CharField, F, Q, Value, When
from django.utils.translation import gettext_lazy as _


class Status:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    AWAITING_REVIEW = "awaiting_review"
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"

    ORDER = (NOT_STARTED, IN_PROGRESS, AWAITING_REVIEW, DONE_ON_TIME, DONE_LATE, OVERDUE)
    LABELS = {
        NOT_STARTED: _("Chưa thực hiện"),
        IN_PROGRESS: _("Đang thực hiện trong hạn"),
        AWAITING_REVIEW: _("Báo cáo hoàn thành, chờ duyệt"),
        DONE_ON_TIME: _("Hoàn thành đúng hạn"),
        DONE_LATE: _("Hoàn thành quá hạn"),
        OVERDUE: _("Quá hạn chưa hoàn thành"),
    }
    CSS = {
        NOT_STARTED: "st-not-started",
        IN_PROGRESS: "st-in-progress",
        AWAITING_REVIEW: "st-awaiting",
        DONE_ON_TIME: "st-done",
        DONE_LATE: "st-late",
        OVERDUE: "st-overdue",
    }


def status_of(
    due: datetime.date,
    completed_on: datetime.date | None,
    started_on: datetime.date | None,
    as_of: datetime.date,
    claimed_on: datetime.date | None = None,
) -> str:
    if completed_on is not None and completed_on <= as_of:
        return Status.DONE_ON_TIME if completed_on <= due else Status.DONE_LATE
    if claimed_on is not None and claimed_on <= as_of:
        return Status.AWAITING_REVIEW
    if due < as_of:
        return Status.OVERDUE
    if started_on is not None and started_on <= as_of:
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


def assignment_status(a, as_of: datetime.date) -> str:
    """`status_of` for an assignment (or any row with its five date fields)."""
    return status_of(a.due, a.completed_on, a.started_on, as_of, a.claimed_on)


def is_late(a, as_of: datetime.date) -> bool:
    """Late work, which may be asked to explain itself: overdue, done late, or a completion
    reported after its due date and awaiting review."""
    status = assignment_status(a, as_of)
    if status == Status.AWAITING_REVIEW:
        return a.claimed_on > a.due
    return status in (Status.OVERDUE, Status.DONE_LATE)


def _parts(as_of: datetime.date, prefix: str):
    """(completed, not completed, claimed, not claimed) as of the date. Counter rows store
    "never" as 9999-12-31 rather than NULL; both read the same here."""
    p = f"{prefix}__" if prefix else ""
    completed = Q(**{f"{p}completed_on__isnull": False, f"{p}completed_on__lte": as_of})
    not_completed = Q(**{f"{p}completed_on__isnull": True}) | Q(**{f"{p}completed_on__gt": as_of})
    claimed = Q(**{f"{p}claimed_on__isnull": False, f"{p}claimed_on__lte": as_of})
    not_claimed = Q(**{f"{p}claimed_on__isnull": True}) | Q(**{f"{p}claimed_on__gt": as_of})
    return p, completed, not_completed, claimed, not_claimed


def status_case(as_of: datetime.date, prefix: str = "") -> Case:
    """The same rule as `status_of`, as a SQL expression over assignment columns."""
    p, completed, _not_completed, claimed, _not_claimed = _parts(as_of, prefix)
    return Case(
        When(
            completed & Q(**{f"{p}completed_on__lte": F(f"{p}due")}),
            then=Value(Status.DONE_ON_TIME),
        ),
        When(completed, then=Value(Status.DONE_LATE)),
        When(claimed, then=Value(Status.AWAITING_REVIEW)),
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
    p, completed, not_completed, claimed, not_claimed = _parts(as_of, prefix)
    if status == Status.DONE_ON_TIME:
        return completed & Q(**{f"{p}completed_on__lte": F(f"{p}due")})
    if status == Status.DONE_LATE:
        return completed & Q(**{f"{p}completed_on__gt": F(f"{p}due")})
    if status == Status.AWAITING_REVIEW:
        return not_completed & claimed
    open_ = not_completed & not_claimed
    if status == Status.OVERDUE:
        return open_ & Q(**{f"{p}due__lt": as_of})
    started = Q(**{f"{p}started_on__isnull": False, f"{p}started_on__lte": as_of})
    if status == Status.IN_PROGRESS:
        return open_ & Q(**{f"{p}due__gte": as_of}) & started
    if status == Status.NOT_STARTED:
        return open_ & Q(**{f"{p}due__gte": as_of}) & ~started
    raise ValueError(status)
