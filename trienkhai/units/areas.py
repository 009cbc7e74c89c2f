"""Which areas of data a write touches and a reader depends on, for the panel cache
(`core.versions`).

The areas are the provinces' subtrees ("p:" and the province's path) and "g", everything else:
the root, the central party organisations and committees directly under it, and writes that
name no unit. A province reaches only its own subtree and what comes from above it, so a
province's users read "g" and their provinces; a write in one province leaves the other
provinces' panels alone. Anyone who reaches beyond the provinces (the centre, a superuser)
reads `versions.EVERYTHING`, which every write touches. Reorganisations (moving a commune from
one province to another changes both) and writes without a unit touch "g", which every reader
reads.
"""

from django.db.models.functions import Substr
from django.utils import translation

from trienkhai.accounts.scope import grants_of
from trienkhai.core import versions
from trienkhai.tree.kinds import UnitKind
from trienkhai.tree.paths import SEGMENT_WIDTH
from trienkhai.units.models import Unit

TOP_LEN = 2 * SEGMENT_WIDTH  # the root's segment and one child's
GLOBAL = "g"
_province_tops: dict[str, bool] = {}  # a top unit's kind does not change; kept per process


def _is_province(top: str) -> bool:
    known = _province_tops.get(top)
    if known is None:
        known = Unit.objects.filter(path=top, kind=UnitKind.PROVINCE).exists()
        _province_tops[top] = known
    return known


def area_of(path: str | None) -> str:
    if not path or len(path) < TOP_LEN:
        return GLOBAL
    top = path[:TOP_LEN]
    return f"p:{top}" if _is_province(top) else GLOBAL


def of_paths(paths) -> set[str]:
    return {area_of(p) for p in set(paths)}


def touch_units(unit_ids) -> None:
    """The write touched rows of these units (None: of no unit)."""
    ids = {i for i in unit_ids if i is not None}
    areas = {GLOBAL} if len(ids) < len(list(unit_ids)) else set()
    if ids:
        tops = (
            Unit.objects.filter(pk__in=ids)
            .annotate(top=Substr("path", 1, TOP_LEN))
            .values_list("top", flat=True)
            .order_by()
            .distinct()
        )
        areas |= of_paths(tops)
    versions.touch(areas)


def recorded(entries) -> None:
    """The `core.recorded` listener: every logged write touches the areas of its units."""
    if not entries:
        return
    if any(e.action.startswith(("units.", "reorganisation.")) for e in entries):
        versions.touch({GLOBAL})
        return
    ids = [e.unit_id for e in entries]
    for start in range(0, len(ids), 900):
        touch_units(ids[start : start + 900])


def of_user(user) -> list[str]:
    """The areas whose writes can change what `user` sees."""
    if user.is_superuser:
        return [versions.EVERYTHING]
    areas = {GLOBAL}
    for grant in grants_of(user):
        area = area_of(grant.unit.path)
        if area == GLOBAL:
            return [versions.EVERYTHING]
        areas.add(area)
    return sorted(areas)


def cached_for(user, name: str, parts: tuple, compute):
    """A panel of `user`, kept until a write touches what they reach (`core.versions.cached`).
    The key holds the user, their grants and the language besides `parts`."""
    grants = tuple(
        sorted((g.role, g.unit_id, g.include_subtree, g.clearance) for g in grants_of(user))
    )
    key = (user.pk, user.is_superuser, grants, translation.get_language(), parts)
    return versions.cached(name, key, of_user(user), compute)
