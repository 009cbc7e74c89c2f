"""The shape of one line of a person's work list ("Việc cần làm"), which every app fills.

Each app registers at `home.todo` a provider `provider(user, today) -> list[Todo]` (in its
`AppConfig.ready()`); the home page asks them all and groups the lines by urgency. A provider
returns at most a few lines of each kind and, when there are more, one line that counts the
rest and links to the full list: the home stays a page, not an export.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Window
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class Urgency:
    OVERDUE = "overdue"  # past its date
    NOW = "now"  # returned to fix, a question to answer: someone waits on us
    WAITING = "waiting"  # others' work waiting for my decision
    SOON = "soon"  # due within the week
    LATER = "later"  # open, not yet pressing

    ORDER = (OVERDUE, NOW, WAITING, SOON, LATER)
    LABELS = {
        OVERDUE: _("Quá hạn"),
        NOW: _("Cần xử lý ngay"),
        WAITING: _("Chờ tôi xử lý"),
        SOON: _("Đến hạn trong 7 ngày"),
        LATER: _("Việc khác đang mở"),
    }


@dataclass
class Todo:
    urgency: str
    kind: str  # what sort of work, in words ("Báo cáo tiến độ", "Duyệt báo cáo" …)
    title: str
    url: str
    unit: str = ""
    due: datetime.date | None = None
    detail: str = ""
    count: int = 1  # >1: a line that stands for that many items behind its link
    at_risk: bool = False


# Shared by the providers: how many lines of one kind, and what "soon" means.
SHOWN = 5
SOON_DAYS = 7


def by_due(due: datetime.date | None, today: datetime.date, undated: str = Urgency.NOW) -> str:
    """The urgency of work due on `due`: past it, within the week, or later (`undated` when
    the record sets no date)."""
    if due is None:
        return undated
    if due < today:
        return Urgency.OVERDUE
    if due <= today + datetime.timedelta(days=SOON_DAYS):
        return Urgency.SOON
    return Urgency.LATER


def more(urgency: str, kind, n: int, url: str) -> Todo:
    """The line that stands for `n` more items of one kind, linking to their full list."""
    return Todo(
        urgency,
        kind,
        ngettext("Còn %(n)s việc nữa", "Còn %(n)s việc nữa", n) % {"n": n},
        url,
        count=n,
    )


def head(qs) -> tuple[list, int]:
    """The first SHOWN + 1 rows of `qs` and how many it holds in all, in one query (the window
    count is taken before the limit), so the home's queries do not grow with the work."""
    rows = list(qs.annotate(todo_total=Window(Count("pk")))[: SHOWN + 1])
    return rows, (rows[0].todo_total if rows else 0)


def lines(qs, make, kind, full_list: str) -> list[Todo]:
    """At most SHOWN lines made by `make(row)` from `qs`, then one line counting the rest that
    links to `full_list` (as urgent as the first row left out: `qs` is ordered by urgency)."""
    rows, total = head(qs)
    out = [make(r) for r in rows[:SHOWN]]
    if total > SHOWN:
        out.append(more(make(rows[SHOWN]).urgency, kind, total - SHOWN, full_list))
    return out
