"""Warnings raised against an organisation proposed for the top rating, from other apps' records.

Each provider answers for many organisations at once: `provider(unit_ids, year, as_of)` returns
`{unit_id: [Flag, ...]}` for the organisations it has something to say about. Apps register their
providers at start-up (`AppConfig.ready`), so evaluations does not import them.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Flag:
    kind: str  # "overdue_tasks", "open_remediation", "violations", ...
    text: str  # translated sentence for the screen, e.g. "3 nhiệm vụ quá hạn"
    url: str  # the evidence: a page listing the records behind the flag
    count: int = 1


Provider = Callable[[list[int], int, datetime.date], dict[int, list[Flag]]]
_providers: dict[str, Provider] = {}


def register(kind: str):
    def wrap(fn: Provider) -> Provider:
        _providers[kind] = fn
        return fn

    return wrap


def unregister(kind: str) -> None:
    """Forget a provider (tests register fakes and remove them afterwards)."""
    _providers.pop(kind, None)


def registered() -> list[str]:
    return sorted(_providers)


def flags_for(unit_ids: Iterable[int], year: int, as_of: datetime.date) -> dict[int, list[Flag]]:
    ids = list(unit_ids)
    out: dict[int, list[Flag]] = {}
    for kind in sorted(_providers):
        for unit_id, flags in _providers[kind](ids, year, as_of).items():
            out.setdefault(unit_id, []).extend(flags)
    return out
