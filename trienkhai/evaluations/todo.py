"""The classification lines of a person's work list (`home.todo`).

An organisation's reporters (`actions.ratings.self_rate`) rate it: returned to them, now;
otherwise by the period's end (`ends_on`, the only date a period sets): past it, now (the level
above cannot decide without it), within the week, soon, else later. The coordinators of the
reviewing body or of the deciding level review the self-ratings; those of the deciding level
decide the proposals and notify the decisions. Each line goes to the people of that very unit
(a grant on it): `actions.ratings` lets those above act too, but it is not their daily work.
Nothing here is classified: ratings name organisations and periods, never a document.
"""

import datetime

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import granted_units, holds
from trienkhai.core.todo import SHOWN, Todo, Urgency, by_due, lines, more
from trienkhai.evaluations.models import Evaluation, Level, State


def _granted(user, field: str, role: str) -> Q:
    """The evaluation's `field` unit is one where the user holds a grant for `role` on that very
    unit: the organisation's own reporters rate it, the deciding level's own coordinators decide
    (not everyone whose reach covers them). The database starts from the user's few grants."""
    return Q(**{f"{field}__in": granted_units(user, role)})


def _self_ratings(user, today) -> list[Todo]:
    qs = (
        Evaluation.objects.filter(
            _granted(user, "unit", Role.REPORTER), state__in=(State.OPEN, State.RETURNED)
        )
        .select_related("period", "unit")
        .order_by("period__ends_on", "id")
    )

    def make(ev) -> Todo:
        returned = ev.state == State.RETURNED
        urgency = by_due(ev.period.ends_on, today)
        if returned or urgency == Urgency.OVERDUE:
            urgency = Urgency.NOW
        return Todo(
            urgency,
            _("Tự đánh giá, xếp loại"),
            ev.period.name,
            reverse("evaluations-self-rating", args=[ev.pk]),
            unit=ev.unit.name,
            due=ev.period.ends_on,
            detail=_("Bị trả lại: %(reason)s") % {"reason": ev.return_reason[:200]}
            if returned
            else "",
        )

    return lines(qs, make, _("Tự đánh giá, xếp loại"), reverse("evaluations-list"))


# The steps waiting for the level above: the state, the line's kind, the form, the level the
# last step gave and how the line says it.
STEPS = (
    (
        State.SELF_RATED,
        gettext_lazy("Thẩm định, đề xuất xếp loại"),
        "evaluations-review",
        "self_level",
        gettext_lazy("Tự xếp loại: %(level)s"),
    ),
    (
        State.REVIEWED,
        gettext_lazy("Quyết định xếp loại"),
        "evaluations-decide",
        "review_level",
        gettext_lazy("Đề xuất: %(level)s"),
    ),
    (
        State.DECIDED,
        gettext_lazy("Thông báo kết quả xếp loại"),
        "evaluations-notify",
        "decided_level",
        gettext_lazy("Đã quyết định: %(level)s"),
    ),
)


def _waiting(user) -> list[Todo]:
    """Evaluations waiting for the user's reviewing or deciding body, per step: the first few of
    each and how many each holds, in one query (a window per state)."""
    deciding = _granted(user, "decider", Role.COORDINATOR)
    reviewing = deciding | _granted(user, "reviewer", Role.COORDINATOR)
    scope = (Q(state=State.SELF_RATED) & reviewing) | (
        Q(state__in=(State.REVIEWED, State.DECIDED)) & deciding
    )
    order = [F("period__ends_on"), F("unit__path"), F("id")]
    qs = (
        Evaluation.objects.filter(scope)
        .select_related("period", "unit")
        .annotate(
            todo_rank=Window(RowNumber(), partition_by=[F("state")], order_by=order),
            todo_total=Window(Count("id"), partition_by=[F("state")]),
        )
        .filter(todo_rank__lte=SHOWN + 1)
        .order_by("period__ends_on", "unit__path", "id")
    )
    rows = list(qs)
    full_list = reverse("evaluations-list")
    out = []
    for state, kind, url_name, field, said in STEPS:
        mine = [ev for ev in rows if ev.state == state]
        for ev in mine[:SHOWN]:
            level = getattr(ev, field)
            out.append(
                Todo(
                    Urgency.WAITING,
                    str(kind),
                    ev.period.name,
                    reverse(url_name, args=[ev.pk]),
                    unit=ev.unit.name,
                    detail=str(said) % {"level": Level(level).label} if level else "",
                )
            )
        if len(mine) > SHOWN:
            out.append(more(Urgency.WAITING, str(kind), mine[0].todo_total - SHOWN, full_list))
    return out


def todo(user, today: datetime.date) -> list[Todo]:
    # Every line reads the user's own grants (`_granted`): without the role, it is empty.
    out = _self_ratings(user, today) if holds(user, Role.REPORTER) else []
    if holds(user, Role.COORDINATOR):
        out += _waiting(user)
    return out
