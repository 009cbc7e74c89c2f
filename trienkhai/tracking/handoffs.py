"""Who is told what when work changes hands in tracking (delivered by `notify.handoffs`).

- a task assigned: the reporters of each newly assigned unit (the fan-out's own change-log rows
  name the units, so nothing else is stored);
- a progress report submitted: the coordinators of the assigning unit (its reviewers);
- a report accepted or returned: the reporters of the assigned unit and whoever submitted it,
  with the reason when returned;
- an explanation requested: the reporters of the assigned unit; answered: the coordinators of
  the assigning unit and whoever asked.

A task's title is stored only when its plan's document is not classified; otherwise the message
shows the task's mask, and the reader with clearance follows the link.
"""

import datetime

from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from trienkhai.accounts.classified import mask_word
from trienkhai.accounts.models import Role
from trienkhai.core.models import ChangeLogEntry
from trienkhai.notify.handoffs import Audience, Handoff, only_if
from trienkhai.notify.messages import renderer
from trienkhai.tracking.models import Assignment, ExplanationRequest, ProgressReport, Task

ASSIGNED = "tracking.assigned"
SUBMITTED = "tracking.report_submitted"
ACCEPTED = "tracking.report_accepted"
RETURNED = "tracking.report_returned"
EXPLAIN = "tracking.explanation_requested"
ANSWERED = "tracking.explanation_answered"
BACKWARDS = 1000  # change-log rows looked at before the event for its fan-out's last one


def _task_title(task: Task) -> str | None:
    document = task.plan.document
    return None if document.classification else task.title[:200]


def _shown(title: str | None) -> str:
    return mask_word(Task, "title") if title is None else title


def _date(iso: str) -> str:
    return date_format(datetime.date.fromisoformat(iso), "SHORT_DATE_FORMAT")


def _assignment_params(a: Assignment) -> dict:
    return {
        "task": _task_title(a.task),
        "unit": a.unit.name,
        "assigned_by": a.assigned_by.name,
        "due": a.due.isoformat(),
    }


def _assignment(pk) -> Assignment | None:
    return (
        Assignment.objects.select_related("task__plan__document", "unit", "assigned_by")
        .filter(pk=pk)
        .first()
    )


# --- handlers: change-log entry -> Handoff ----------------------------------------------------


def _last_assignment(entry: ChangeLogEntry, task: Task) -> int:
    """The task's highest assignment id when `entry` was written: the id of the fan-out's last
    change-log row just before it (its object), else the task's highest now."""
    row = (
        ChangeLogEntry.objects.filter(
            pk__lt=entry.pk,
            pk__gte=entry.pk - BACKWARDS,
            action="tracking.assign",
            after__task=task.pk,
        )
        .order_by("-pk")
        .values_list("object_id", flat=True)
        .first()
    )
    if row is not None:
        return int(row)
    return Assignment.objects.filter(task=task).order_by("-id").values_list("id", flat=True)[0]


@only_if(lambda entry: bool((entry.after or {}).get("created")))
def task_assigned(entry: ChangeLogEntry) -> Handoff | None:
    task = (
        Task.objects.select_related("plan__unit", "plan__document")
        .filter(pk=entry.object_id)
        .first()
    )
    if task is None or not (entry.after or {}).get("created"):
        return None
    # Under the task's lock the fan-out added the task's newest `created` assignments, read
    # back along the (task, id) index. (A later fan-out of the same task, run before this task,
    # would be counted here too: its own event then tells nobody twice, by the key.)
    created = int(entry.after["created"])
    new_units = (
        Assignment.objects.filter(task=task, id__lte=_last_assignment(entry, task))
        .order_by("-id")
        .values("unit_id")[:created]
    )
    first_due = task.occurrences.order_by("due").values_list("due", flat=True).first()
    return Handoff(
        kind=ASSIGNED,
        params={
            "task": _task_title(task),
            "plan": task.plan.document.symbol,
            "assigned_by": task.plan.unit.name,
            "units": created,
            "due": first_due.isoformat() if first_due else None,
        },
        url=reverse("tracking-task", args=[task.pk]),
        unit_id=task.plan.unit_id,
        audiences=(Audience(new_units, Role.REPORTER),),
    )


def report_submitted(entry: ChangeLogEntry) -> Handoff | None:
    report = ProgressReport.objects.filter(pk=entry.object_id).first()
    a = report and _assignment(report.assignment_id)
    if a is None:
        return None
    return Handoff(
        kind=SUBMITTED,
        params={
            **_assignment_params(a),
            "percent": report.percent,
            "done": report.done,
            "reported_on": report.reported_on.isoformat(),
        },
        url=reverse("tracking-assignment", args=[a.pk]),
        unit_id=a.unit_id,
        audiences=(Audience([a.assigned_by_id], Role.COORDINATOR),),
    )


def report_reviewed(entry: ChangeLogEntry) -> Handoff | None:
    report = ProgressReport.objects.filter(pk=entry.object_id).first()
    a = report and _assignment(report.assignment_id)
    if a is None:
        return None
    accepted = entry.action == "tracking.accept_report"
    audiences = [Audience([a.unit_id], Role.REPORTER)]
    if report.submitted_by_id:
        audiences.append(Audience([a.unit_id], Role.REPORTER, (report.submitted_by_id,)))
    params = {**_assignment_params(a), "reported_on": report.reported_on.isoformat()}
    if not accepted:
        params["reason"] = (entry.after or {}).get("return_reason", report.return_reason)
    return Handoff(
        kind=ACCEPTED if accepted else RETURNED,
        params=params,
        url=reverse("tracking-assignment", args=[a.pk]),
        unit_id=a.unit_id,
        audiences=tuple(audiences),
    )


def explanation_requested(entry: ChangeLogEntry) -> Handoff | None:
    request = ExplanationRequest.objects.filter(pk=entry.object_id).first()
    a = request and _assignment(request.assignment_id)
    if a is None:
        return None
    return Handoff(
        kind=EXPLAIN,
        params={**_assignment_params(a), "question": request.question[:1000]},
        url=reverse("tracking-assignment", args=[a.pk]),
        unit_id=a.unit_id,
        audiences=(Audience([a.unit_id], Role.REPORTER),),
    )


def explanation_answered(entry: ChangeLogEntry) -> Handoff | None:
    request = ExplanationRequest.objects.filter(pk=entry.object_id).first()
    a = request and _assignment(request.assignment_id)
    if a is None:
        return None
    audiences = [Audience([a.assigned_by_id], Role.COORDINATOR)]
    if request.requested_by_id:
        audiences.append(Audience([a.assigned_by_id], Role.COORDINATOR, (request.requested_by_id,)))
    return Handoff(
        kind=ANSWERED,
        params={**_assignment_params(a), "answer": request.answer[:1000]},
        url=reverse("tracking-assignment", args=[a.pk]),
        unit_id=a.assigned_by_id,
        audiences=tuple(audiences),
    )


HANDOFFS = {
    "tracking.assign_task": task_assigned,
    "tracking.report": report_submitted,
    "tracking.accept_report": report_reviewed,
    "tracking.return_report": report_reviewed,
    "tracking.request_explanation": explanation_requested,
    "tracking.answer_explanation": explanation_answered,
}


# --- renderers: params -> (title, body) in the reader's language ------------------------------


@renderer(ASSIGNED)
def render_assigned(p: dict) -> tuple[str, str]:
    title = _("Nhiệm vụ mới: %(task)s") % {"task": _shown(p["task"])}
    body = _("%(by)s giao nhiệm vụ theo %(plan)s cho %(n)s đơn vị.") % {
        "by": p["assigned_by"],
        "plan": p["plan"],
        "n": number_format(p["units"], force_grouping=True),
    }
    if p.get("due"):
        body += " " + _("Hạn đầu tiên: %(due)s.") % {"due": _date(p["due"])}
    return title, body


@renderer(SUBMITTED)
def render_submitted(p: dict) -> tuple[str, str]:
    if p["done"]:
        title = _("%(unit)s báo cáo hoàn thành, chờ duyệt: %(task)s")
    else:
        title = _("%(unit)s báo cáo tiến độ %(percent)s%%: %(task)s")
    title = title % {"unit": p["unit"], "task": _shown(p["task"]), "percent": p["percent"]}
    body = _("Báo cáo ngày %(date)s, hạn %(due)s. Hãy xem xét: chấp nhận hoặc trả lại.") % {
        "date": _date(p["reported_on"]),
        "due": _date(p["due"]),
    }
    return title, body


@renderer(ACCEPTED)
def render_accepted(p: dict) -> tuple[str, str]:
    title = _("Báo cáo được chấp nhận: %(task)s") % {"task": _shown(p["task"])}
    body = _("%(by)s đã chấp nhận báo cáo ngày %(date)s của %(unit)s.") % {
        "by": p["assigned_by"],
        "date": _date(p["reported_on"]),
        "unit": p["unit"],
    }
    return title, body


@renderer(RETURNED)
def render_returned(p: dict) -> tuple[str, str]:
    title = _("Báo cáo bị trả lại: %(task)s") % {"task": _shown(p["task"])}
    body = _("%(by)s trả lại báo cáo ngày %(date)s của %(unit)s. Lý do: %(reason)s") % {
        "by": p["assigned_by"],
        "date": _date(p["reported_on"]),
        "unit": p["unit"],
        "reason": p.get("reason") or "",
    }
    return title, body


@renderer(EXPLAIN)
def render_explain(p: dict) -> tuple[str, str]:
    title = _("Yêu cầu giải trình: %(task)s") % {"task": _shown(p["task"])}
    body = _("%(by)s yêu cầu %(unit)s giải trình (hạn %(due)s): %(question)s") % {
        "by": p["assigned_by"],
        "unit": p["unit"],
        "due": _date(p["due"]),
        "question": p["question"],
    }
    return title, body


@renderer(ANSWERED)
def render_answered(p: dict) -> tuple[str, str]:
    title = _("%(unit)s đã giải trình: %(task)s") % {"unit": p["unit"], "task": _shown(p["task"])}
    return title, p["answer"]
