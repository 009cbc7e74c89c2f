"""The one range every date a person or a client enters must fall in, and how far back a
change may be dated before it needs a second look.

Web forms (`core.forms.DateField`), API serializers (`core.api.DateField`), deadline texts and
the actions themselves all check here, so 0001-01-01 or 9999-12-31 gets the same answer
wherever it is typed: a message naming the allowed range, and nothing changed.

The range is fixed, not relative to today: from 1930 (the Party's founding year; no record the
product keeps is older) to the end of 2100 (directives set visions to 2045 or 2050; later than
2100 is a typo). A fixed range gives the same answer today and next year, in tests too, and a
record once saved stays inside it. Settings `TRIENKHAI_DATE_MIN` / `TRIENKHAI_DATE_MAX` (ISO
dates) change it.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.core.actions import ActionError

DEFAULT_MIN = datetime.date(1930, 1, 1)
DEFAULT_MAX = datetime.date(2100, 12, 31)
DEFAULT_BACKDATE_DAYS = 30


def today() -> datetime.date:
    """Today in the site's time zone (Asia/Ho_Chi_Minh by default), not in UTC: the day a
    person in the office sees on their calendar."""
    return timezone.localdate()


def _setting(name: str, default: datetime.date) -> datetime.date:
    value = getattr(settings, name, None) or default
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return value


def bounds() -> tuple[datetime.date, datetime.date]:
    """(first, last) date accepted, both included."""
    return _setting("TRIENKHAI_DATE_MIN", DEFAULT_MIN), _setting("TRIENKHAI_DATE_MAX", DEFAULT_MAX)


def in_range(value: datetime.date) -> bool:
    if isinstance(value, datetime.datetime):
        value = value.date()
    first, last = bounds()
    return first <= value <= last


def out_of_range_message(value: datetime.date) -> str:
    first, last = bounds()
    return _("Ngày %(date)s nằm ngoài khoảng cho phép (từ %(min)s đến %(max)s).") % {
        "date": f"{value.day:02d}/{value.month:02d}/{value.year:04d}",  # year 1 as 0001
        "min": f"{first:%d/%m/%Y}",
        "max": f"{last:%d/%m/%Y}",
    }


def validate_date(value) -> None:
    """Django validator for form and serializer fields (DRF turns it into a 400)."""
    if isinstance(value, datetime.date) and not in_range(value):
        raise ValidationError(out_of_range_message(value), code="date_out_of_range")


def check_date(value, field: str | None = None):
    """For actions: refuse a date outside the range (None passes: required-ness is the
    action's own question). Returns `value`."""
    if isinstance(value, datetime.date) and not in_range(value):
        raise ActionError(out_of_range_message(value), field=field)
    return value


def check_dates(**dates) -> None:
    """`check_date` on each keyword, the keyword naming the field."""
    for field, value in dates.items():
        check_date(value, field)


def check_year(value, field: str | None = None):
    """A year (an int) inside the range's years."""
    first, last = bounds()
    if isinstance(value, int) and not first.year <= value <= last.year:
        raise ActionError(
            _("Năm phải trong khoảng từ %(min)s đến %(max)s.")
            % {"min": first.year, "max": last.year},
            field=field,
        )
    return value


# --- back-dated changes ----------------------------------------------------------------------


def backdate_days() -> int:
    """How many days back a change may be dated without an explicit confirmation."""
    return int(getattr(settings, "TRIENKHAI_BACKDATE_CONFIRM_DAYS", DEFAULT_BACKDATE_DAYS))


def is_backdated(value: datetime.date, today: datetime.date | None = None) -> bool:
    """True when `value` lies more than `backdate_days()` before today: the change rewrites
    history people have already read, so it needs an explicit confirmation."""
    today = today or timezone.localdate()
    return (today - value).days > backdate_days()
