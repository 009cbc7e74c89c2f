"""The inspection lines of a person's work list (`home.todo`).

The inspected side (the reporters of an inspected unit, as in `actions.common.can_report_for`):
self-reports the team waits for, remediation requests due. The inspecting side (inspectors and
coordinators of the inspecting committee or its acting body, as in `actions.common.can_inspect`):
self-reports all in and ready to receive, conclusions to issue once the working time is over,
remedies reported and waiting for evaluation or, judged effective, for closing. Each line goes
to the people of that very unit (a grant on it), not to everyone whose reach covers it: the
actions allow those above to act too, but it is not their daily work.

Urgency follows the records' own dates: a self-report is due when the team's working time
starts (`work_from`), a remedy by the request's `deadline`, conclusions once the working time
(`work_extended_to`, else `work_to`) has ended.
"""

import datetime

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from trienkhai.accounts.classified import DOCUMENT_MASK, readable_flag
from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import granted_units, holds
from trienkhai.core.todo import Todo, Urgency, by_due, lines
from trienkhai.inspections.models import (
    Evaluation,
    InspectedUnit,
    Inspection,
    RemediationReport,
    RemediationRequest,
    RequestState,
    SelfReport,
    State,
)


def _granted(user, field: str, *roles: str) -> Q:
    """The record's `field` unit is one where the user holds a grant for one of `roles` on that
    very unit: the work of the unit's own people (a province coordinator is not handed every
    commune's self-report, nor a national administrator every province's inspections). The
    grants are a handful of rows, so the database starts from their units."""
    return Q(**{f"{field}__in": granted_units(user, *roles)})


def _mine(user, field: str) -> Q:
    """A unit where the user reports (and so files its self-report and remedies)."""
    return _granted(user, field, Role.REPORTER)


def _inspecting(user, prefix: str = "") -> Q:
    """The user acts for the inspecting side: an inspector or coordinator of the committee
    that inspects or of the body acting for it."""
    p = f"{prefix}__" if prefix else ""
    roles = (Role.INSPECTOR, Role.COORDINATOR)
    return _granted(user, f"{p}unit", *roles) | _granted(user, f"{p}acting_body", *roles)


def _symbol(doc, readable) -> str:
    """The symbol of a document named on the line, or the mask when the user may not read it."""
    if doc is None:
        return ""
    return doc.symbol if readable is True else str(DOCUMENT_MASK)


def _self_reports_owed(user, today) -> list[Todo]:
    qs = (
        InspectedUnit.objects.filter(_mine(user, "unit"), inspection__state=State.ANNOUNCED)
        .exclude(Exists(SelfReport.objects.filter(part=OuterRef("pk"))))
        .select_related("unit", "inspection__decision")
        .annotate(decision_readable=readable_flag(user, "inspection__decision"))
        .order_by(F("inspection__work_from").asc(nulls_first=True), "id")
    )

    def make(part) -> Todo:
        i = part.inspection
        decision = _symbol(i.decision, part.decision_readable)
        return Todo(
            by_due(i.work_from, today),
            _("Tự kiểm tra, báo cáo"),
            i.title,
            reverse("inspection-detail", args=[i.pk]) + "#self-reports",
            unit=part.unit.name,
            due=i.work_from,
            detail=", ".join(
                x for x in (i.team_name, decision and _("Quyết định %(s)s") % {"s": decision}) if x
            ),
        )

    return lines(
        qs, make, _("Tự kiểm tra, báo cáo"), reverse("inspections-list") + "?state=announced"
    )


def _remedies_owed(user, today) -> list[Todo]:
    qs = (
        RemediationRequest.objects.filter(
            _mine(user, "owner"),
            state__in=(RequestState.OPEN, RequestState.IN_PROGRESS),
            issued_on__lte=today,
        )
        .select_related("owner", "inspection__notice")
        .annotate(notice_readable=readable_flag(user, "inspection__notice"))
        .order_by("deadline", "id")
    )

    def make(req) -> Todo:
        notice = _symbol(req.inspection.notice, req.notice_readable)
        return Todo(
            by_due(req.deadline, today),
            _("Khắc phục sau kiểm tra"),
            req.text[:200],
            reverse("inspections-request", args=[req.pk])
            + ("#plan" if req.state == RequestState.OPEN else "#reports"),
            unit=req.owner.name,
            due=req.deadline,
            detail=_("Theo Thông báo kết luận %(s)s") % {"s": notice} if notice else "",
        )

    return lines(
        qs,
        make,
        _("Khắc phục sau kiểm tra"),
        reverse("inspections-requests") + "?side=owner&status=pending",
    )


def _self_reports_in(user, today) -> list[Todo]:
    """Announced inspections whose every inspected unit has filed: the team may receive them."""
    missing = InspectedUnit.objects.filter(inspection=OuterRef("pk")).exclude(
        Exists(SelfReport.objects.filter(part=OuterRef("pk")))
    )
    qs = (
        Inspection.objects.filter(_inspecting(user), state=State.ANNOUNCED)
        .filter(Exists(InspectedUnit.objects.filter(inspection=OuterRef("pk"))))
        .exclude(Exists(missing))
        .select_related("unit")
        .order_by(F("work_from").asc(nulls_last=True), "id")
    )

    def make(i) -> Todo:
        return Todo(
            Urgency.WAITING,
            _("Tiếp nhận báo cáo tự kiểm tra"),
            i.title,
            reverse("inspection-detail", args=[i.pk]) + "#next-step",
            unit=i.unit.name,
            due=i.work_from,
            detail=i.team_name,
        )

    return lines(
        qs,
        make,
        _("Tiếp nhận báo cáo tự kiểm tra"),
        reverse("inspections-list") + "?state=announced",
    )


def _conclusions_to_issue(user, today) -> list[Todo]:
    """Verifying inspections: waiting on the notice once the working time is over."""
    qs = (
        Inspection.objects.filter(_inspecting(user), state=State.VERIFYING)
        .annotate(work_end=Coalesce("work_extended_to", "work_to"))
        .select_related("unit")
        .order_by(F("work_end").asc(nulls_last=True), "id")
    )

    def make(i) -> Todo:
        ended = i.work_end is not None and i.work_end < today
        return Todo(
            Urgency.WAITING if ended else Urgency.LATER,
            _("Thông báo kết luận kiểm tra"),
            i.title,
            reverse("inspection-detail", args=[i.pk]) + "#next-step",
            unit=i.unit.name,
            due=i.work_end,
            detail=i.team_name,
        )

    return lines(
        qs,
        make,
        _("Thông báo kết luận kiểm tra"),
        reverse("inspections-list") + "?state=verifying",
    )


def _remedies_to_evaluate(user, today) -> list[Todo]:
    """Reported remedies: to evaluate, or (judged effective since the last report) to close."""
    later_report = RemediationReport.objects.filter(
        request=OuterRef("request"), created_at__gt=OuterRef("created_at")
    )
    effective = Evaluation.objects.filter(request=OuterRef("pk"), effective=True).exclude(
        Exists(later_report)
    )
    last_report = RemediationReport.objects.filter(request=OuterRef("pk")).order_by(
        "-reported_on", "-id"
    )
    qs = (
        RemediationRequest.objects.filter(
            _inspecting(user, "inspection"), state=RequestState.REPORTED
        )
        .annotate(
            effective=Exists(effective),
            reported_on=Subquery(last_report.values("reported_on")[:1]),
        )
        .select_related("owner")
        .order_by("reported_on", "id")
    )

    def make(req) -> Todo:
        reported = req.reported_on
        close = _("Xác nhận hoàn thành khắc phục")
        return Todo(
            Urgency.WAITING,
            close if req.effective else _("Đánh giá kết quả khắc phục"),
            req.text[:200],
            reverse("inspections-request", args=[req.pk]) + "#evaluations",
            unit=req.owner.name,
            due=req.deadline,
            detail=_("Báo cáo ngày %(date)s") % {"date": reported.strftime("%d/%m/%Y")}
            if reported
            else "",
        )

    return lines(
        qs,
        make,
        _("Đánh giá kết quả khắc phục"),
        reverse("inspections-requests") + "?side=issued&status=reported",
    )


def todo(user, today: datetime.date) -> list[Todo]:
    # Every line below reads the user's own grants (`_granted`): without the role, it is empty.
    out: list[Todo] = []
    if holds(user, Role.REPORTER):
        out += _self_reports_owed(user, today) + _remedies_owed(user, today)
    if holds(user, Role.INSPECTOR, Role.COORDINATOR):
        out += (
            _self_reports_in(user, today)
            + _conclusions_to_issue(user, today)
            + _remedies_to_evaluate(user, today)
        )
    return out
