"""Deadlines as the documents write them, turned into dates and reporting periods.

"31/12/2021", "tháng 12/2021", "quý I/2022", "6 tháng đầu năm 2022", "hằng năm từ 2022",
"thường xuyên, báo cáo hằng quý" … are parsed on the folded text (no diacritics, lower case),
so "hàng năm" and "hằng năm", "Quý" and "quý", NFC and NFD input all read the same.
A deadline written as a period is due on that period's last day.
"""

import calendar
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trienkhai.core.dates import bounds
from trienkhai.core.text import fold
from trienkhai.tracking.models import Period, TaskKind

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Continuous work with no stated reporting period is reviewed once a year (annual review).
DEFAULT_CONTINUOUS_PERIOD = Period.YEARLY
MONTHS_IN = {
    Period.MONTHLY: 1,
    Period.QUARTERLY: 3,
    Period.HALF_YEARLY: 6,
    Period.YEARLY: 12,
}


DATE, RECURRING, CONTINUOUS = "date", TaskKind.RECURRING.value, TaskKind.CONTINUOUS.value


class InvalidDeadline(ValueError):
    """The text is not a deadline we can read; the message says so in Vietnamese."""


@dataclass(frozen=True)
class Deadline:
    kind: str  # "date" | "recurring" | "continuous"
    due: datetime.date | None
    period: str | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    text: str

    @property
    def is_date(self) -> bool:
        return self.kind == DATE

    @property
    def task_kind(self) -> str:
        """The Task.kind this deadline gives its task."""
        return TaskKind.ONE_OFF if self.kind == DATE else self.kind


# --- periods ---------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_start(period: str, day: datetime.date) -> datetime.date:
    """The first day of the period of kind `period` that contains `day`."""
    size = MONTHS_IN[period]
    month = (day.month - 1) // size * size + 1
    return datetime.date(day.year, month, 1)


def period_end(period: str, start: datetime.date) -> datetime.date:
    last = _add_months(start, MONTHS_IN[period] - 1)
    return _month_end(last.year, last.month)


# Each label is its own message so that a translation can reorder it freely ("Q1 2022",
# "December 2021") while keeping the placeholders of the Vietnamese text.
_MONTH_LABELS = (
    gettext_lazy("Tháng 1/%(year)s"),
    gettext_lazy("Tháng 2/%(year)s"),
    gettext_lazy("Tháng 3/%(year)s"),
    gettext_lazy("Tháng 4/%(year)s"),
    gettext_lazy("Tháng 5/%(year)s"),
    gettext_lazy("Tháng 6/%(year)s"),
    gettext_lazy("Tháng 7/%(year)s"),
    gettext_lazy("Tháng 8/%(year)s"),
    gettext_lazy("Tháng 9/%(year)s"),
    gettext_lazy("Tháng 10/%(year)s"),
    gettext_lazy("Tháng 11/%(year)s"),
    gettext_lazy("Tháng 12/%(year)s"),
)
_QUARTER_LABELS = (
    gettext_lazy("Quý I/%(year)s"),
    gettext_lazy("Quý II/%(year)s"),
    gettext_lazy("Quý III/%(year)s"),
    gettext_lazy("Quý IV/%(year)s"),
)
_HALF_LABELS = (
    gettext_lazy("6 tháng đầu năm %(year)s"),
    gettext_lazy("6 tháng cuối năm %(year)s"),
)
_YEAR_LABEL = gettext_lazy("Năm %(year)s")


def period_label(period: str, start: datetime.date) -> str:
    """ "Tháng 3/2022", "Quý I/2022", "6 tháng đầu năm 2022", "Năm 2022", in the active language."""
    if period == Period.MONTHLY:
        text = _MONTH_LABELS[start.month - 1]
    elif period == Period.QUARTERLY:
        text = _QUARTER_LABELS[(start.month - 1) // 3]
    elif period == Period.HALF_YEARLY:
        text = _HALF_LABELS[0 if start.month <= 6 else 1]
    else:
        text = _YEAR_LABEL
    return str(text) % {"year": start.year}


def stored_period_label(period: str, start: datetime.date) -> str:
    """The label as written into `Occurrence.label`: always in the site's language (Vietnamese),
    whoever created the plan. Pages never show it; they call `occurrence_label`."""
    with translation.override(settings.LANGUAGE_CODE):
        return period_label(period, start)


def span_label(start: datetime.date, end: datetime.date) -> str:
    """The label of the span [start, end] in the active language: a whole period by its name,
    anything else (a single day, an irregular span) by its last day (dd/mm/yyyy)."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    for period, size in MONTHS_IN.items():
        aligned = size == months and period_start(period, start) == start
        if aligned and period_end(period, start) == end:
            return period_label(period, start)
    return date_format(end, "SHORT_DATE_FORMAT")


def occurrence_label(occurrence) -> str:
    """What a page, an export, the API or a reminder shows for an occurrence's period.

    Computed at display time from `period_start`/`period_end`, in the reader's language; the
    stored `Occurrence.label` (Vietnamese, written once when the occurrence was planned) is not
    read. The span alone names the period — a recurring task's occurrences span exactly its
    `Task.period`, a one-off task's span is the period its deadline names — so no query for the
    task is needed, and a list of occurrences costs nothing extra.
    """
    return span_label(occurrence.period_start, occurrence.period_end)


def periods(
    period: str, start: datetime.date, until: datetime.date
) -> Iterator[tuple[str, datetime.date, datetime.date]]:
    """(label, first day, last day) of every period from the one holding `start` that begins
    on or before `until`."""
    begin = period_start(period, start)
    while begin <= until:
        yield stored_period_label(period, begin), begin, period_end(period, begin)
        begin = _add_months(begin, MONTHS_IN[period])


# --- parsing ---------------------------------------------------------------------------------

_SEP = r"\s*[/\-.]\s*"
_YEAR_SEP = r"(?:\s*[/\-]\s*|\s+nam\s+)"
_DATE = re.compile(rf"(?:ngay\s*)?(\d{{1,2}}){_SEP}(\d{{1,2}})(?:{_SEP}(\d{{4}}))?")
_DATE_WORDS = re.compile(r"(?:ngay\s*)?(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?")
_MONTH = re.compile(
    rf"(?:thang\s+(\d{{1,2}})(?:{_YEAR_SEP}(\d{{4}}))?|(\d{{1,2}})\s*/\s*(\d{{4}}))"
)
_QUARTER = re.compile(rf"quy\s+(iv|i{{1,3}}|[1-4])(?:{_YEAR_SEP}(\d{{4}}))?")
_HALF = re.compile(r"(?:6\s+thang|nua)\s+(dau|cuoi)\s+nam(?:\s+(\d{4}))?")
_YEAR = re.compile(r"(?:(?:cuoi\s+)?nam\s+)?(\d{4})")
_PREFIX = re.compile(
    r"^(?:ngay\s+trong|ngay\s+tu|trong|truoc|cham\s+nhat(?:\s+la)?|han|thoi\s+han|"
    r"hoan\s+thanh|xong|den\s+het|den|vao)\s+"
)
_EVERY = (
    r"(?:(?:hang|moi)\s+(nam|quy|thang)|(?:hang\s+|moi\s+|dinh\s+ky\s+)?(6\s+thang)"
    r"(?:\s+(?:mot\s+lan|/\s*lan|1\s+lan))?|(?:dinh\s+ky\s+)?(hang\s+nua\s+nam))"
)
_RECURRING = re.compile(rf"(?:dinh\s+ky\s+)?{_EVERY}(?:\s+tu\s+(.+?))?(?:\s+den\s+(.+))?")
_CONTINUOUS = re.compile(rf"thuong\s+xuyen(?:\s+(?:bao\s+cao|so\s+ket|danh\s+gia)\s+{_EVERY})?")
_EVERY_PERIOD = {
    "nam": Period.YEARLY,
    "quy": Period.QUARTERLY,
    "thang": Period.MONTHLY,
}


def _refuse(text: str) -> InvalidDeadline:
    return InvalidDeadline(
        _(
            "Không đọc được thời hạn “%(text)s”. Ví dụ cách ghi: 31/12/2021, tháng 12/2021, "
            "quý I/2022, 6 tháng đầu năm 2022, năm 2022, hằng năm từ 2022, hằng quý, "
            "thường xuyên, báo cáo hằng quý."
        )
        % {"text": text}
    )


def _out_of_range(text: str) -> InvalidDeadline:
    first, last = bounds()
    return InvalidDeadline(
        _("Thời hạn “%(text)s” nằm ngoài khoảng cho phép (từ %(min)s đến %(max)s).")
        % {"text": text, "min": f"{first:%d/%m/%Y}", "max": f"{last:%d/%m/%Y}"}
    )


def _year(value: str | None, default_year: int | None, text: str) -> int:
    if value:
        year = int(value)
        first, last = bounds()
        if not first.year <= year <= last.year:  # also keeps year 0 from the calendar
            raise _out_of_range(text)
        return year
    if default_year is None:
        raise InvalidDeadline(_("Thời hạn “%(text)s” thiếu năm: hãy ghi rõ năm.") % {"text": text})
    return default_year


def _make_date(year: int, month: int, day: int, text: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise InvalidDeadline(
            _("Ngày “%(text)s” không tồn tại trong lịch.") % {"text": text}
        ) from None


def _period_expr(
    s: str, default_year: int | None, text: str
) -> tuple[datetime.date | None, datetime.date] | None:
    """(start of the written period or None for a plain date, last day) or None if unread."""
    for pattern in (_DATE_WORDS, _DATE):
        m = pattern.fullmatch(s)
        if m:
            day, month = int(m[1]), int(m[2])
            return None, _make_date(_year(m[3], default_year, text), month, day, text)
    m = _MONTH.fullmatch(s)
    if m:
        month = int(m[1] or m[3])
        if not 1 <= month <= 12:
            raise InvalidDeadline(_("Tháng “%(text)s” không hợp lệ.") % {"text": text})
        year = _year(m[2] or m[4], default_year, text)
        return datetime.date(year, month, 1), _month_end(year, month)
    m = _QUARTER.fullmatch(s)
    if m:
        q = ROMAN.get(m[1]) or int(m[1])
        start = datetime.date(_year(m[2], default_year, text), 3 * q - 2, 1)
        return start, period_end(Period.QUARTERLY, start)
    m = _HALF.fullmatch(s)
    if m:
        start = datetime.date(_year(m[2], default_year, text), 1 if m[1] == "dau" else 7, 1)
        return start, period_end(Period.HALF_YEARLY, start)
    m = _YEAR.fullmatch(s)
    if m:
        year = _year(m[1], None, text)
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return None


def _every(m: re.Match) -> str:
    if m[1]:
        return _EVERY_PERIOD[m[1]]
    return Period.HALF_YEARLY


def _normalise(text: str) -> str:
    s = fold(text).replace(",", " ").replace(";", " ").replace(":", " ")
    s = re.sub(r"\s+", " ", s).strip().rstrip(".").strip()
    # "Quý I/2022" reads as "quy i/2022"; "năm" stays "nam" for the year patterns.
    previous = None
    while previous != s:
        previous = s
        s = _PREFIX.sub("", s)
    return s


def parse_deadline(text: str, *, default_year: int | None = None) -> Deadline:
    """Read a deadline written as the documents write it. Raises InvalidDeadline, also for a
    date outside `core.dates.bounds()`."""
    deadline = _parse_deadline(text, default_year=default_year)
    first, last = bounds()
    for day in (deadline.due, deadline.starts_on, deadline.ends_on):
        if day is not None and not first <= day <= last:
            raise _out_of_range(deadline.text)
    return deadline


def _parse_deadline(text: str, *, default_year: int | None = None) -> Deadline:
    original = (text or "").strip()
    if not original:
        raise InvalidDeadline(_("Thời hạn là bắt buộc."))
    s = _normalise(original)

    m = _CONTINUOUS.fullmatch(s)
    if m:
        period = _every(m) if (m[1] or m[2] or m[3]) else DEFAULT_CONTINUOUS_PERIOD
        return Deadline(CONTINUOUS, None, period, None, None, original)

    m = _RECURRING.fullmatch(s)
    if m:
        starts_on = ends_on = None
        if m[4]:
            start = _period_expr(_normalise(m[4]), default_year, original)
            if start is None:
                raise _refuse(original)
            starts_on = start[0] or start[1]
        if m[5]:
            end = _period_expr(_normalise(m[5]), default_year, original)
            if end is None:
                raise _refuse(original)
            ends_on = end[1]
            if starts_on and ends_on < starts_on:
                raise InvalidDeadline(
                    _("Thời hạn “%(text)s” kết thúc trước khi bắt đầu.") % {"text": original}
                )
        return Deadline(RECURRING, None, _every(m), starts_on, ends_on, original)

    found = _period_expr(s, default_year, original)
    if found is None:
        raise _refuse(original)
    start, due = found
    return Deadline(DATE, due, None, start, None, original)


def one_off_label(deadline: Deadline) -> str:
    """The stored label of a one-off task's single occurrence: its period or its date."""
    due = deadline.due
    with translation.override(settings.LANGUAGE_CODE):
        return span_label(deadline.starts_on or due, due)


def occurrence_plan(
    deadline: Deadline, *, start: datetime.date, horizon: datetime.date
) -> list[tuple[str, datetime.date, datetime.date, datetime.date]]:
    """(label, period_start, period_end, due) for each occurrence of a task with `deadline`.

    One-off: one occurrence. Recurring and continuous: one per period from `deadline.starts_on`
    (or `start`, the plan's date, when the text names none) up to `horizon` and `ends_on`;
    each is due on its period's last day.
    """
    if deadline.kind == DATE:
        begin = deadline.starts_on or deadline.due
        return [(one_off_label(deadline), begin, deadline.due, deadline.due)]
    first = deadline.starts_on or start
    until = min(horizon, deadline.ends_on) if deadline.ends_on else horizon
    return [(label, b, e, e) for label, b, e in periods(deadline.period, first, until)]
