"""The indicators' cards on other pages: the tracking dashboard (a unit's current sets with how
many indicators are red, orange, green) and a unit's page (each indicator's colour there)."""

import datetime

from trienkhai.indicators import queries, risk


def _overview(user, unit, as_of: datetime.date) -> dict | None:
    sets = queries.unit_overview(user, unit, as_of)
    if not sets:
        return None
    return {"unit": unit, "as_of": as_of, "sets": sets, "labels": risk.LABELS, "rule": risk.RULE}


def panel(user, unit, as_of: datetime.date) -> dict:
    return _overview(user, unit, as_of) or {"unit": unit, "as_of": as_of, "sets": []}


def unit_page(user, unit, today: datetime.date) -> dict | None:
    shown = _overview(user, unit, today)
    if shown is None:
        return None
    return {"template": "indicators/_unit_panel.html", "panel": shown}
