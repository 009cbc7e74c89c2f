"""Reads of conferences: the scoped list, roll-ups by child unit and by document, the panel.

Every read starts from `visible_conferences(user)`: a range condition on the copied `host_path`
(`accounts.scope.path_scope`). "By child" is one GROUP BY on the child segment of the path, as in
`tracking.queries`; children that held nothing are listed from the unit table (one query), so the
roll-up also shows who has not held a conference.

Counting units: a unit "held" when it hosted at least one conference in the filter; "on time"
when at least one of them was held by its deadline; "late" when it had a deadline and none was
met; units whose conferences had no deadline are counted apart. Points and attendees are sums of
the totals stored on each conference.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from trienkhai.accounts.classified import readable_prefetch
from trienkhai.accounts.scope import path_scope
from trienkhai.conferences.models import Conference
from trienkhai.conferences.timing import Timing, timing_q
from trienkhai.core.text import search_terms
from trienkhai.documents.queries import visible_documents
from trienkhai.tree.kinds import COMMITTEE_KINDS
from trienkhai.tree.paths import SEGMENT_WIDTH, UPPER
from trienkhai.units.models import Unit
from trienkhai.units.queries import visible_units


def visible_conferences(user, role: str = "viewer"):
    return Conference.objects.filter(path_scope(user, "host_path", role, unit_field="host"))


def get_conference(user, pk) -> Conference | None:
    """One conference; the assignment its deadline came from is `seen_deadline_assignment`,
    annotated `readable` (a task of a classified plan is named only by its mask)."""
    from trienkhai.tracking.queries import visible_assignments

    assignments = visible_assignments(user).select_related("task")
    return (
        visible_conferences(user)
        .select_related("host", "created_by")
        .prefetch_related(
            readable_prefetch(
                user, "deadline_assignment", assignments, to_attr="seen_deadline_assignment"
            )
        )
        .filter(pk=pk)
        .first()
    )


def in_subtree(qs, unit: Unit):
    return qs.filter(host_path__gte=unit.path, host_path__lt=unit.path + UPPER)


def filter_conferences(
    qs,
    *,
    unit: Unit | None = None,
    document=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    q: str = "",
    timing: str = "",
):
    """Narrow an already scoped queryset by the list's filters (all optional)."""
    if unit is not None:
        qs = in_subtree(qs, unit)
    if document is not None:
        qs = qs.filter(documents=document)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    for term in search_terms(q):
        qs = qs.filter(search_text__contains=term)
    if timing in Timing.ORDER:
        qs = qs.filter(timing_q(timing))
    return qs


def covered_documents(user, limit: int = 200):
    """Readable documents that some conference in the user's reach covered (filter choices)."""
    ids = (
        visible_conferences(user)
        .filter(documents__isnull=False)
        .values_list("documents", flat=True)
        .distinct()
    )
    return (
        visible_documents(user)
        .filter(readable=True)
        .filter(pk__in=ids)
        .order_by("-date", "-id")[:limit]
    )


# --- roll-up by child --------------------------------------------------------------------


def _child_key(unit: Unit):
    return Substr("host_path", 1, len(unit.path) + SEGMENT_WIDTH)


def _figures():
    """The aggregates of one roll-up line (or of a whole subtree)."""
    return {
        "conferences": Count("id", distinct=True),
        "held": Count("host", distinct=True),
        "with_deadline": Count("host", distinct=True, filter=Q(deadline__isnull=False)),
        "on_time": Count("host", distinct=True, filter=timing_q(Timing.ON_TIME)),
        "points": Sum("total_points"),
        "attendees": Sum("total_attendees"),
    }


@dataclass
class RollupRow:
    path: str
    unit: Unit | None
    own: bool
    conferences: int = 0
    held: int = 0
    with_deadline: int = 0
    on_time: int = 0
    points: int = 0
    attendees: int = 0

    @property
    def late(self) -> int:
        return self.with_deadline - self.on_time

    @property
    def no_deadline(self) -> int:
        return self.held - self.with_deadline

    @property
    def name(self) -> str:
        if self.own:
            return _("Trực tiếp %(name)s") % {"name": self.unit.name if self.unit else ""}
        return self.unit.name if self.unit else self.path

    @property
    def closed(self) -> bool:
        return bool(self.unit and not self.own and self.unit.valid_to is not None)


def _base(user, unit, document, date_from, date_to):
    return filter_conferences(
        visible_conferences(user),
        unit=unit,
        document=document,
        date_from=date_from,
        date_to=date_to,
    )


def _children(user, unit: Unit, date_from, date_to):
    """Children that could have held one: committees open now, or in the date window."""
    qs = visible_units(user).filter(parent=unit, kind__in=sorted(COMMITTEE_KINDS))
    if date_from or date_to:
        if date_to:
            qs = qs.filter(valid_from__lte=date_to)
        if date_from:
            qs = qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=date_from))
    else:
        qs = qs.filter(valid_to__isnull=True)
    return qs


def rollup(
    user,
    *,
    unit: Unit,
    document=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[RollupRow]:
    """One line for the unit's own conferences and one per child subtree, zeros included."""
    grouped = (
        _base(user, unit, document, date_from, date_to)
        .annotate(child=_child_key(unit))
        .values("child")
        .annotate(**_figures())
        .order_by()
    )
    rows: dict[str, RollupRow] = {}
    for g in grouped:
        path = g.pop("child")
        rows[path] = RollupRow(
            path=path,
            unit=None,
            own=path == unit.path,
            **{k: v or 0 for k, v in g.items()},
        )
    wanted = [p for p in rows if p != unit.path]
    children = _children(user, unit, date_from, date_to)
    if wanted:
        children = children | visible_units(user).filter(path__in=sorted(wanted))
    for child in children:
        row = rows.setdefault(child.path, RollupRow(path=child.path, unit=None, own=False))
        row.unit = child
    if unit.path in rows:
        rows[unit.path].unit = unit
    return sorted(rows.values(), key=lambda r: (not r.own, r.name))


def totals(rows: list[RollupRow]) -> RollupRow:
    """The sum of the lines: children are disjoint subtrees, so units add up."""
    out = RollupRow(path="", unit=None, own=False)
    for row in rows:
        for name in ("conferences", "held", "with_deadline", "on_time", "points", "attendees"):
            setattr(out, name, getattr(out, name) + getattr(row, name))
    return out


# --- by document -------------------------------------------------------------------------


@dataclass
class DocumentLine:
    document_id: int
    document: object  # Document with `readable`, or None when the user may not know of it
    conferences: int
    held: int
    with_deadline: int
    on_time: int
    points: int
    attendees: int

    @property
    def late(self) -> int:
        return self.with_deadline - self.on_time

    @property
    def label(self) -> str:
        if self.document is None or not self.document.readable:
            return _("Văn bản mật")
        return f"{self.document.symbol} — {self.document.subject[:100]}"


def by_document(
    user,
    *,
    unit: Unit,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[DocumentLine]:
    """For each document covered under `unit`: units that held a conference on it, and when."""
    grouped = list(
        _base(user, unit, None, date_from, date_to)
        .values("documents")
        .annotate(**_figures())
        .order_by()
    )
    docs = {
        d.pk: d for d in visible_documents(user).filter(pk__in=[g["documents"] for g in grouped])
    }
    lines = [
        DocumentLine(
            document_id=g["documents"],
            document=docs.get(g["documents"]),
            conferences=g["conferences"],
            held=g["held"],
            with_deadline=g["with_deadline"],
            on_time=g["on_time"],
            points=g["points"] or 0,
            attendees=g["attendees"] or 0,
        )
        for g in grouped
        if g["documents"] is not None
    ]
    return sorted(lines, key=lambda line: (-line.held, -line.conferences, line.document_id))


# --- panel -------------------------------------------------------------------------------


def coverage(user, *, unit: Unit, as_of: datetime.date, since: datetime.date | None = None):
    """The subtree's figures for conferences held up to `as_of` (and from `since`)."""
    values = _base(user, unit, None, since, as_of).aggregate(**_figures())
    row = RollupRow(path=unit.path, unit=unit, own=False, **{k: v or 0 for k, v in values.items()})
    return row


def coverage_text(row: RollupRow) -> str:
    return _(
        "%(held)s đơn vị đã tổ chức hội nghị (%(on_time)s đúng hạn, %(late)s muộn); "
        "%(points)s điểm cầu, %(attendees)s đại biểu."
    ) % {
        "held": number_format(row.held, force_grouping=True),
        "on_time": number_format(row.on_time, force_grouping=True),
        "late": number_format(row.late, force_grouping=True),
        "points": number_format(row.points, force_grouping=True),
        "attendees": number_format(row.attendees, force_grouping=True),
    }
