"""Reads of the tree: children (today or as of a date), search, ancestry. All scoped."""

import datetime

from django.db.models import Exists, OuterRef, Q

from trienkhai.accounts.scope import unit_scope
from trienkhai.core.text import search_terms
from trienkhai.units.models import Unit, UnitState
from trienkhai.units.paths import ancestor_paths


def visible_units(user, role: str = "viewer"):
    return Unit.objects.filter(unit_scope(user, "", role))


def get_visible_unit(user, pk: int) -> Unit | None:
    return visible_units(user).filter(pk=pk).first()


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
