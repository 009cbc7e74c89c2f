"""Reads of the tree: children (today or as of a date), search, ancestry. All scoped."""

import datetime

from django.db.models import Exists, OuterRef, Q

from trienkhai.accounts.scope import is_global, reaches, unit_scope
from trienkhai.core.text import search_terms
from trienkhai.tree.paths import ancestor_paths
from trienkhai.units.models import Unit, UnitImport, UnitState


def visible_units(user, role: str = "viewer"):
    return Unit.objects.filter(unit_scope(user, "", role))


def get_visible_unit(user, pk: int) -> Unit | None:
    return visible_units(user).filter(pk=pk).first()


def visible_unit_by_code(user, code: str, role: str = "viewer") -> Unit | None:
    """The unit with this code if the user reaches it for `role`, else None (never says
    whether a unit outside the reach exists)."""
    code = (code or "").strip()
    return visible_units(user, role).filter(code=code).first() if code else None


def default_unit(user, role: str = "viewer") -> Unit | None:
    """The top of what the user reaches for `role` (their first root by path): the unit a page
    opens on when none is chosen."""
    if is_global(user):
        return Unit.objects.filter(depth=0).order_by("path").first()
    roots = sorted(reaches(user, role), key=lambda r: r.path)
    return Unit.objects.filter(pk=roots[0].unit_id).first() if roots else None


def children(user, parent: Unit | None, *, include_closed: bool = False):
    """Direct children of `parent` (roots of the user's reach when None), with a has-children flag.

    One indexed query per level keeps the lazily loaded tree fast at 300,000 units.
    """
    qs = visible_units(user)
    if parent is None:
        from trienkhai.accounts.scope import is_global, reaches

        if is_global(user):
            qs = qs.filter(depth=0)
        else:
            qs = qs.filter(pk__in=[r.unit_id for r in reaches(user)])
    else:
        qs = qs.filter(parent=parent)
    if not include_closed:
        qs = qs.filter(valid_to__isnull=True)
    sub = Unit.objects.filter(parent=OuterRef("pk"))
    if not include_closed:
        sub = sub.filter(valid_to__isnull=True)
    return qs.annotate(has_children=Exists(sub)).order_by("kind", "name")


def _valid_on(date: datetime.date, prefix: str = "") -> Q:
    p = f"{prefix}__" if prefix else ""
    return Q(**{f"{p}valid_from__lte": date}) & (
        Q(**{f"{p}valid_to__isnull": True}) | Q(**{f"{p}valid_to__gt": date})
    )


def states_as_of(user, date: datetime.date):
    """Unit states valid on `date`, limited to units the user reaches."""
    return UnitState.objects.filter(_valid_on(date)).filter(unit_scope(user, "unit"))


def children_as_of(user, parent: Unit | None, date: datetime.date):
    """The children `parent` had on `date`, as UnitState rows (name and kind as they were)."""
    qs = states_as_of(user, date).select_related("unit")
    qs = qs.filter(parent=parent) if parent is not None else qs.filter(parent__isnull=True)
    sub = UnitState.objects.filter(_valid_on(date), parent=OuterRef("unit"))
    return qs.annotate(has_children=Exists(sub)).order_by("kind", "name")


def state_on(unit: Unit, date: datetime.date) -> UnitState | None:
    return unit.states.filter(_valid_on(date)).first()


def search(user, query: str, *, include_closed: bool = True, limit: int = 50):
    """Units whose name, short name or code contain every folded term of `query`."""
    qs = visible_units(user)
    for term in search_terms(query):
        qs = qs.filter(name_folded__contains=term)
    if not include_closed:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by("depth", "name")[:limit]


def ancestry(unit: Unit):
    """The unit's current ancestors, root first (for breadcrumbs and full paths)."""
    return list(Unit.objects.filter(path__in=ancestor_paths(unit.path)).order_by("path"))


def full_path_name(unit: Unit) -> str:
    return " › ".join([u.name for u in ancestry(unit)] + [unit.name])


def roots_as_of(user, date: datetime.date):
    """The top of the user's tree on `date`: the reach roots (or the tree's roots) as they were."""
    from trienkhai.accounts.scope import is_global, reaches

    if is_global(user):
        return children_as_of(user, None, date)
    qs = states_as_of(user, date).select_related("unit")
    qs = qs.filter(unit_id__in=[r.unit_id for r in reaches(user)])
    sub = UnitState.objects.filter(_valid_on(date), parent=OuterRef("unit"))
    return qs.annotate(has_children=Exists(sub)).order_by("kind", "name")


def full_path_names(units) -> dict[int, str]:
    """Full path ("A › B › C") of each unit, with one query for all their ancestors."""
    units = list(units)
    wanted = {p for u in units for p in ancestor_paths(u.path)}
    names = dict(Unit.objects.filter(path__in=sorted(wanted)).values_list("path", "name"))
    return {
        u.pk: " › ".join([names[p] for p in ancestor_paths(u.path) if p in names] + [u.name])
        for u in units
    }


def reorganisation_links(user, unit: Unit):
    """(predecessor links, successor links) of `unit`; the other side must be visible to `user`.

    A link whose other side is outside the user's reach is left out, so it reveals nothing.
    """
    from trienkhai.units.models import ReorganisationLink

    base = ReorganisationLink.objects.select_related("operation", "predecessor", "successor")
    preds = (
        base.filter(successor=unit)
        .exclude(predecessor=unit)
        .filter(unit_scope(user, "predecessor"))
        .order_by("-operation__date", "-operation_id")
    )
    succ_scope = unit_scope(user, "successor")
    succs = base.filter(predecessor=unit).exclude(successor=unit)
    if succ_scope:  # an empty Q (global reach) would swallow the OR below
        succs = succs.filter(Q(successor__isnull=True) | succ_scope)
    succs = succs.order_by("-operation__date", "-operation_id")
    return list(preds), list(succs)


def open_children(user, unit: Unit):
    """Open direct children of `unit` visible to `user`, in tree order."""
    return visible_units(user).filter(parent=unit, valid_to__isnull=True).order_by("kind", "name")


def recent_imports(user):
    """Unit imports the user may follow: their own (every import for a superuser), newest first."""
    imports = UnitImport.objects.select_related("user").order_by("-created_at", "-pk")
    if is_global(user):
        return imports
    return imports.filter(user_id=user.pk)
