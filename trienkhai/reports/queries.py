"""Reads of the reports app: what a user may see, a request's progress by child unit, and a
report's consolidation of the reports below it.

Scope: a report is seen by those who reach its unit and by those who reach the unit that asked
for it (an organisation commission's coordinator sees the provinces' answers); a request by those
who reach its unit or one of its recipients, and only when every directive it reports on is
readable to them (a classified directive hides the request).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, Substr

from trienkhai.accounts.scope import document_access, is_global, path_scope, unit_scope
from trienkhai.documents.models import Document
from trienkhai.reports.models import (
    FigureValue,
    ReportRequest,
    ReportState,
    SectionText,
    UnitReport,
)
from trienkhai.tree.paths import SEGMENT_WIDTH
from trienkhai.units.models import Unit

SENT = (ReportState.SUBMITTED, ReportState.ACCEPTED)
COUNTS = ("asked", "sent", "sent_late", "accepted", "returned", "overdue")


def visible_reports(user):
    if is_global(user):
        return UnitReport.objects.all()
    return UnitReport.objects.filter(
        path_scope(user, "unit_path") | unit_scope(user, "request__unit")
    ).filter(request__in=visible_requests(user))


def visible_requests(user):
    if is_global(user):
        return ReportRequest.objects.all()
    _visible, readable = document_access(user)
    mine = UnitReport.objects.filter(path_scope(user, "unit_path"), request=OuterRef("pk"))
    return (
        ReportRequest.objects.filter(unit_scope(user, "unit") | Q(Exists(mine)))
        .exclude(directives__in=Document.objects.exclude(readable))
        .distinct()
    )


def get_report(user, pk) -> UnitReport | None:
    return (
        visible_reports(user)
        .select_related("request__unit", "unit", "document", "submitted_by", "reviewed_by")
        .filter(pk=pk)
        .first()
    )


def unit_names(ids) -> dict[int, str]:
    """Names of the child units of a report's breakdown (children of a unit the reader sees)."""
    ids = [int(i) for i in ids if str(i).isdigit()]
    return dict(Unit.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


def children_of(report: UnitReport):
    """The reports `report` consolidates: those of the requests that answer it."""
    return UnitReport.objects.filter(request__answers=report).exclude(pk=report.pk)


@dataclass
class Progress:
    """How a set of asked units stands: asked, sent (of which late), accepted, returned, and not
    sent (of which past the deadline)."""

    name: str = ""
    unit: Unit | None = None
    asked: int = 0
    sent: int = 0
    sent_late: int = 0
    accepted: int = 0
    returned: int = 0
    overdue: int = 0

    @property
    def missing(self) -> int:
        return self.asked - self.sent

    def add(self, other: "Progress") -> None:
        for name in ("asked", "sent", "sent_late", "accepted", "returned", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def progress_counts(qs, key, today: datetime.date):
    sent = Q(state__in=SENT)
    return (
        qs.annotate(key=key)
        .values("key")
        .annotate(
            asked=Count("pk"),
            sent=Count("pk", filter=sent),
            sent_late=Count("pk", filter=sent & Q(submitted_on__gt=F("due"))),
            accepted=Count("pk", filter=Q(state=ReportState.ACCEPTED)),
            returned=Count("pk", filter=Q(state=ReportState.RETURNED)),
            overdue=Count("pk", filter=~sent & Q(due__lt=today)),
        )
        .order_by()
    )


def progress_by_child(user, request: ReportRequest, today: datetime.date) -> list[Progress]:
    """One line per child of the requester's committee holding asked units (in the user's
    reach), with the total first: a province sees each district or commune, the centre each
    province, whatever the number of units asked below them."""
    from trienkhai.reports.actions.requests import reach_root

    root = reach_root(request.unit)
    qs = visible_reports(user).filter(request=request, own=False)
    width = len(root.path) + SEGMENT_WIDTH
    rows = list(progress_counts(qs, Substr("unit_path", 1, width), today))
    units = {
        u.path: u
        for u in Unit.objects.filter(path__in=[r["key"] for r in rows]).only(
            "pk", "name", "path", "code"
        )
    }
    lines = []
    total = Progress(name="")
    for r in rows:
        unit = units.get(r["key"])
        counts = {
            k: r[k] for k in ("asked", "sent", "sent_late", "accepted", "returned", "overdue")
        }
        line = Progress(name=unit.name if unit else r["key"], unit=unit, **counts)
        total.add(line)
        lines.append(line)
    lines.sort(key=lambda p: (-p.overdue, p.name))
    return [total, *lines]


def reports_of_request(user, request: ReportRequest, *, state: str = ""):
    """The reports asked by `request` in the user's reach, by tree order; `state` a state or
    "late" (sent late, or not sent once due)."""
    qs = (
        visible_reports(user)
        .filter(request=request, own=False)
        .select_related("unit")
        .order_by("unit_path", "id")
    )
    if state == "late":
        qs = qs.filter(
            Q(state__in=SENT, submitted_on__gt=F("due"))
            | (~Q(state__in=SENT) & Q(due__lt=datetime.date.today()))
        )
    elif state in ReportState.values:
        qs = qs.filter(state=state)
    return qs


# --- consolidation -----------------------------------------------------------------------


@dataclass
class Line:
    """One form line of a consolidated report."""

    code: str
    label: str
    measure: str
    computed: bool
    own: FigureValue | None
    children_total: Decimal | None = None
    reporting: int = 0
    averaged: bool = False  # a hand-entered rate: the mean of the reports, not their sum


@dataclass
class Mismatch:
    unit: str
    report_id: int
    code: str
    label: str
    written: Decimal
    data: Decimal | None
    reason: str


@dataclass
class Consolidation:
    progress: Progress
    sent: list = field(default_factory=list)
    late: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    mismatches: list = field(default_factory=list)
    texts: dict = field(default_factory=dict)  # section number -> [(unit name, text)]


MAX_LISTED = 200  # children named in each list of a consolidation (the counts cover all)


def consolidate(report: UnitReport, today: datetime.date) -> Consolidation:
    """What `report` gathers from the reports below it: who sent (late or not) and who has not,
    the sum of the hand-entered figures sent, the figures that disagree with their unit's own
    data (overridden computed figures, and hand-entered ones with a figure to agree with), and
    the sent texts under each outline section for the drafter to condense."""
    children = children_of(report)
    counts = next(iter(progress_counts(children, Value("all"), today)), None)
    progress = Progress(name=report.unit.name, unit=report.unit)
    if counts:
        progress.add(Progress(**{k: counts[k] for k in counts if k != "key"}))
    listed = children.select_related("unit").order_by("unit_path")
    sent = Q(state__in=SENT)
    out = Consolidation(progress=progress)
    out.sent = list(listed.filter(sent)[:MAX_LISTED])
    out.late = list(
        listed.filter((sent & Q(submitted_on__gt=F("due"))) | (~sent & Q(due__lt=today)))[
            :MAX_LISTED
        ]
    )
    out.missing = list(listed.exclude(sent)[:MAX_LISTED])
    own = {f.indicator.code: f for f in report.figures.select_related("indicator")}
    sums = {
        r["indicator__code"]: r
        for r in FigureValue.objects.filter(report__in=children.filter(sent))
        .values("indicator__code")
        .annotate(
            total=Sum(Coalesce("entered", "computed")),
            mean=Avg(Coalesce("entered", "computed")),
            n=Count("pk"),
        )
        .order_by()
    }
    for indicator in report.request.indicators.all():
        got = sums.get(indicator.code) or {}
        averaged = indicator.measure.strip() == "%"
        total = got.get("mean" if averaged else "total")
        out.lines.append(
            Line(
                code=indicator.code,
                label=indicator.label,
                measure=indicator.measure,
                computed=indicator.computed,
                own=own.get(indicator.code),
                children_total=Decimal(total).quantize(Decimal("0.01"))
                if total is not None
                else None,
                reporting=got.get("n", 0),
                averaged=averaged,
            )
        )
    disagree = (
        FigureValue.objects.filter(report__in=children.filter(sent), entered__isnull=False)
        .filter(
            Q(indicator__figure__gt="") | Q(indicator__check_against__gt=""),
            computed__isnull=False,
        )
        .exclude(entered=F("computed"))
        .select_related("report__unit", "indicator")
        .order_by("report__unit_path", "indicator__order")
    )
    out.mismatches = [
        Mismatch(
            unit=f.report.unit.name,
            report_id=f.report_id,
            code=f.indicator.code,
            label=f.indicator.label,
            written=f.entered,
            data=f.computed,
            reason=f.reason,
        )
        for f in disagree[:MAX_LISTED]
    ]
    for t in (
        SectionText.objects.filter(report__in=children.filter(sent))
        .exclude(text="")
        .select_related("report__unit", "section")
        .order_by("section__order", "report__unit_path")[: MAX_LISTED * 10]
    ):
        out.texts.setdefault(t.section.number, []).append((t.report.unit.name, t.text))
    return out
