"""The warning this app raises itself: an organisation's tracked tasks left overdue.

Registered as "overdue_tasks" in `flags` (see apps.py). Statuses come only from
`tracking.status.status_q`; the evidence link opens the tracking dashboard on that unit as of the
same date, whose overdue list names the tasks.
"""

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trienkhai.evaluations.flags import Flag
from trienkhai.tracking.models import Assignment
from trienkhai.tracking.queries import explanation_counts_of_units
from trienkhai.tracking.status import Status, status_q


def overdue_tasks(unit_ids: list[int], year: int, as_of: datetime.date) -> dict[int, list[Flag]]:
    """Assignments of each organisation itself that are overdue (not done) as of `as_of`."""
    if not unit_ids:
        return {}
    rows = (
        Assignment.objects.filter(unit_id__in=unit_ids)
        .filter(status_q(Status.OVERDUE, as_of))
        .values("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    base = reverse("tracking-dashboard")
    when = as_of.strftime("%d/%m/%Y")
    out = {}
    for row in rows:
        n = row["n"]
        text = ngettext(
            "%(n)s nhiệm vụ quá hạn chưa hoàn thành tại ngày %(date)s",
            "%(n)s nhiệm vụ quá hạn chưa hoàn thành tại ngày %(date)s",
            n,
        ) % {"n": n, "date": when}
        url = f"{base}?unit={row['unit_id']}&as_of={when}#overdue"
        out[row["unit_id"]] = [Flag("overdue_tasks", text, url, n)]
    return out


def explanations(unit_ids: list[int], year: int, as_of: datetime.date) -> dict[int, list[Flag]]:
    """Explanations asked of each organisation in `year` that it answered after the day set,
    or has not answered past it (`tracking.queries.explanation_counts_of_units`); the evidence
    link opens the unit's page, whose record lists the counts."""
    if not unit_ids:
        return {}
    counts = explanation_counts_of_units(
        unit_ids, as_of=as_of, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)
    )
    out = {}
    for unit_id, x in counts.items():
        n = x.answered_late + x.overdue
        if not n:
            continue
        text = _(
            "Giải trình năm %(year)s: %(late)s giải trình sau hạn, %(overdue)s quá hạn chưa "
            "giải trình (trên %(requested)s yêu cầu)"
        ) % {"year": year, "late": x.answered_late, "overdue": x.overdue, "requested": x.requested}
        url = reverse("unit-detail", args=[unit_id]) + "#explanations"
        out[unit_id] = [Flag("explanations", text, url, n)]
    return out
