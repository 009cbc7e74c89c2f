"""Which areas of data a write touches and a reader depends on, for the panel cache
(`core.versions`).

A province's morning is thousands of commune staff writing at once; if every write in the
province renewed every panel in it, nobody's panel would survive long enough to be read again.
So the areas follow who can act on whose records:
- "c:<path>": a commune-level area, the subtree of one unit directly under a province that
  holds units of its own (a commune, ward or special zone, a former district, a grassroots
  organisation reporting to the province). What happens inside it is written by its own people
  or, from outside, by the province: nobody in a sibling commune acts on it.
- "pl:<path>": the province's own level: the province unit, and the offices, commissions and
  delegations directly under it (which act for the province on every commune: inspections,
  requests, plans, reviews happen at the province).
- "p:<path>": the province's whole subtree (every write in it).
- "g": everything outside the provinces (the root, the central party organisations and their
  organs), writes that name no unit, and reorganisations (a commune moved from one province to
  another changes both).

A write touches its commune-level area or its province's level, its province, and
`versions.EVERYTHING`. A reader in a commune-level area reads that area, its province's level
and "g"; a reader at the province's level (or in its offices) reads the whole province and
"g"; a reader beyond the provinces (the centre, a superuser) reads everything.
"""

from django.db.models.functions import Substr
from django.utils import translation

from trienkhai.accounts.scope import grants_of
from trienkhai.core import versions
from trienkhai.tree.kinds import COMMUNE_LEVEL, UnitKind
from trienkhai.tree.paths import SEGMENT_WIDTH
from trienkhai.units.models import Unit

TOP_LEN = 2 * SEGMENT_WIDTH  # the root's segment and a province's
AREA_LEN = 3 * SEGMENT_WIDTH  # and a unit directly under the province
GLOBAL = "g"
# Units directly under a province whose subtree is an area of its own.
AREA_KINDS = COMMUNE_LEVEL | {UnitKind.DISTRICT, UnitKind.GRASSROOTS}
_kinds: dict[str, str] = {}  # a unit's kind by path: neither changes; kept per process


def _kind_at(path: str) -> str | None:
    kind = _kinds.get(path)
    if kind is None:
        kind = Unit.objects.filter(path=path).values_list("kind", flat=True).first()
        if kind is not None:  # a path without a unit may get one later
            _kinds[path] = kind
    return kind


def _commune_area(path: str) -> str | None:
    """The commune-level area of a unit under a province, or None if it is at the province's
    own level."""
    if len(path) < AREA_LEN:
        return None
    head = path[:AREA_LEN]
    return f"c:{head}" if _kind_at(head) in AREA_KINDS else None


def _province(path: str | None) -> str | None:
    if not path or len(path) < TOP_LEN:
        return None
    top = path[:TOP_LEN]
    return top if _kind_at(top) == UnitKind.PROVINCE else None


def written(path: str | None) -> set[str]:
    """The areas a write to rows of the unit at `path` touches."""
    top = _province(path)
    if top is None:
        return {GLOBAL}
    return {f"p:{top}", _commune_area(path) or f"pl:{top}"}


def read(path: str) -> set[str]:
    """The areas whose writes can change what a grant at `path` shows."""
    top = _province(path)
    if top is None:
        return {versions.EVERYTHING}
    area = _commune_area(path)
    return {GLOBAL, area, f"pl:{top}"} if area else {GLOBAL, f"p:{top}"}


def touch_units(unit_ids) -> None:
    """The write touched rows of these units (None: of no unit)."""
    unit_ids = list(unit_ids)
    ids = {i for i in unit_ids if i is not None}
    areas = {GLOBAL} if len(ids) < len(unit_ids) else set()
    if ids:
        heads = (
            Unit.objects.filter(pk__in=ids)
            .annotate(head=Substr("path", 1, AREA_LEN))
            .values_list("head", flat=True)
            .order_by()
            .distinct()
        )
        for head in heads:
            areas |= written(head)
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
    areas = set()
    for grant in grants_of(user):
        areas |= read(grant.unit.path)
    if versions.EVERYTHING in areas or not areas:
        return [versions.EVERYTHING]
    # A province read whole covers its own level and its communes.
    whole = {a[2:] for a in areas if a.startswith("p:")}
    areas = {a for a in areas if not (a[:3] == "pl:" and a[3:] in whole)}
    areas = {a for a in areas if not (a[:2] == "c:" and a[2 : 2 + TOP_LEN] in whole)}
    return sorted(areas)


def cached_for(user, name: str, parts: tuple, compute, *, shared: bool = False):
    """A panel of `user`, kept until a write touches what they reach (`core.versions.cached`).
    The key holds the user, their grants and the language besides `parts`. `shared`: the panel
    depends on the grants alone, not on who holds them (a dashboard, the roll-up API), so the
    thirty coordinators of one province share one entry."""
    grants = tuple(
        sorted((g.role, g.unit_id, g.include_subtree, g.clearance) for g in grants_of(user))
    )
    who = None if shared else user.pk
    key = (who, user.is_superuser, grants, translation.get_language(), parts)
    return versions.cached(name, key, of_user(user), compute)
