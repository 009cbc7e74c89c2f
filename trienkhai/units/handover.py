"""Open work of a closing unit moves to its successor; path copies follow a moving subtree.

Apps that hold open work (tasks, remediation requests, …) or copy unit paths onto their rows
register handlers at the points `units.handover` and `units.paths_moved` of `core.registry`
(in their `AppConfig.ready()`); a merge, split, dissolution or move calls every handler inside
its own transaction, so nothing is left on a closed unit or under an old path.
"""

from trienkhai.core import registry


def hand_over(actor, predecessor, successor, operation) -> dict[str, int]:
    return {
        label: handler(actor, predecessor, successor, operation)
        for label, handler in registry.entries("units.handover")
    }


def paths_moved(old_path: str, new_path: str) -> dict[str, int]:
    return {
        label: handler(old_path, new_path)
        for label, handler in registry.entries("units.paths_moved")
    }
