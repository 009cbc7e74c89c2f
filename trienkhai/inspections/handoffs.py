"""Who is told what when an inspection hands work over (delivered by `notify.handoffs`).

- announced, and conclusions issued: the reporters of every inspected unit;
- a self-report received, and a remediation reported: the inspecting side (inspectors of the
  committee and of its acting body);
- a remediation requested, and its remedy evaluated: the reporters of the unit that owns it.
"""

import datetime

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.core.models import ChangeLogEntry
from trienkhai.inspections.models import (
    InspectedUnit,
    Inspection,
    RemediationRequest,
    SelfReport,
    State,
)
from trienkhai.notify.handoffs import Audience, Handoff, only_if
from trienkhai.notify.messages import renderer

ANNOUNCED = "inspections.announced"
CONCLUDED = "inspections.concluded"
SELF_REPORT = "inspections.self_report_received"
REQUESTED = "inspections.remediation_requested"
REMEDIED = "inspections.remediation_reported"
EVALUATED = "inspections.remediation_evaluated"


def date_text(iso: str | None) -> str:
    return date_format(datetime.date.fromisoformat(iso), "SHORT_DATE_FORMAT") if iso else "—"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _inspection(pk) -> Inspection | None:
    return Inspection.objects.select_related("unit", "acting_body").filter(pk=pk).first()


def _about(inspection: Inspection) -> dict:
    return {"inspection": str(inspection)[:200], "by": inspection.unit.name}


def _inspecting(inspection: Inspection) -> Audience:
    units = [inspection.unit_id, inspection.acting_body_id]
    return Audience([u for u in units if u], Role.INSPECTOR)


@only_if(lambda entry: (entry.after or {}).get("state") in (State.ANNOUNCED, State.CONCLUDED))
def step(entry: ChangeLogEntry) -> Handoff | None:
    state = (entry.after or {}).get("state")
    if state not in (State.ANNOUNCED, State.CONCLUDED):
        return None
    inspection = _inspection(entry.object_id)
    if inspection is None:
        return None
    parts = InspectedUnit.objects.filter(inspection=inspection).values("unit_id")
    return Handoff(
        kind=ANNOUNCED if state == State.ANNOUNCED else CONCLUDED,
        params={
            **_about(inspection),
            "date": (entry.after or {}).get("step_date"),
            "work_from": _iso(inspection.work_from),
            "work_to": _iso(inspection.work_to),
        },
        url=reverse("inspection-detail", args=[inspection.pk]),
        unit_id=inspection.unit_id,
        audiences=(Audience(parts, Role.REPORTER),),
    )


def self_report(entry: ChangeLogEntry) -> Handoff | None:
    report = SelfReport.objects.select_related("part__unit").filter(pk=entry.object_id).first()
    inspection = report and _inspection(report.part.inspection_id)
    if inspection is None:
        return None
    return Handoff(
        kind=SELF_REPORT,
        params={
            **_about(inspection),
            "unit": report.part.unit.name,
            "date": _iso(report.submitted_on),
        },
        url=reverse("inspection-detail", args=[inspection.pk]),
        unit_id=report.part.unit_id,
        audiences=(_inspecting(inspection),),
    )


def _request(entry: ChangeLogEntry) -> RemediationRequest | None:
    return (
        RemediationRequest.objects.select_related("owner", "inspection__unit")
        .filter(pk=entry.object_id)
        .first()
    )


def request_params(req: RemediationRequest) -> dict:
    return {
        **_about(req.inspection),
        "unit": req.owner.name,
        "text": req.text[:300],
        "deadline": _iso(req.deadline),
    }


def remediation_requested(entry: ChangeLogEntry) -> Handoff | None:
    req = _request(entry)
    if req is None:
        return None
    return Handoff(
        kind=REQUESTED,
        params=request_params(req),
        url=reverse("inspections-request", args=[req.pk]),
        unit_id=req.owner_id,
        audiences=(Audience([req.owner_id], Role.REPORTER),),
    )


def remediation_reported(entry: ChangeLogEntry) -> Handoff | None:
    req = _request(entry)
    if req is None:
        return None
    return Handoff(
        kind=REMEDIED,
        params=request_params(req),
        url=reverse("inspections-request", args=[req.pk]),
        unit_id=req.owner_id,
        audiences=(_inspecting(req.inspection),),
    )


def remediation_evaluated(entry: ChangeLogEntry) -> Handoff | None:
    req = _request(entry)
    evaluation = req and req.evaluations.order_by("-id").first()
    if evaluation is None:
        return None
    return Handoff(
        kind=EVALUATED,
        params={
            **request_params(req),
            "effective": evaluation.effective,
            "note": evaluation.note[:1000],
        },
        url=reverse("inspections-request", args=[req.pk]),
        unit_id=req.owner_id,
        audiences=(Audience([req.owner_id], Role.REPORTER),),
    )


HANDOFFS = {
    "inspections.step": step,
    "inspections.self_report": self_report,
    "inspections.request": remediation_requested,
    "inspections.remediation_report": remediation_reported,
    "inspections.evaluation": remediation_evaluated,
}


@renderer(ANNOUNCED)
def render_announced(p: dict) -> tuple[str, str]:
    title = _("Công bố kiểm tra, giám sát: %(inspection)s") % p
    body = _(
        "%(by)s công bố quyết định ngày %(date)s; làm việc từ %(from)s đến %(to)s. Đơn vị được "
        "kiểm tra gửi báo cáo tự kiểm tra."
    ) % {
        "by": p["by"],
        "date": date_text(p["date"]),
        "from": date_text(p["work_from"]),
        "to": date_text(p["work_to"]),
    }
    return title, body


@renderer(CONCLUDED)
def render_concluded(p: dict) -> tuple[str, str]:
    title = _("Thông báo kết luận: %(inspection)s") % p
    body = _("%(by)s đã thông báo kết luận ngày %(date)s.") % {
        "by": p["by"],
        "date": date_text(p["date"]),
    }
    return title, body


@renderer(SELF_REPORT)
def render_self_report(p: dict) -> tuple[str, str]:
    title = _("%(unit)s đã gửi báo cáo tự kiểm tra: %(inspection)s") % p
    body = _("Ngày gửi: %(date)s.") % {"date": date_text(p["date"])}
    return title, body


@renderer(REQUESTED)
def render_requested(p: dict) -> tuple[str, str]:
    title = _("Yêu cầu khắc phục, hạn %(deadline)s: %(inspection)s") % {
        "deadline": date_text(p["deadline"]),
        "inspection": p["inspection"],
    }
    body = _("%(by)s yêu cầu %(unit)s khắc phục: %(text)s") % p
    return title, body


@renderer(REMEDIED)
def render_remedied(p: dict) -> tuple[str, str]:
    title = _("%(unit)s đã báo cáo khắc phục: %(inspection)s") % p
    body = _("Yêu cầu: %(text)s. Hãy đánh giá kết quả khắc phục.") % p
    return title, body


@renderer(EVALUATED)
def render_evaluated(p: dict) -> tuple[str, str]:
    if p["effective"]:
        title = _("Khắc phục được đánh giá có hiệu quả: %(inspection)s") % p
    else:
        title = _("Khắc phục chưa hiệu quả, cần tiếp tục: %(inspection)s") % p
    body = _("Yêu cầu: %(text)s.") % p
    if p.get("note"):
        body += " " + _("Nhận xét: %(note)s") % p
    return title, body
