"""The remediation panel of the tracking dashboard: one unit's subtree, both sides, as of a date.

`panel(user, unit, as_of)` is what templates/inspections/_panel.html renders; the dashboard
includes it with `{% include "inspections/_panel.html" with panel=... %}`.
"""

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from trienkhai.inspections import queries


def _url(side: str, unit, as_of: datetime.date, status: str) -> str:
    query = {"side": side, "unit": unit.pk, "status": status, "as_of": as_of.strftime("%d/%m/%Y")}
    return reverse("inspections-requests") + "?" + urlencode(query)


def panel(user, unit, as_of: datetime.date) -> dict:
    counts = queries.subtree_counts(user, unit, as_of)
    oldest = list(queries.oldest_overdue(user, unit, as_of))
    for req in oldest:
        req.days_overdue = (as_of - req.deadline).days
    return {
        "unit": unit,
        "as_of": as_of,
        "owned_open": counts["owned"].open,
        "owned_overdue": counts["owned"].overdue,
        "issued_open": counts["issued"].open,
        "issued_overdue": counts["issued"].overdue,
        "oldest_overdue": oldest,
        "owned_url": _url("owner", unit, as_of, "pending"),
        "owned_overdue_url": _url("owner", unit, as_of, "overdue"),
        "issued_url": _url("issued", unit, as_of, "pending"),
        "issued_overdue_url": _url("issued", unit, as_of, "overdue"),
    }
