"""Who is told at each step of a report request.

- a request made: the reporters of every unit asked (their nearest level, as for a task);
- a report sent: the coordinators of the requesting unit;
- a report accepted or returned (with the reason): the reporters of the unit, and who sent it.

A request's title is stored only when none of its directives is classified; otherwise the message
says "a report request" and the reader with clearance follows the link.
"""

import datetime

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.core.models import ChangeLogEntry
from trienkhai.notify.handoffs import Audience, Handoff
from trienkhai.notify.messages import renderer
from trienkhai.reports.models import ReportRequest, UnitReport

REQUESTED = "reports.requested"
SENT = "reports.sent"
ACCEPTED = "reports.accepted"
RETURNED = "reports.returned"


def _title(request: ReportRequest) -> str | None:
    if request.directives.filter(classification__gt=0).exists():
        return None
    return request.title[:200]


def _date(iso: str) -> str:
    return date_format(datetime.date.fromisoformat(iso), "SHORT_DATE_FORMAT")


def _shown(title: str | None) -> str:
    return title if title else _("một yêu cầu báo cáo")


def request_made(entry: ChangeLogEntry) -> Handoff | None:
    request = ReportRequest.objects.select_related("unit").filter(pk=entry.object_id).first()
    if request is None:
        return None
    asked = UnitReport.objects.filter(request=request, own=False).values("unit_id")
    return Handoff(
        kind=REQUESTED,
        params={
            "title": _title(request),
            "by": request.unit.name,
            "deadline": request.deadline.isoformat(),
            "units": (entry.after or {}).get("recipients", 0),
        },
        url=reverse("reports-list"),
        unit_id=request.unit_id,
        audiences=(Audience(asked, Role.REPORTER),),
    )


def _report(pk) -> UnitReport | None:
    return UnitReport.objects.select_related("request__unit", "unit").filter(pk=pk).first()


def report_sent(entry: ChangeLogEntry) -> Handoff | None:
    report = _report(entry.object_id)
    if report is None or report.submitted_on is None:
        return None
    return Handoff(
        kind=SENT,
        params={
            "title": _title(report.request),
            "unit": report.unit.name,
            "date": report.submitted_on.isoformat(),
            "late": report.submitted_on > report.due,
        },
        url=reverse("reports-report", args=[report.pk]),
        unit_id=report.request.unit_id,
        audiences=(Audience([report.request.unit_id], Role.COORDINATOR),),
    )


def report_reviewed(entry: ChangeLogEntry) -> Handoff | None:
    report = _report(entry.object_id)
    if report is None:
        return None
    accepted = entry.action == "reports.accept"
    audiences = [Audience([report.unit_id], Role.REPORTER)]
    if report.submitted_by_id:
        audiences.append(Audience([report.unit_id], Role.REPORTER, (report.submitted_by_id,)))
    return Handoff(
        kind=ACCEPTED if accepted else RETURNED,
        params={
            "title": _title(report.request),
            "by": report.request.unit.name,
            "reason": "" if accepted else (entry.after or {}).get("return_reason", ""),
        },
        url=reverse("reports-report", args=[report.pk]),
        unit_id=report.unit_id,
        audiences=tuple(audiences),
    )


HANDOFFS = {
    "reports.create_request": request_made,
    "reports.submit": report_sent,
    "reports.accept": report_reviewed,
    "reports.return": report_reviewed,
}


@renderer(REQUESTED)
def render_requested(p: dict) -> tuple[str, str]:
    title = _("Yêu cầu báo cáo: %(title)s") % {"title": _shown(p.get("title"))}
    body = _("%(by)s yêu cầu gửi báo cáo trước ngày %(deadline)s.") % {
        "by": p["by"],
        "deadline": _date(p["deadline"]),
    }
    return title, body


@renderer(SENT)
def render_sent(p: dict) -> tuple[str, str]:
    title = _("%(unit)s đã gửi báo cáo: %(title)s") % {
        "unit": p["unit"],
        "title": _shown(p.get("title")),
    }
    body = _("Gửi ngày %(date)s.") % {"date": _date(p["date"])}
    if p.get("late"):
        body += " " + _("Gửi sau hạn.")
    return title, body + " " + _("Hãy xem xét: chấp nhận hoặc trả lại.")


@renderer(ACCEPTED)
def render_accepted(p: dict) -> tuple[str, str]:
    title = _("Báo cáo được chấp nhận: %(title)s") % {"title": _shown(p.get("title"))}
    return title, _("%(by)s đã chấp nhận báo cáo.") % {"by": p["by"]}


@renderer(RETURNED)
def render_returned(p: dict) -> tuple[str, str]:
    title = _("Báo cáo bị trả lại: %(title)s") % {"title": _shown(p.get("title"))}
    body = _("%(by)s trả lại báo cáo. Lý do: %(reason)s") % {
        "by": p["by"],
        "reason": p.get("reason") or "",
    }
    return title, body
