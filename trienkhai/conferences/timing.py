"""Whether a conference was held by its deadline, computed in this one place.

The same rule serves one row (`timing_of`) and SQL (`timing_case`, `timing_q`), so the list, the
roll-up, the panel, the exports and the API never disagree.
"""

import datetime

from django.db.models import Case, CharField, F, Q, Value, When
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _


class Timing:
    ON_TIME = "on_time"
    LATE = "late"
    NO_DEADLINE = "no_deadline"

    ORDER = (ON_TIME, LATE, NO_DEADLINE)
    LABELS = {
        ON_TIME: _("Đúng hạn"),
        LATE: _("Muộn"),
        NO_DEADLINE: _("Không có thời hạn"),
    }
    CSS = {ON_TIME: "st-done", LATE: "st-late", NO_DEADLINE: "st-not-started"}


def timing_of(date: datetime.date, deadline: datetime.date | None) -> str:
    if deadline is None:
        return Timing.NO_DEADLINE
    return Timing.ON_TIME if date <= deadline else Timing.LATE


def timing_q(timing: str, prefix: str = "") -> Q:
    p = f"{prefix}__" if prefix else ""
    if timing == Timing.NO_DEADLINE:
        return Q(**{f"{p}deadline__isnull": True})
    has = Q(**{f"{p}deadline__isnull": False})
    if timing == Timing.ON_TIME:
        return has & Q(**{f"{p}date__lte": F(f"{p}deadline")})
    return has & Q(**{f"{p}date__gt": F(f"{p}deadline")})


def timing_case(prefix: str = "") -> Case:
    return Case(
        When(timing_q(Timing.ON_TIME, prefix), then=Value(Timing.ON_TIME)),
        When(timing_q(Timing.LATE, prefix), then=Value(Timing.LATE)),
        default=Value(Timing.NO_DEADLINE),
        output_field=CharField(),
    )


def participation_rate(expected: int | None, attending: int | None) -> float | None:
    """Members attending among those expected, in percent; None when it cannot be said."""
    if not expected or attending is None:
        return None
    return 100 * attending / expected


def rate_text(rate: float | None) -> str:
    """ "97,55%" in the active language's number format; "100%" without decimals."""
    if rate is None:
        return ""
    value = round(rate, 2)
    if value == int(value):
        return f"{number_format(int(value))}%"
    return f"{number_format(value, 2)}%"
