"""The indicator lines of a person's work list (`home.todo`): indicators of the current year at
risk at a unit where the person reports (red: act now; orange: soon), each linking to the
indicator's panel at that unit, where the value is reported."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Grant, Role
from trienkhai.accounts.roles import roles_granting
from trienkhai.core.todo import SHOWN, Todo, Urgency, more
from trienkhai.indicators import queries, risk


def todo(user, today: datetime.date) -> list[Todo]:
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
