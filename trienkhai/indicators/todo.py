"""The indicator lines of a person's work list (`home.todo`): indicators of the current year at
risk at a unit where the person reports (red: act now; orange: soon), each linking to the
indicator's panel at that unit, where the value is reported; explanations asked of those units
(to answer by their date), and, for the level that asked, the answers of the last week."""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Grant, Role
from trienkhai.accounts.roles import roles_granting
from trienkhai.accounts.scope import granted_units, holds, is_global, unit_scope
from trienkhai.core.todo import SHOWN, Todo, Urgency, by_due, more
from trienkhai.indicators import queries, risk
from trienkhai.indicators.handoffs import link


def _to_answer(user, today) -> list[Todo]:
    rows = list(
        queries.visible_explanations(user)
        .filter(answered_at__isnull=True, unit_id__in=granted_units(user, Role.REPORTER))
        .select_related("indicator", "unit")
        .order_by("answer_by", "id")[:SHOWN]
    )
    return [
        Todo(
            by_due(e.answer_by, today),
            _("Giải trình chỉ tiêu"),
            f"{e.indicator.code} {e.indicator.name}",
            link(e),
            unit=e.unit.name,
            due=e.answer_by,
            detail=e.question[:200],
        )
        for e in rows
    ]


def _answers_to_read(user, today) -> list[Todo]:
    """Answers of the last week to explanations asked of a unit whose parent the user
    coordinates (by the user, or by someone no longer known)."""
    since = today - datetime.timedelta(days=7)
    rows = list(
        queries.visible_explanations(user)
        .filter(unit_scope(user, "unit__parent", Role.COORDINATOR), answered_at__date__gte=since)
        .filter(Q(requested_by=user) | Q(requested_by__isnull=True))
        .select_related("indicator", "unit")
        .order_by("-answered_at", "-id")[:SHOWN]
    )
    return [
        Todo(
            Urgency.WAITING,
            _("Đọc giải trình chỉ tiêu"),
            f"{e.indicator.code}: {e.answer[:200]}",
            link(e),
            unit=e.unit.name,
        )
        for e in rows
    ]


def todo(user, today: datetime.date) -> list[Todo]:
    out = []
    if holds(user, Role.REPORTER):
        out += _to_answer(user, today)
    if is_global(user) or holds(user, Role.COORDINATOR):
        out += _answers_to_read(user, today)
    return out + _at_risk(user, today)


def _at_risk(user, today: datetime.date) -> list[Todo]:
    mine = (
        Grant.objects.filter(user=user, role__in=sorted(roles_granting(Role.REPORTER)))
        .select_related("unit")
        .order_by("unit__path")[:SHOWN]
    )
    lines = []
    for grant in mine:
        for entry in queries.unit_overview(user, grant.unit, today):
            for line in entry["lines"]:
                if line.colour not in (risk.RED, risk.ORANGE):
                    continue
                lines.append(
                    Todo(
                        Urgency.NOW if line.colour == risk.RED else Urgency.SOON,
                        _("Chỉ tiêu có nguy cơ không đạt"),
                        f"{line.indicator.code} {line.indicator.name}",
                        reverse("indicators-set", args=[entry["set"].pk])
                        + f"?unit={grant.unit.pk}&indicator={line.indicator.pk}",
                        unit=grant.unit.name,
                        detail=str(line.risk.label),
                        at_risk=True,
                    )
                )
    lines.sort(key=lambda t: Urgency.ORDER.index(t.urgency))
    if len(lines) > SHOWN:
        rest = len(lines) - SHOWN
        lines = lines[:SHOWN] + [
            more(
                lines[SHOWN].urgency,
                _("Chỉ tiêu có nguy cơ không đạt"),
                rest,
                reverse("indicators-list"),
            )
        ]
    return lines
