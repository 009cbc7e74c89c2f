"""The figures a statistical form (biểu mẫu) computes from the system's own records.

Each figure is counted over a unit's whole subtree for the report's period and directives, with
one value per direct child of the unit (the child's whole subtree), so a report shows its total
and its breakdown. The sources read the other apps directly (this app stands above them, see
docs/architecture.md) and each is one grouped query keyed by the child's path prefix:

- tasks (tracking's assignments on the directives, due in the period): due, done on time, done
  late, overdue at the period's end — by `tracking.status.status_q`, the one definition of a
  status; a completion counts once the assigning level accepted it;
- plans: the units obliged to issue their own plan on the directives (obligations due by the
  period's end) and those whose every obligation was met by then;
- conferences held in the period on the directives, their connection points and attendees;
- inspections and supervisions concluded in the period by units of the subtree on the
  directives; the shortcomings and violations they concluded at units of the subtree; the
  remediation requests made to units of the subtree in the period, and those closed (remedy
  verified) in it;
- good practices registered for the period's years on the directives, and their adoptions;
- the classification of the year of the period's end: organisations at each level.

A rate is computed from its two counts, for the total as for each child — never an average of
rates. `user` limits every count to the user's reach (None: the system's own reads).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, Exists, IntegerField, Max, OuterRef, Q, Sum, When
from django.db.models import Value as V
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from trienkhai.accounts.scope import is_global, path_scope, reaches_subtree, unit_scope
from trienkhai.conferences.models import Conference
from trienkhai.documents.models import DocumentRelation, RelationKind
from trienkhai.evaluations.models import Evaluation, Level
from trienkhai.inspections.models import (
    Finding,
    FindingKind,
    Inspection,
    InspectionKind,
    RemediationRequest,
)
from trienkhai.inspections.models.inspection import State as InspectionState
from trienkhai.practices.models import Adoption, GoodPractice
from trienkhai.tracking.models import Assignment, Plan
from trienkhai.tracking.status import Status, status_q
from trienkhai.tree.kinds import UnitKind
from trienkhai.tree.paths import SEGMENT_WIDTH, UPPER
from trienkhai.units.models import Unit


@dataclass(frozen=True)
class Figure:
    code: str
    label: str
    measure: str
    definition: str
    source: str
    rate_of: tuple[str, str] | None = None  # (numerator, denominator) codes, for a rate

    @property
    def is_rate(self) -> bool:
        return self.rate_of is not None


def _f(code, label, measure, definition, source, rate_of=None) -> Figure:
    return Figure(code, label, measure, definition, source, rate_of)


PERCENT = _("%")
UNITS = _("đơn vị")
TASKS = _("nhiệm vụ")
ITEMS = _("cuộc")
PEOPLE = _("người")

FIGURE_LIST = [
    _f("plan_units", _("Số đơn vị phải ban hành kế hoạch thực hiện"), UNITS,
       _("Đơn vị được giao nhiệm vụ ban hành kế hoạch thực hiện văn bản, hạn đến cuối kỳ."),
       "plans"),
    _f("plan_units_met", _("Số đơn vị đã ban hành kế hoạch thực hiện"), UNITS,
       _("Đơn vị đã ban hành đủ kế hoạch được giao, đến cuối kỳ."), "plans"),
    _f("plan_coverage_rate", _("Tỷ lệ đơn vị đã ban hành kế hoạch thực hiện"), PERCENT,
       _("Số đơn vị đã ban hành chia cho số đơn vị phải ban hành, nhân 100."), "plans",
       ("plan_units_met", "plan_units")),
    _f("org_plan_units", _("Số ban tổ chức cấp ủy phải tham mưu ban hành kế hoạch"), UNITS,
       _("Ban tổ chức cấp ủy được giao tham mưu ban hành kế hoạch thực hiện, hạn đến cuối kỳ."),
       "org_plans"),
    _f("org_plan_units_met", _("Số ban tổ chức cấp ủy đã tham mưu ban hành kế hoạch"), UNITS,
       _("Ban tổ chức cấp ủy đã ban hành đủ kế hoạch được giao, đến cuối kỳ."), "org_plans"),
    _f("org_plan_coverage_rate", _("Tỷ lệ ban tổ chức cấp ủy đã tham mưu ban hành kế hoạch"),
       PERCENT, _("Số ban tổ chức đã ban hành chia cho số phải ban hành, nhân 100."),
       "org_plans", ("org_plan_units_met", "org_plan_units")),
    _f("tasks_due", _("Số nhiệm vụ đến hạn trong kỳ"), TASKS,
       _("Phân công nhiệm vụ thực hiện văn bản có hạn trong kỳ báo cáo."), "tasks"),
    _f("tasks_on_time", _("Số nhiệm vụ hoàn thành đúng hạn"), TASKS,
       _("Đã được cấp giao chấp nhận hoàn thành, không muộn hơn hạn."), "tasks"),
    _f("tasks_late", _("Số nhiệm vụ hoàn thành quá hạn"), TASKS,
       _("Đã được chấp nhận hoàn thành, sau hạn."), "tasks"),
    _f("tasks_overdue", _("Số nhiệm vụ quá hạn chưa hoàn thành"), TASKS,
       _("Đến cuối kỳ đã quá hạn mà chưa hoàn thành (kể cả chưa được chấp nhận)."), "tasks"),
    _f("tasks_on_time_rate", _("Tỷ lệ nhiệm vụ hoàn thành đúng hạn"), PERCENT,
       _("Số hoàn thành đúng hạn chia cho số đã hoàn thành hoặc đã quá hạn, nhân 100."),
       "tasks", ("tasks_on_time", "tasks_decided")),
    _f("conferences_held", _("Số hội nghị học tập, quán triệt"), ITEMS,
       _("Hội nghị quán triệt văn bản tổ chức trong kỳ."), "conferences"),
    _f("conference_points", _("Số điểm cầu"), _("điểm cầu"),
       _("Tổng số điểm cầu của các hội nghị trong kỳ."), "conferences"),
    _f("conference_attendees", _("Số lượt người tham dự"), PEOPLE,
       _("Tổng số đảng viên và người ngoài Đảng tham dự các hội nghị trong kỳ."),
       "conferences"),
    _f("inspections_done", _("Số cuộc kiểm tra đã kết luận"), ITEMS,
       _("Cuộc kiểm tra chuyên đề về văn bản do đơn vị tiến hành, kết luận trong kỳ."),
       "inspections"),
    _f("supervisions_done", _("Số cuộc giám sát đã kết luận"), ITEMS,
       _("Cuộc giám sát chuyên đề, thường xuyên về văn bản, kết luận trong kỳ."),
       "inspections"),
    _f("findings", _("Số hạn chế, khuyết điểm, vi phạm được kết luận"), _("nội dung"),
       _("Hạn chế, khuyết điểm và vi phạm kết luận trong kỳ tại các đơn vị."), "findings"),
    _f("remediation_opened", _("Số yêu cầu khắc phục sau kiểm tra, giám sát"), _("yêu cầu"),
       _("Yêu cầu khắc phục đưa ra trong kỳ."), "remediation"),
    _f("remediation_closed", _("Số yêu cầu đã khắc phục xong"), _("yêu cầu"),
       _("Yêu cầu được xác nhận đã khắc phục trong kỳ."), "remediation"),
    _f("practices_registered", _("Số mô hình, cách làm hay được ghi nhận"), _("mô hình"),
       _("Mô hình, cách làm hay gắn với văn bản, ghi nhận cho các năm của kỳ."), "practices"),
    _f("practices_adopted", _("Số lượt nhân rộng mô hình"), _("lượt"),
       _("Đơn vị áp dụng mô hình, cách làm hay trong kỳ."), "practices"),
    _f("rated_excellent", Level.EXCELLENT.label, _("tổ chức"),
       _("Tổ chức đảng được xếp loại ở mức này năm cuối kỳ."), "ratings"),
    _f("rated_good", Level.GOOD.label, _("tổ chức"),
       _("Tổ chức đảng được xếp loại ở mức này năm cuối kỳ."), "ratings"),
    _f("rated_complete", Level.COMPLETE.label, _("tổ chức"),
       _("Tổ chức đảng được xếp loại ở mức này năm cuối kỳ."), "ratings"),
    _f("rated_not_complete", Level.NOT_COMPLETE.label, _("tổ chức"),
       _("Tổ chức đảng được xếp loại ở mức này năm cuối kỳ."), "ratings"),
]  # fmt: skip
FIGURES = {f.code: f for f in FIGURE_LIST}
# What a new request's form offers ticked.
DEFAULT_CODES = [
    "plan_units",
    "plan_units_met",
    "plan_coverage_rate",
    "tasks_due",
    "tasks_on_time",
    "tasks_late",
    "tasks_overdue",
    "tasks_on_time_rate",
    "conferences_held",
    "conference_points",
    "conference_attendees",
    "inspections_done",
    "supervisions_done",
    "remediation_opened",
    "remediation_closed",
    "practices_registered",
    "practices_adopted",
]
MAX_CASCADE = 6  # levels of plans implementing plans followed up to the directive
RATINGS = {
    "rated_excellent": Level.EXCELLENT,
    "rated_good": Level.GOOD,
    "rated_complete": Level.COMPLETE,
    "rated_not_complete": Level.NOT_COMPLETE,
}


# --- the subtree and the reader's reach ------------------------------------------------------


@dataclass
class _Scope:
    unit: Unit
    user: object
    start: datetime.date
    end: datetime.date
    directives: list[int]
    whole: bool  # the user reads the whole subtree: no reach condition needed

    @property
    def width(self) -> int:
        return len(self.unit.path) + SEGMENT_WIDTH

    def by_path(self, qs, field: str, unit_field: str):
        """`qs` limited to the subtree through a copied path column, and to the reach."""
        qs = qs.filter(**{f"{field}__gte": self.unit.path, f"{field}__lt": self.unit.path + UPPER})
        if not self.whole:
            qs = qs.filter(path_scope(self.user, field, unit_field=unit_field))
        return qs

    def by_unit(self, qs, prefix: str):
        """`qs` limited to the subtree through a unit foreign key, and to the reach."""
        path = f"{prefix}__path"
        qs = qs.filter(**{f"{path}__gte": self.unit.path, f"{path}__lt": self.unit.path + UPPER})
        if not self.whole:
            qs = qs.filter(unit_scope(self.user, prefix))
        return qs

    def child(self, path_field: str):
        return Substr(path_field, 1, self.width)


def directive_ids(directives) -> list[int]:
    """The documents reported on, and what a plan among them carries out, up to the directive
    at the root of its cascade (the tasks of a cascade carry that directive)."""
    ids = {getattr(d, "pk", d) for d in directives}
    frontier = set(ids)
    for _level in range(MAX_CASCADE):
        above = set(
            Plan.objects.filter(document_id__in=frontier, directive__isnull=False).values_list(
                "directive_id", flat=True
            )
        ) | set(
            DocumentRelation.objects.filter(
                source_id__in=frontier, kind=RelationKind.IMPLEMENTS
            ).values_list("target_id", flat=True)
        )
        frontier = above - ids
        if not frontier:
            break
        ids |= frontier
    return sorted(ids)


# --- the sources: {code: {child path: n}} ------------------------------------------------


def _grouped(qs, key, **counts) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {code: {} for code in counts}
    for row in qs.annotate(key=key).values("key").annotate(**counts).order_by():
        for code in counts:
            out[code][row["key"]] = row[code] or 0
    return out


def _tasks(s: _Scope) -> dict:
    qs = s.by_path(Assignment.objects.all(), "unit_path", "unit").filter(
        directive_id__in=s.directives, due__gte=s.start, due__lte=s.end
    )
    on_time = status_q(Status.DONE_ON_TIME, s.end)
    late = status_q(Status.DONE_LATE, s.end)
    overdue = status_q(Status.OVERDUE, s.end)
    return _grouped(
        qs,
        s.child("unit_path"),
        tasks_due=Count("pk"),
        tasks_on_time=Count("pk", filter=on_time),
        tasks_late=Count("pk", filter=late),
        tasks_overdue=Count("pk", filter=overdue),
        tasks_decided=Count("pk", filter=on_time | late | overdue),
    )


def _plans(s: _Scope, kind: str | None = None, prefix: str = "plan") -> dict:
    """Each obliged unit once: met when every one of its obligations is (`kind`: only units of
    that kind, e.g. the organisation commissions that advise their committee's plan)."""
    qs = s.by_path(Assignment.objects.all(), "unit_path", "unit").filter(
        directive_id__in=s.directives, requires_plan=True, due__lte=s.end
    )
    if kind is not None:
        qs = qs.filter(unit__kind=kind)
    met = Q(completed_on__isnull=False, completed_on__lte=s.end)
    unmet = Max(Case(When(~met, then=V(1)), default=V(0), output_field=IntegerField()))
    units: dict[str, int] = {}
    met_units: dict[str, int] = {}
    rows = qs.values("unit_id", "unit_path").annotate(unmet=unmet).order_by()
    for row in rows:
        key = row["unit_path"][: s.width]
        units[key] = units.get(key, 0) + 1
        if not row["unmet"]:
            met_units[key] = met_units.get(key, 0) + 1
    return {f"{prefix}_units": units, f"{prefix}_units_met": met_units}


def _org_plans(s: _Scope) -> dict:
    return _plans(s, UnitKind.ORGANISATION_COMMISSION, "org_plan")


def _conferences(s: _Scope) -> dict:
    on_directive = Conference.documents.through.objects.filter(
        conference_id=OuterRef("pk"), document_id__in=s.directives
    )
    qs = s.by_path(Conference.objects.all(), "host_path", "host").filter(
        Exists(on_directive), date__gte=s.start, date__lte=s.end
    )
    return _grouped(
        qs,
        s.child("host_path"),
        conferences_held=Count("pk"),
        conference_points=Sum("total_points"),
        conference_attendees=Sum("total_attendees"),
    )


def _on_directive(s: _Scope, inspection: str = "pk"):
    """The inspection (reached by `inspection` from the queried row) is on the directives."""
    through = Inspection.directives.through.objects.filter(
        inspection_id=OuterRef(inspection), document_id__in=s.directives
    )
    return Exists(through)


CONCLUDED = (InspectionState.CONCLUDED, InspectionState.REMEDIATION, InspectionState.CLOSED)
SUPERVISION = (InspectionKind.THEMATIC_SUPERVISION, InspectionKind.ROUTINE_SUPERVISION)


def _inspections(s: _Scope) -> dict:
    qs = s.by_unit(Inspection.objects.all(), "unit").filter(
        _on_directive(s),
        state__in=CONCLUDED,
        concluded_on__gte=s.start,
        concluded_on__lte=s.end,
    )
    return _grouped(
        qs,
        s.child("unit__path"),
        inspections_done=Count("pk", filter=~Q(kind__in=SUPERVISION)),
        supervisions_done=Count("pk", filter=Q(kind__in=SUPERVISION)),
    )


def _findings(s: _Scope) -> dict:
    qs = s.by_unit(Finding.objects.all(), "part__unit").filter(
        _on_directive(s, "part__inspection_id"),
        kind__in=(FindingKind.SHORTCOMING, FindingKind.VIOLATION),
        part__inspection__concluded_on__gte=s.start,
        part__inspection__concluded_on__lte=s.end,
    )
    return _grouped(qs, s.child("part__unit__path"), findings=Count("pk"))


def _remediation(s: _Scope) -> dict:
    qs = s.by_unit(RemediationRequest.objects.all(), "owner").filter(
        _on_directive(s, "inspection_id")
    )
    opened = Q(issued_on__gte=s.start, issued_on__lte=s.end)
    closed = Q(closed_on__isnull=False, closed_on__gte=s.start, closed_on__lte=s.end)
    return _grouped(
        qs.filter(opened | closed),
        s.child("owner__path"),
        remediation_opened=Count("pk", filter=opened),
        remediation_closed=Count("pk", filter=closed),
    )


def _practices(s: _Scope) -> dict:
    on_directive = GoodPractice.directives.through.objects.filter(
        goodpractice_id=OuterRef("pk"), document_id__in=s.directives
    )
    registered = _grouped(
        s.by_unit(GoodPractice.objects.all(), "unit").filter(
            Exists(on_directive), year__gte=s.start.year, year__lte=s.end.year
        ),
        s.child("unit__path"),
        practices_registered=Count("pk"),
    )
    adopted_on_directive = GoodPractice.directives.through.objects.filter(
        goodpractice_id=OuterRef("practice_id"), document_id__in=s.directives
    )
    adopted = _grouped(
        s.by_unit(Adoption.objects.all(), "unit").filter(
            Exists(adopted_on_directive), adopted_on__gte=s.start, adopted_on__lte=s.end
        ),
        s.child("unit__path"),
        practices_adopted=Count("pk"),
    )
    return {**registered, **adopted}


def _ratings(s: _Scope) -> dict:
    qs = s.by_unit(Evaluation.objects.all(), "unit").filter(period__year=s.end.year)
    return _grouped(
        qs,
        s.child("unit__path"),
        **{code: Count("pk", filter=Q(decided_level=level)) for code, level in RATINGS.items()},
    )


SOURCES = {
    "tasks": _tasks,
    "plans": _plans,
    "org_plans": _org_plans,
    "conferences": _conferences,
    "inspections": _inspections,
    "findings": _findings,
    "remediation": _remediation,
    "practices": _practices,
    "ratings": _ratings,
}


# --- the table ---------------------------------------------------------------------------


def rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * Decimal(part) / Decimal(whole)).quantize(Decimal("0.01"))


def compute(
    codes,
    *,
    unit: Unit,
    start: datetime.date,
    end: datetime.date,
    directives,
    user=None,
) -> dict[str, dict]:
    """{code: {"total": value, "children": {child unit id: value}}} for `codes` over the
    subtree of `unit` (the unit's own records count in the total only)."""
    wanted = [FIGURES[c] for c in codes if c in FIGURES]
    scope = _Scope(
        unit=unit,
        user=user,
        start=start,
        end=end,
        directives=directive_ids(directives),
        whole=user is None or is_global(user) or reaches_subtree(user, unit),
    )
    counts: dict[str, dict[str, int]] = {}
    for source in sorted({f.source for f in wanted}):
        counts.update(SOURCES[source](scope))
    children = dict(Unit.objects.filter(parent=unit).values_list("path", "pk"))
    out = {}
    for figure in wanted:
        if figure.is_rate:
            part, whole = (counts.get(c, {}) for c in figure.rate_of)
            keys = set(part) | set(whole)
            per_key = {k: rate(part.get(k, 0), whole.get(k, 0)) for k in keys}
            total = rate(sum(part.values()), sum(whole.values()))
        else:
            per_key = counts.get(figure.code, {})
            total = sum(per_key.values())
        out[figure.code] = {
            "total": total,
            "children": {children[k]: v for k, v in per_key.items() if k in children},
        }
    return out
