"""The warning this app raises itself: an organisation's tracked tasks left overdue.

Registered as "overdue_tasks" in `flags` (see apps.py). Statuses come only from
`tracking.status.status_q`; the evidence link opens the tracking dashboard on that unit as of the
same date, whose overdue list names the tasks.
"""

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import ngettext

from trienkhai.evaluations.flags import Flag
from trienkhai.tracking.models import Assignment
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
