"""The reports' card on a unit's page: the reports asked of the unit, how many it sent on time
or late and how many it still owes (its record, beside its tasks and explanations)."""

import datetime

from django.db.models import Value

from trienkhai.reports import queries


def unit_page(user, unit, today: datetime.date) -> dict | None:
    asked = queries.visible_reports(user).filter(unit=unit, own=False)
    counts = next(iter(queries.progress_counts(asked, Value("all"), today)), None)
    if not counts:
        return None
    progress = queries.Progress(name=unit.name, unit=unit)
    progress.add(queries.Progress(**{k: counts[k] for k in queries.COUNTS}))
    latest = list(asked.select_related("request").order_by("-due", "-id")[:5])
    return {"template": "reports/_unit_panel.html", "panel": {"p": progress, "latest": latest}}
