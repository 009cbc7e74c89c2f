"""How indicators follow the tree.

A subtree that moves rewrites the unit paths copied onto its targets and values, in the same
transaction as the units. The roll-up rows (`Rollup`) are keyed by unit, not by path, but their
totals count the old ancestors: after a move, `actions.rebuild_rollups` recomputes a set's (not
done automatically yet). A unit that closes keeps its targets and values: they are its history.
"""

from django.db.models import Value as Text
from django.db.models.functions import Concat, Substr

from trienkhai.indicators.models import Target, Value
from trienkhai.tree.paths import UPPER


def rewrite_paths(old_path: str, new_path: str) -> int:
    moved = 0
    for model in (Target, Value):
        moved += model.objects.filter(
            unit_path__gte=old_path, unit_path__lt=old_path + UPPER
        ).update(unit_path=Concat(Text(new_path), Substr("unit_path", len(old_path) + 1)))
    return moved
