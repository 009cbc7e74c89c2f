"""The one scoping function: which units a user reaches, as a SQL condition.

A user's grants collapse to a minimal set of subtree roots (a root inside another root's subtree
adds nothing). Each root becomes a range condition on the materialised path, so every list,
detail, search, export and API response filters in the database, never with Python id lists.
"""

from dataclasses import dataclass

from django.db.models import Q

from trienkhai.accounts.models import Clearance, Grant
from trienkhai.accounts.roles import roles_granting
from trienkhai.tree.paths import UPPER, ancestor_paths

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Reach:
    """One collapsed grant: a unit path, whether its subtree is included, and its clearance."""

    unit_id: int
    path: str
    subtree: bool
    clearance: int


def _grants(user) -> list[Grant]:
    """The user's grants with their units, read once per user object (one request)."""
    cache = getattr(user, "_trienkhai_grants", None)
    if cache is None:
        cache = list(Grant.objects.filter(user=user).select_related("unit"))
        user._trienkhai_grants = cache
    return cache


def grants_of(user) -> list[Grant]:
    return _grants(user)


def reaches(user, role: str = "viewer") -> list[Reach]:
    """Minimal reach of `user` for `role`, clearance kept as the highest covering grant's."""
    if not getattr(user, "is_authenticated", False):
        return []
    allowed = roles_granting(role)
    grants = [g for g in _grants(user) if g.role in allowed]
    grants.sort(key=lambda g: (g.unit.path, not g.include_subtree))
    kept: list[Reach] = []
    for g in grants:
        path = g.unit.path
        cover = next((r for r in kept if r.subtree and path.startswith(r.path)), None)
        if cover is not None and cover.clearance >= g.clearance:
            continue
        if cover is None:
            same = next((r for r in kept if not r.subtree and r.unit_id == g.unit_id), None)
            if same is not None and not g.include_subtree:
                if g.clearance > same.clearance:
                    kept[kept.index(same)] = Reach(g.unit_id, path, False, g.clearance)
                continue
        kept.append(Reach(g.unit_id, path, g.include_subtree, g.clearance))
    return kept


def granted_units(user, *roles: str) -> list[int]:
    """The ids of the units on which the user holds a grant allowing one of `roles` — the unit
    itself, not its subtree: the work of a unit's own people (its self-report, its ratings).

    Read from the grants loaded for the request (a handful of rows), so a query filters on a
    few literal ids and the database starts from them, instead of planning a subquery of the
    grants against every row it might join."""
    if not getattr(user, "is_authenticated", False):
        return []
    allowed = set().union(*(roles_granting(r) for r in roles))
    return sorted({g.unit_id for g in _grants(user) if g.role in allowed})


def holds(user, *roles: str) -> bool:
    """Whether any of the user's grants allows one of `roles` (on any unit).

    Read from the grants already loaded for the request: a part of a page that only serves a
    role (the inspecting side's work list, the deciding level's ratings) asks this first, so a
    person without that role pays no query for it."""
    if not getattr(user, "is_authenticated", False):
        return False
    allowed = set().union(*(roles_granting(r) for r in roles))
    return any(g.role in allowed for g in _grants(user))


def is_global(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


def _unit_condition(reach: Reach, prefix: str) -> Q:
    path_field = f"{prefix}__path" if prefix else "path"
    if reach.subtree:
        return Q(**{f"{path_field}__gte": reach.path, f"{path_field}__lt": reach.path + UPPER})
    return Q(**{f"{prefix}_id" if prefix else "pk": reach.unit_id})


def unit_scope(user, prefix: str = "unit", role: str = "viewer") -> Q:
    """Condition on the units `user` reaches for `role`.

    `prefix` is the lookup from the queried model to its unit ("" when querying Unit itself,
    "unit" for records with a `unit` foreign key, "issuing_unit" for documents, …).
    """
    if is_global(user):
        return Q()
    condition = NOTHING
    for reach in reaches(user, role):
        condition |= _unit_condition(reach, prefix)
    return condition


def ancestors_condition(user, prefix: str, role: str = "viewer") -> Q:
    """Condition on the ancestors of the user's roots and their support bodies.

    Directives come from above: a province user reads what the centre and its commissions issue
    for it, but nothing that a sibling province issues.
    """
    if is_global(user):
        return Q()
    paths: set[str] = set()
    for reach in reaches(user, role):
        paths.update(ancestor_paths(reach.path))
    if not paths:
        return NOTHING
    from trienkhai.tree.kinds import SUPPORT_KINDS

    return Q(**{f"{prefix}__path__in": sorted(paths)}) | Q(
        **{
            f"{prefix}__parent__path__in": sorted(paths),
            f"{prefix}__kind__in": sorted(SUPPORT_KINDS),
        }
    )


def known_units_condition(user, prefix: str = "") -> Q:
    """Condition on the units whose names `user` may read anywhere: the reach, its ancestors
    and their support bodies (`prefix`: the lookup to the unit, "" on Unit itself)."""
    if is_global(user):
        return Q()
    lead = f"{prefix}__" if prefix else ""
    condition = unit_scope(user, prefix)
    paths = sorted({p for r in reaches(user) for p in ancestor_paths(r.path)})
    if paths:
        from trienkhai.tree.kinds import SUPPORT_KINDS

        condition |= Q(**{f"{lead}path__in": paths}) | Q(
            **{f"{lead}parent__path__in": paths, f"{lead}kind__in": sorted(SUPPORT_KINDS)}
        )
    return condition


def reaches_unit(user, unit, role: str = "viewer") -> bool:
    """Whether `unit` is inside the user's reach for `role` (for permission checks on writes)."""
    if is_global(user):
        return True
    return any(
        (r.subtree and unit.path.startswith(r.path)) or r.unit_id == unit.pk
        for r in reaches(user, role)
    )


def reaches_subtree(user, unit, role: str = "viewer") -> bool:
    """Whether the user reaches `unit` and all below it (so a subtree total hides nothing)."""
    if is_global(user):
        return True
    return any(r.subtree and unit.path.startswith(r.path) for r in reaches(user, role))


def max_clearance(user) -> int:
    if is_global(user):
        return Clearance.TOP_SECRET
    return max((r.clearance for r in reaches(user)), default=Clearance.NONE)


def document_access(user, prefix: str = "") -> tuple[Q, Q]:
    """(visible, readable) conditions on documents, `prefix` leading from the queried model.

    Visible: issued inside a reach, or from above it (an ancestor or an ancestor's support body).
    Readable: visible through a reach whose clearance covers the document's classification; a
    visible but unreadable document shows only that a classified document exists.
    """
    unit = f"{prefix}__issuing_unit" if prefix else "issuing_unit"
    classification = f"{prefix}__classification" if prefix else "classification"
    if is_global(user):
        return Q(), Q()
    from trienkhai.tree.kinds import SUPPORT_KINDS

    visible, readable = NOTHING, NOTHING
    for reach in reaches(user):
        above = ancestor_paths(reach.path)
        cond = _unit_condition(reach, unit)
        if above:
            cond |= Q(**{f"{unit}__path__in": above}) | Q(
                **{f"{unit}__parent__path__in": above, f"{unit}__kind__in": sorted(SUPPORT_KINDS)}
            )
        visible |= cond
        readable |= cond & Q(**{f"{classification}__lte": reach.clearance})
    return visible, readable


def path_scope(user, field: str = "unit_path", role: str = "viewer", unit_field: str = "unit") -> Q:
    """Condition on a path copied onto a fact row (e.g. `Assignment.unit_path`).

    The same minimal roots as `unit_scope`, read without a join: a subtree grant is a range on
    the copied path; an exact grant matches only that unit, so it compares the unit id column
    (a path equality would be right too, but the id cannot go stale).
    """
    if is_global(user):
        return Q()
    condition = NOTHING
    for reach in reaches(user, role):
        if reach.subtree:
            condition |= Q(**{f"{field}__gte": reach.path, f"{field}__lt": reach.path + UPPER})
        else:
            condition |= Q(**{f"{unit_field}_id": reach.unit_id})
    return condition


def _covers(grant: Grant, unit, subtree: bool) -> bool:
    """Whether one grant covers `unit` (and, with `subtree`, everything below it)."""
    if grant.include_subtree and unit.path.startswith(grant.unit.path):
        return True
    return not subtree and grant.unit_id == unit.pk


def administers(user, unit, subtree: bool) -> bool:
    """Whether the user's administrator grants cover `unit` (and its subtree, with `subtree`).

    Stricter than `reaches_unit`: an administrator of one exact unit administers that unit, not
    the units below it.
    """
    if is_global(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    allowed = roles_granting("administrator")
    return any(g.role in allowed and _covers(g, unit, subtree) for g in _grants(user))


def clearance_at(user, unit, subtree: bool) -> int:
    """The clearance the user holds at `unit` (over all of its subtree, with `subtree`).

    Only grants that cover the whole of what is asked count: a high clearance on one office does
    not make its holder cleared over the province around it.
    """
    if is_global(user):
        return Clearance.TOP_SECRET
    if not getattr(user, "is_authenticated", False):
        return Clearance.NONE
    return max(
        (g.clearance for g in _grants(user) if _covers(g, unit, subtree)), default=Clearance.NONE
    )
