"""Cards other apps add under the tracking dashboard's figures.

An app above tracking registers a `Panel` at the point `tracking.dashboard_panels` of
`core.registry` in its `AppConfig.ready()`; the dashboard shows them in `order`, each rendered by
its template with its data as `panel` (and under `name`, for templates that use it).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from trienkhai.core import registry


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    name: str
    build: Callable  # build(user, unit, as_of) -> the data the template shows


def panels(user, unit, as_of: datetime.date) -> list[dict]:
    entries = registry.entries("tracking.dashboard_panels")
    shown = sorted((entry for _name, entry in entries), key=lambda p: p.order)
    return [
        {"template": p.template, "panel": p.build(user, unit, as_of), "name": p.name} for p in shown
    ]
