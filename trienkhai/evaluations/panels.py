"""The evaluation panel the tracking dashboard includes: the latest period's distribution of
decided levels in a unit's subtree (`panel(...)`, then `{% include "evaluations/_panel.html" %}`
with the dict as `evaluation_panel`)."""

import datetime

from django.urls import reverse

from trienkhai.evaluations import queries
from trienkhai.tree.paths import UPPER


def panel(user, unit, as_of: datetime.date) -> dict:
    """{"period": None} when no period up to `as_of`'s year has evaluations in the subtree."""
    period = queries.latest_period(user, unit, as_of)
    if period is None:
        return {"period": None}
    rows = queries.distribution(user, period, unit)
    top = (
        queries.visible_evaluations(user)
        .filter(period=period, unit__path__gte=unit.path, unit__path__lt=unit.path + UPPER)
        .filter(queries.top_claimed_q())
    )
    flagged = queries.attach_flags(top, min(queries.default_as_of(period), as_of))
    return {
        "period": period,
        "unit": unit,
        "rows": rows,
        "total": queries.distribution_total(rows, queries.deciders_over_cap(user, period, unit)),
        "levels": queries.levels(),
        "flagged": sum(1 for ev in flagged if ev.flags),
        "url": reverse("evaluations-distribution") + f"?period={period.pk}&unit={unit.pk}",
    }
