"""The reports' lines of a person's work list (`home.todo`): reports my units owe (to draft,
returned to fix, each by its due date) and, for the requesting unit's coordinators, the reports
sent up and waiting for a decision."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import granted_units, holds, is_global, unit_scope
from trienkhai.core.todo import Todo, Urgency, by_due, lines
from trienkhai.reports.models import ReportState
from trienkhai.reports.queries import visible_reports

OWED = (ReportState.NOT_STARTED, ReportState.DRAFT, ReportState.RETURNED)


def _owed(user, today) -> list[Todo]:
    qs = (
        visible_reports(user)
        .filter(unit_id__in=granted_units(user, Role.REPORTER), state__in=OWED, own=False)
        .select_related("request", "unit")
        .order_by("due", "id")
    )

    def make(r):
        returned = r.state == ReportState.RETURNED
        return Todo(
            Urgency.NOW if returned and r.due >= today else by_due(r.due, today, Urgency.LATER),
            _("Báo cáo bị trả lại") if returned else _("Báo cáo phải gửi"),
            r.request.title,
            reverse("reports-report", args=[r.pk]),
            unit=r.unit.name,
            due=r.due,
            detail=r.return_reason[:200] if returned else "",
        )

    return lines(qs, make, _("Báo cáo phải gửi"), reverse("reports-list"))


def _to_review(user, today) -> list[Todo]:
    qs = (
        visible_reports(user)
        .filter(unit_scope(user, "request__unit", Role.COORDINATOR), state=ReportState.SUBMITTED)
        .select_related("request", "unit")
        .order_by("submitted_on", "id")
    )

    def make(r):
        return Todo(
            Urgency.WAITING,
            _("Duyệt báo cáo gửi lên"),
            r.request.title,
            reverse("reports-report", args=[r.pk]),
            unit=r.unit.name,
            due=r.due,
            detail=_("Gửi ngày %(date)s") % {"date": r.submitted_on.strftime("%d/%m/%Y")},
        )

    return lines(qs, make, _("Duyệt báo cáo gửi lên"), reverse("reports-list") + "?waiting=1")


def todo(user, today: datetime.date) -> list[Todo]:
    out = []
    if holds(user, Role.REPORTER):
        out += _owed(user, today)
    if is_global(user) or holds(user, Role.COORDINATOR):
        out += _to_review(user, today)
    return out
