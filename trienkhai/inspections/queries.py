"""Every read of inspections, scoped in SQL.

An inspection is visible to the users who reach its inspecting unit (or the support body acting
for it) and to those who reach one of its inspected units. The inspecting side sees the whole
inspection; an inspected unit's user sees only its own part (its self-reports, findings,
requests), never another inspected unit's.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from trienkhai.accounts.scope import reaches_subtree, reaches_unit, unit_scope
from trienkhai.core.text import search_terms
from trienkhai.inspections.models import (
    Finding,
    InspectedUnit,
    Inspection,
    Programme,
    Recommendation,
    RemediationRequest,
    RequestState,
    SelfReport,
)
from trienkhai.tree.paths import subtree_q


def any_of(*conditions: Q) -> Q:
    """OR of scope conditions, where an empty Q (a global user) means everything."""
    if any(not c for c in conditions):
        return Q()
    out = conditions[0]
    for c in conditions[1:]:
        out |= c
    return out


def inspecting_q(user, prefix: str = "") -> Q:
    """Condition: the user reaches the inspecting unit or its acting body."""
    p = f"{prefix}__" if prefix else ""
    return any_of(unit_scope(user, f"{p}unit"), unit_scope(user, f"{p}acting_body"))


def visible_programmes(user):
    """Programmes of the units (or acting bodies) the user reaches."""
    return Programme.objects.filter(inspecting_q(user)).select_related(
        "unit", "acting_body", "document"
    )


def get_programme(user, pk) -> Programme | None:
    return visible_programmes(user).filter(pk=pk).first()


def visible_inspections(user):
    parts = InspectedUnit.objects.filter(unit_scope(user, "unit")).values("inspection_id")
    return Inspection.objects.filter(any_of(inspecting_q(user), Q(pk__in=parts))).select_related(
        "unit", "acting_body", "decision", "notice"
    )


def get_inspection(user, pk) -> Inspection | None:
    return visible_inspections(user).filter(pk=pk).first()


def sees_whole(user, inspection: Inspection) -> bool:
    """The inspecting side (and anyone above it) sees every inspected unit's part."""
    return reaches_unit(user, inspection.unit) or (
        inspection.acting_body_id is not None and reaches_unit(user, inspection.acting_body)
    )


def visible_parts(user, inspection: Inspection):
    qs = inspection.parts.select_related("unit")
    if sees_whole(user, inspection):
        return qs
    return qs.filter(unit_scope(user, "unit"))


def seen_parts(user):
    """Parts (of any inspection) the user may see: all of an inspection the user's side runs,
    else only those of units in reach; the rule of `visible_parts`, in SQL for a whole list."""
    return InspectedUnit.objects.filter(
        any_of(inspecting_q(user, "inspection"), unit_scope(user, "unit"))
    ).select_related("unit")


def _part_q(user, prefix: str) -> Q:
    """Condition on a record hanging on a part: the inspecting side, or that part's unit."""
    return any_of(inspecting_q(user, f"{prefix}__inspection"), unit_scope(user, f"{prefix}__unit"))


def visible_findings(user):
    return Finding.objects.filter(_part_q(user, "part"))


def visible_self_reports(user):
    return SelfReport.objects.filter(_part_q(user, "part")).select_related("part__unit")


def visible_recommendations(user):
    """The parts' own readers, and the unit the recommendation is addressed to."""
    return Recommendation.objects.filter(
        any_of(_part_q(user, "part"), unit_scope(user, "addressed_to"))
    ).select_related("part__unit", "addressed_to")


def visible_requests(user):
    return RemediationRequest.objects.filter(
        any_of(_part_q(user, "part"), unit_scope(user, "owner"))
    ).select_related("owner", "inspection", "inspection__unit", "part__unit")


def get_request(user, pk) -> RemediationRequest | None:
    return visible_requests(user).filter(pk=pk).first()


# --- list filters -----------------------------------------------------------------------


def filter_inspections(
    user,
    qs,
    *,
    year: int | None = None,
    kind: str = "",
    state: str = "",
    unit=None,
    q: str = "",
    finding: str = "",
):
    """Narrow a scoped list. `unit`: inspections it ran or in which it (or a unit below) was
    inspected; `finding`: only those with a finding of that kind on such a unit."""
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if unit is not None:
        inside = InspectedUnit.objects.filter(subtree_q(unit.path, "unit")).values("inspection_id")
        if finding:
            qs = qs.filter(
                pk__in=visible_findings(user)
                .filter(kind=finding)
                .filter(subtree_q(unit.path, "part__unit"))
                .values("part__inspection_id")
            )
        else:
            qs = qs.filter(Q(unit=unit) | Q(acting_body=unit) | Q(pk__in=inside))
    elif finding:
        qs = qs.filter(
            pk__in=visible_findings(user).filter(kind=finding).values("part__inspection_id")
        )
    for term in search_terms(q):
        qs = qs.filter(title_folded__contains=term)
    return qs


def open_q(as_of: datetime.date, prefix: str = "") -> Q:
    """Issued by `as_of` and not closed on it."""
    p = f"{prefix}__" if prefix else ""
    return Q(**{f"{p}issued_on__lte": as_of}) & (
        Q(**{f"{p}closed_on__isnull": True}) | Q(**{f"{p}closed_on__gt": as_of})
    )


def overdue_q(as_of: datetime.date, prefix: str = "") -> Q:
    p = f"{prefix}__" if prefix else ""
    return open_q(as_of, prefix) & Q(**{f"{p}deadline__lt": as_of})


SIDES = ("owner", "issued")
STATUS_FILTERS = ("pending", "overdue", *RequestState.values)


def side_requests(user, side: str):
    """Owner side: requests owned by units the user reaches ("my units"). Issued side: requests
    of inspections run by units the user reaches ("issued by us")."""
    qs = visible_requests(user)
    if side == "owner":
        return qs.filter(unit_scope(user, "owner"))
    if side == "issued":
        return qs.filter(inspecting_q(user, "inspection"))
    return qs


def filter_requests(
    qs,
    *,
    as_of: datetime.date,
    status: str = "",
    owner=None,
    unit=None,
    issuer=None,
    inspection=None,
    q: str = "",
):
    """`owner`: owned by exactly that unit; `unit`: owned inside its subtree; `issuer`: issued
    by inspections whose inspecting unit is inside its subtree."""
    if status == "pending":
        qs = qs.filter(open_q(as_of))
    elif status == "overdue":
        qs = qs.filter(overdue_q(as_of))
    elif status in RequestState.values:
        qs = qs.filter(state=status)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if unit is not None:
        qs = qs.filter(subtree_q(unit.path, "owner"))
    if issuer is not None:
        qs = qs.filter(subtree_q(issuer.path, "inspection__unit"))
    if inspection is not None:
        qs = qs.filter(inspection=inspection)
    for term in search_terms(q):
        qs = qs.filter(
            Q(inspection__title_folded__contains=term) | Q(owner__name_folded__contains=term)
        )
    return qs


# --- counts for a subtree ---------------------------------------------------------------


@dataclass
class Counts:
    open: int = 0
    overdue: int = 0


def _subtree_requests(user, unit):
    """Requests owned in, or issued from, `unit`'s subtree, visible to the user.

    A user who reaches the whole subtree sees every such request (the owner or the inspecting
    unit is in their reach), so the scope's joins are left out: they cost more to plan than
    the rows cost to read.
    """
    base = (
        RemediationRequest.objects.select_related(
            "owner", "inspection", "inspection__unit", "part__unit"
        )
        if reaches_subtree(user, unit)
        else visible_requests(user)
    )
    return base.filter(subtree_q(unit.path, "owner") | subtree_q(unit.path, "inspection__unit"))


def subtree_counts(user, unit, as_of: datetime.date) -> dict[str, Counts]:
    """Open and overdue requests in `unit`'s subtree, on both sides, in one query (the scope
    joins cost more to plan than the few rows cost to count)."""
    sides = {
        "owned": subtree_q(unit.path, "owner"),
        "issued": subtree_q(unit.path, "inspection__unit"),
    }
    row = (
        _subtree_requests(user, unit)
        .select_related(None)
        .aggregate(
            **{
                f"{side}_{kind}": Count("id", filter=where & q(as_of))
                for side, where in sides.items()
                for kind, q in (("open", open_q), ("overdue", overdue_q))
            }
        )
    )
    return {
        side: Counts(open=row[f"{side}_open"], overdue=row[f"{side}_overdue"]) for side in sides
    }


def oldest_overdue(user, unit, as_of: datetime.date, limit: int = 10):
    """The longest overdue requests owned in, or issued from, `unit`'s subtree."""
    return _subtree_requests(user, unit).filter(overdue_q(as_of)).order_by("deadline", "id")[:limit]
