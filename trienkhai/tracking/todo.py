"""The tracking lines of a person's work list (`home.todo`): reports my units owe, reports
returned to fix, explanations to give, and the reports and answers waiting for me."""

import datetime

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trienkhai.accounts.classified import mask, restrict
from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import granted_units, holds, is_global, unit_scope
from trienkhai.core.todo import Todo, Urgency
from trienkhai.tracking.models import Assignment, ExplanationRequest, ProgressReport, ReportState
from trienkhai.tracking.review_queue import waiting_count, waiting_page
from trienkhai.tracking.risk import is_at_risk

SHOWN = 5  # lines of one kind before a line that counts the rest
SOON_DAYS = 7


def own_assignments(user):
    """Assignments of the units where the user reports (as on "Việc của tôi").

    The units are those of the user's reporter grants, a handful: the database starts from
    them (`asg_unit_due`), not from every assignment of a province coordinator's subtree. Each
    such unit is within the user's reach, so no further scope is needed."""
    return Assignment.objects.filter(unit_id__in=granted_units(user, Role.REPORTER))


def _more(urgency, kind, n, url) -> Todo:
    return Todo(
        urgency,
        kind,
        ngettext("Còn %(n)s việc nữa", "Còn %(n)s việc nữa", n) % {"n": n},
        url,
        count=n,
    )


def _owed(user, today) -> list[Todo]:
    """Open shares of my units due within the week or already overdue, soonest first: the first
    few of each and how many each holds, in one query (a window per urgency)."""
    horizon = today + datetime.timedelta(days=SOON_DAYS)
    late = Case(When(due__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField())
    part = {"partition_by": [late]}
    qs = (
        restrict(
            own_assignments(user).filter(
                completed_on__isnull=True, claimed_on__isnull=True, due__lte=horizon
            ),
            user,
        )
        .select_related("unit", "task__plan__document", "occurrence")
        .annotate(
            todo_rank=Window(RowNumber(), order_by=[F("due"), F("id")], **part),
            todo_total=Window(Count("id"), **part),
        )
        .filter(todo_rank__lte=SHOWN + 1)
        .order_by("due", "id")
    )
    rows = list(qs)
    risky = {a.pk for a in rows if is_at_risk(a, today)}  # each row holds its period's start
    my_work = reverse("tracking-my-work")
    out = []
    for urgency, mine in (
        (Urgency.OVERDUE, [a for a in rows if a.due < today]),
        (Urgency.SOON, [a for a in rows if a.due >= today]),
    ):
        for a in mine[:SHOWN]:
            out.append(
                Todo(
                    urgency,
                    _("Báo cáo thực hiện nhiệm vụ"),
                    mask(a, "task.title"),
                    reverse("tracking-assignment", args=[a.pk]) + "#report",
                    unit=a.unit.name,
                    due=a.due,
                    at_risk=a.pk in risky,
                )
            )
        if len(mine) > SHOWN:
            rest = mine[0].todo_total - SHOWN
            out.append(_more(urgency, _("Báo cáo thực hiện nhiệm vụ"), rest, my_work))
    return out


def _returned(user, today) -> list[Todo]:
    """Shares of my units whose latest report came back: fix and send again."""
    newer = ProgressReport.objects.filter(assignment=OuterRef("assignment"), id__gt=OuterRef("id"))
    reports = list(
        ProgressReport.objects.filter(
            state=ReportState.RETURNED,
            assignment__in=own_assignments(user).filter(
                completed_on__isnull=True, claimed_on__isnull=True
            ),
        )
        .exclude(Exists(newer))
        .select_related("assignment__unit", "assignment__task__plan__document")
        .order_by("-reviewed_at", "-id")[:SHOWN]
    )
    if not reports:
        return []
    readable = {
        a.pk: a
        for a in restrict(
            own_assignments(user).filter(pk__in=[r.assignment_id for r in reports]), user
        ).select_related("task")
    }
    return [
        Todo(
            Urgency.NOW,
            _("Báo cáo bị trả lại"),
            mask(readable[r.assignment_id], "task.title"),
            reverse("tracking-assignment", args=[r.assignment_id]) + "#report",
            unit=r.assignment.unit.name,
            due=r.assignment.due,
            detail=_("Lý do: %(reason)s") % {"reason": r.return_reason[:200]},
        )
        for r in reports
        if r.assignment_id in readable
    ]


def _explanations_to_give(user, today) -> list[Todo]:
    rows = list(
        ExplanationRequest.objects.filter(
            answered_at__isnull=True, assignment__in=own_assignments(user)
        )
        .select_related("assignment__unit")
        .order_by("requested_at", "id")[:SHOWN]
    )
    return [
        Todo(
            Urgency.NOW,
            _("Yêu cầu giải trình"),
            e.question[:200],
            reverse("tracking-assignment", args=[e.assignment_id]) + "#explanations",
            unit=e.assignment.unit.name,
            due=e.assignment.due,
        )
        for e in rows
    ]


def _to_review(user, today) -> list[Todo]:
    rows = list(
        waiting_page(user, offset=0, limit=SHOWN + 1).select_related(
            "assignment__unit", "assignment__task__plan__document"
        )
    )
    queue = reverse("tracking-review-queue")
    out = []
    for r in rows[:SHOWN]:
        r.assignment.readable = r.readable
        out.append(
            Todo(
                Urgency.WAITING,
                _("Duyệt báo cáo hoàn thành") if r.done else _("Duyệt báo cáo tiến độ"),
                mask(r.assignment, "task.title"),
                f"{queue}#report-{r.pk}",
                unit=r.assignment.unit.name,
                due=r.assignment.due,
                detail=_("Gửi ngày %(date)s")
                % {"date": r.submitted_at.astimezone().strftime("%d/%m/%Y")},
            )
        )
    if len(rows) > SHOWN:
        out.append(_more(Urgency.WAITING, _("Duyệt báo cáo"), waiting_count(user) - SHOWN, queue))
    return out


def _answers_to_read(user, today) -> list[Todo]:
    """Explanations answered in the last week, to the coordinators of the assigning unit."""
    since = today - datetime.timedelta(days=7)
    rows = list(
        ExplanationRequest.objects.filter(
            unit_scope(user, "assignment__assigned_by", Role.COORDINATOR),
            answered_at__date__gte=since,
        )
        .filter(Q(requested_by=user) | Q(requested_by__isnull=True))
        .select_related("assignment__unit")
        .order_by("-answered_at", "-id")[:SHOWN]
    )
    return [
        Todo(
            Urgency.WAITING,
            _("Đọc giải trình"),
            e.answer[:200],
            reverse("tracking-assignment", args=[e.assignment_id]) + "#explanations",
            unit=e.assignment.unit.name,
        )
        for e in rows
    ]


def todo(user, today: datetime.date) -> list[Todo]:
    out: list[Todo] = []
    if holds(user, Role.REPORTER):  # `own_assignments` reads the user's reporter grants
        out += _owed(user, today) + _returned(user, today) + _explanations_to_give(user, today)
    if is_global(user) or holds(user, Role.COORDINATOR):  # the queue's and answers' scope
        out += _to_review(user, today) + _answers_to_read(user, today)
    return out
