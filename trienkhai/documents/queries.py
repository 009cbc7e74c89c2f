"""Reads of the registry, through the scoping function: lists, search, relations, cascade."""

import datetime
import functools
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    IntegerField,
    Prefetch,
    Q,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from trienkhai.accounts.classified import flag
from trienkhai.accounts.scope import document_access, is_global, reaches, unit_scope
from trienkhai.core.text import fold, search_terms
from trienkhai.documents import numbering
from trienkhai.documents.models import Document, DocumentRelation, RelationKind
from trienkhai.tree.kinds import COMMUNE_LEVEL, SUPPORT_KINDS, UnitKind
from trienkhai.tree.paths import ancestor_paths
from trienkhai.units.models import Unit

_flag = flag  # the one readability expression (accounts.classified), under its old name here


def visible_documents(user):
    """Documents the user may know of, annotated `readable` (False: classified beyond clearance)."""
    visible, readable = document_access(user)
    return (
        Document.objects.filter(visible)
        .annotate(readable=_flag(readable))
        .select_related("issuing_unit")
    )


def known_units(user):
    """Units whose names a document may show: the reach, its ancestors and their support bodies
    (a co-issuer elsewhere in the tree is left out, as on every other list)."""
    if is_global(user):
        return Unit.objects.all()
    condition = unit_scope(user, "")
    paths = sorted({p for r in reaches(user) for p in ancestor_paths(r.path)})
    if paths:
        condition |= Q(path__in=paths) | Q(parent__path__in=paths, kind__in=sorted(SUPPORT_KINDS))
    return Unit.objects.filter(condition)


def seen_documents(user, objects, *fields: str) -> None:
    """Fill `seen_<field>` on each of `objects` with the document(s) its `field` names, as
    `user` may see them: annotated `readable` (a classified one prints only as its mask), and
    None, or left out of a set, when outside the user's sight — related records pass the same
    scope as the records themselves (NetBox's RestrictedPrefetch). One query per field."""
    docs = visible_documents(user).order_by("date", "id")
    prefetch_related_objects(
        list(objects), *(Prefetch(f, queryset=docs, to_attr=f"seen_{f}") for f in fields)
    )


def readable_documents(user):
    visible, readable = document_access(user)
    return Document.objects.filter(visible & readable)


def get_visible_document(user, pk: int) -> Document | None:
    return visible_documents(user).filter(pk=pk).first()


def search(user, query: str):
    """Diacritic-free search. Classified documents match only for users cleared to read them.

    Each match carries a `rank` (see `reference_rank`); order by it first, so that the document
    a query names comes before those that merely mention it."""
    terms = search_terms(query)
    qs = visible_documents(user)
    if not terms:
        return qs.annotate(rank=Value(3))
    _, readable = document_access(user)
    qs = qs.filter(readable)
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    return qs.annotate(rank=reference_rank(query))


@functools.cache
def _type_by_folded_name() -> dict[str, str]:
    """Every Vietnamese type name, folded ("ket luan"), to its abbreviation (KL)."""
    out = {}
    for abbr in sorted(numbering.TYPE_NAMES):
        for name in numbering.type_names(abbr):
            out.setdefault(fold(name), abbr)
    return out


def reference_rank(query: str):
    """How closely a document answers a query that names a document: 0 for its exact number and
    symbol ("21-KL/TW"), 1 for its number and type ("KL 21", "ket luan 21"), 2 for its number
    alone, 3 for any other match."""
    whens = []
    try:
        exact = numbering.parse_symbol(query.strip()).format()
    except ValueError:
        exact = None
    if exact:
        whens.append(When(symbol=exact, then=Value(0)))
    words = search_terms(query)
    numbers = [w for w in words if w.isdigit()]
    if numbers:
        number = numbers[0].lstrip("0") or "0"
        rest = " ".join(w for w in words if not w.isdigit())
        abbr = numbering.normalise_type(rest) if rest else None
        abbr = abbr or _type_by_folded_name().get(rest)
        if abbr:
            whens.append(
                When(
                    Q(number=number)
                    & (
                        Q(symbol__istartswith=f"{number}-{abbr}/")
                        | Q(symbol__istartswith=f"{number}/{abbr}-")
                    ),
                    then=Value(1),
                )
            )
        whens.append(When(number=number, then=Value(2)))
    return Case(*whens, default=Value(3), output_field=IntegerField()) if whens else Value(3)


def relations_of(user, document: Document):
    """(outgoing, incoming) relations whose other end the user may see."""
    visible, _ = document_access(user, "target")
    outgoing = (
        DocumentRelation.objects.filter(source=document)
        .filter(visible)
        .select_related("target", "target__issuing_unit")
    )
    visible_src, _ = document_access(user, "source")
    incoming = (
        DocumentRelation.objects.filter(target=document)
        .filter(visible_src)
        .select_related("source", "source__issuing_unit")
    )
    return outgoing, incoming


def cascade(user, directive: Document, *, max_levels: int = 8, per_level: int = 200):
    """The documents that implement `directive`, generation by generation down the tree.

    Returns a list of levels; each level is a list of documents (annotated `readable`) that
    implement a document of the level above. Only what the user may see is followed.
    """
    levels = []
    frontier = [directive.pk]
    seen = {directive.pk}
    for _level in range(max_levels):
        docs = list(
            visible_documents(user)
            .filter(outgoing__kind=RelationKind.IMPLEMENTS, outgoing__target_id__in=frontier)
            .exclude(pk__in=seen)
            .distinct()
            .order_by("issuing_unit__path", "date")[: per_level + 1]
        )
        if not docs:
            break
        levels.append(docs[:per_level])
        frontier = [d.pk for d in docs[:per_level]]
        seen.update(frontier)
    return levels


# --- additions for the web interface --------------------------------------------------------


def filter_documents(
    qs,
    *,
    doc_type: str = "",
    system: str = "",
    issuer_code: str = "",
    year: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    """Narrow an already scoped queryset by the list page's filters (all optional)."""
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if system:
        qs = qs.filter(system=system)
    if issuer_code:
        qs = qs.filter(issuing_unit__code=issuer_code)
    if year:
        qs = qs.filter(date__year=year)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    return qs


def find_by_symbol(user, symbol: str, date: datetime.date | None = None):
    """Readable documents printed with `symbol` (already normalised), optionally on `date`.

    Only readable ones: looking a classified document up by its number would reveal it.
    """
    qs = visible_documents(user).filter(readable_q(user)).filter(symbol=symbol)
    if date:
        qs = qs.filter(date=date)
    return qs


def readable_q(user, prefix: str = "") -> Q:
    return document_access(user, prefix)[1]


# Each relation kind read from this document (outgoing) and towards it (incoming).
RELATION_LABELS = {
    RelationKind.IMPLEMENTS: (_("Thực hiện"), _("Được thực hiện bởi")),
    RelationKind.BASED_ON: (_("Căn cứ"), _("Là căn cứ của")),
    RelationKind.REPLACES: (_("Thay thế"), _("Bị thay thế bởi")),
    RelationKind.AMENDS: (_("Sửa đổi, bổ sung"), _("Được sửa đổi, bổ sung bởi")),
    RelationKind.REPEALS: (_("Bãi bỏ"), _("Bị bãi bỏ bởi")),
    RelationKind.CITES: (_("Dẫn chiếu"), _("Được dẫn chiếu bởi")),
}


@dataclass
class RelationGroup:
    kind: str
    label: str
    outgoing: bool
    items: list = field(default_factory=list)  # (relation, other document, readable)


def relation_groups(user, document: Document) -> list[RelationGroup]:
    """Relations both ways (via `relations_of`), grouped by kind and direction, in kind order.

    Each item carries whether the other document is readable; an unreadable one is shown only
    as "a classified document".
    """
    outgoing, incoming = relations_of(user, document)
    outgoing = outgoing.annotate(other_readable=_flag(readable_q(user, "target")))
    incoming = incoming.annotate(other_readable=_flag(readable_q(user, "source")))
    groups: dict[tuple[str, bool], RelationGroup] = {}
    for rel in outgoing.order_by("kind", "-target__date", "target_id"):
        key = (rel.kind, True)
        groups.setdefault(key, RelationGroup(rel.kind, RELATION_LABELS[rel.kind][0], True))
        groups[key].items.append((rel, rel.target, rel.other_readable))
    for rel in incoming.order_by("kind", "-source__date", "source_id"):
        key = (rel.kind, False)
        groups.setdefault(key, RelationGroup(rel.kind, RELATION_LABELS[rel.kind][1], False))
        groups[key].items.append((rel, rel.source, rel.other_readable))
    order = list(RelationKind.values)
    return sorted(groups.values(), key=lambda g: (order.index(g.kind), not g.outgoing))


# Levels of the tree, top down, by the issuing unit's kind. Support bodies (office, commissions)
# and party delegations belong to the level of the committee they serve (their parent).
TIERS = (
    (0, _("Cấp Trung ương"), frozenset({UnitKind.CENTRAL})),
    (1, _("Cấp tỉnh"), frozenset({UnitKind.PROVINCE, UnitKind.CENTRAL_ORG})),
    (2, _("Cấp huyện (trước 1/7/2025)"), frozenset({UnitKind.DISTRICT})),
    (3, _("Cấp xã"), COMMUNE_LEVEL),
    (4, _("Cơ sở"), frozenset({UnitKind.GRASSROOTS, UnitKind.CELL})),
)
OTHER_TIER = (9, _("Khác"))
TIER_LABELS = {rank: label for rank, label, _kinds in TIERS} | {OTHER_TIER[0]: OTHER_TIER[1]}


def tier_expression(prefix: str = "issuing_unit"):
    """SQL rank of a unit's level: its own kind first, else its parent's (support bodies)."""
    own = [When(**{f"{prefix}__kind__in": sorted(k)}, then=Value(r)) for r, _l, k in TIERS]
    parent = [
        When(**{f"{prefix}__parent__kind__in": sorted(k)}, then=Value(r)) for r, _l, k in TIERS
    ]
    return Case(*own, *parent, default=Value(OTHER_TIER[0]), output_field=IntegerField())


def _implementing_closure_sql(user, directive: Document) -> tuple[str, list]:
    """A recursive query for every visible document implementing `directive`, at any depth.

    UNION (not UNION ALL) drops repeats, so a cycle of relations ends the recursion.
    """
    rel = DocumentRelation._meta.db_table
    visible, _readable = document_access(user)
    vis_sql, vis_params = Document.objects.filter(visible).values("pk").query.sql_with_params()
    # Only a table name from the model and SQL compiled by Django go in; values are parameters.
    step = "SELECT r.source_id FROM {rel} r {join} WHERE {cond} AND r.source_id IN ({vis})"
    first = step.format(rel=rel, join="", cond="r.target_id = %s AND r.kind = %s", vis=vis_sql)
    recurse = step.format(
        rel=rel, join="INNER JOIN chain c ON r.target_id = c.id", cond="r.kind = %s", vis=vis_sql
    )
    sql = f"WITH RECURSIVE chain(id) AS ({first} UNION {recurse}) SELECT id FROM chain"  # noqa: S608
    params = [directive.pk, RelationKind.IMPLEMENTS, *vis_params]
    params += [RelationKind.IMPLEMENTS, *vis_params]
    return sql, params


@dataclass
class CascadeLevel:
    rank: int
    label: str
    count: int
    documents: list

    @property
    def more(self) -> int:
        return max(self.count - len(self.documents), 0)


def cascade_levels(user, directive: Document, *, per_level: int = 200) -> list[CascadeLevel]:
    """Every document implementing `directive` (directly or through plans below it), grouped by
    the level of its issuing unit, top down. Each level: its true count (one GROUP BY query) and
    at most `per_level` documents in tree order, annotated `readable`.
    """
    sql, params = _implementing_closure_sql(user, directive)
    qs = (
        visible_documents(user)
        .filter(pk__in=RawSQL(sql, params))  # noqa: S611 - built above from parameters
        .exclude(pk=directive.pk)
        .annotate(tier=tier_expression())
    )
    counts = dict(qs.order_by().values("tier").annotate(n=Count("pk")).values_list("tier", "n"))
    levels = []
    for rank in sorted(counts):
        docs = list(qs.filter(tier=rank).order_by("issuing_unit__path", "date", "pk")[:per_level])
        levels.append(CascadeLevel(rank, TIER_LABELS[rank], counts[rank], docs))
    return levels
