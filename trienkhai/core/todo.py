"""The shape of one line of a person's work list ("Việc cần làm"), which every app fills.

Each app registers at `home.todo` a provider `provider(user, today) -> list[Todo]` (in its
`AppConfig.ready()`); the home page asks them all and groups the lines by urgency. A provider
returns at most a few lines of each kind and, when there are more, one line that counts the
rest and links to the full list: the home stays a page, not an export.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


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
