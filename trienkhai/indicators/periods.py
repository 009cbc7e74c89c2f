"""Reporting periods of an indicator: their numbers, dates and names, and which have ended."""

import calendar
import datetime

from django.utils.translation import gettext as _

from trienkhai.indicators.models import PERIODS_IN_YEAR, Period


def bounds(kind: str, year: int, period: int) -> tuple[datetime.date, datetime.date]:
    if kind == Period.MONTH:
        first, last = period, period
    elif kind == Period.QUARTER:
        first, last = 3 * period - 2, 3 * period
    else:
        first, last = 1, 12
    end = calendar.monthrange(year, last)[1]
    return datetime.date(year, first, 1), datetime.date(year, last, end)


def elapsed(kind: str, year: int, as_of: datetime.date) -> int:
    """How many periods of `year` have ended by `as_of` (the day itself not yet over)."""
    count = PERIODS_IN_YEAR[kind]
    if as_of.year > year:
        return count
    if as_of.year < year:
        return 0
    return sum(1 for p in range(1, count + 1) if bounds(kind, year, p)[1] < as_of)


def started(kind: str, year: int, as_of: datetime.date) -> int:
    """The last period of `year` that has begun by `as_of` (0 before the year)."""
    count = PERIODS_IN_YEAR[kind]
    return sum(1 for p in range(1, count + 1) if bounds(kind, year, p)[0] <= as_of)


def name(kind: str, year: int, period: int) -> str:
    if kind == Period.MONTH:
        return _("Tháng %(n)s/%(year)s") % {"n": period, "year": year}
    if kind == Period.QUARTER:
        return _("Quý %(n)s/%(year)s") % {"n": ("I", "II", "III", "IV")[period - 1], "year": year}
    return _("Năm %(year)s") % {"year": year}
