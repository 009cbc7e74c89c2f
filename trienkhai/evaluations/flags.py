"""Warnings raised against an organisation proposed for the top rating, from other apps' records.

Each provider answers for many organisations at once: `provider(unit_ids, year, as_of)` returns
`{unit_id: [Flag, ...]}` for the organisations it has something to say about. Apps register their
providers at the point `evaluations.flags` of `core.registry` in `AppConfig.ready()`, so
evaluations does not import them.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from trienkhai.core import registry


@dataclass(frozen=True)
class Flag:
    kind: str  # "overdue_tasks", "open_remediation", "violations", ...
    text: str  # translated sentence for the screen, e.g. "3 nhiệm vụ quá hạn"
    url: str  # the evidence: a page listing the records behind the flag
    count: int = 1


Provider = Callable[[list[int], int, datetime.date], dict[int, list[Flag]]]


def flags_for(unit_ids: Iterable[int], year: int, as_of: datetime.date) -> dict[int, list[Flag]]:
    ids = list(unit_ids)
    out: dict[int, list[Flag]] = {}
    for _kind, provider in registry.entries("evaluations.flags"):
        for unit_id, flags in provider(ids, year, as_of).items():
            out.setdefault(unit_id, []).extend(flags)
    return out
