"""The conferences panel of the tracking dashboard: what the subtree of a unit has held.

`panel(user, unit, as_of)` returns the figures (scoped in SQL like every read) and the template
`conferences/_panel.html` renders them; include it as
`{% include "conferences/_panel.html" with panel=conferences_panel %}`.
"""

import datetime

from trienkhai.conferences import queries
from trienkhai.conferences.timing import Timing


def panel(user, unit, as_of: datetime.date) -> dict:
    row = queries.coverage(user, unit=unit, as_of=as_of)
    return {
        "unit": unit,
        "as_of": as_of,
        "conferences": row.conferences,
        "held": row.held,
        "on_time": row.on_time,
        "late": row.late,
        "no_deadline": row.no_deadline,
        "points": row.points,
        "attendees": row.attendees,
        "text": queries.coverage_text(row),
        "labels": Timing.LABELS,
    }
