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

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Grant, Role
from trienkhai.accounts.roles import roles_granting
from trienkhai.accounts.scope import holds
from trienkhai.core.todo import Todo, Urgency, by_due, lines
from trienkhai.evaluations.models import Evaluation, Level, State


def _granted(user, field: str, role: str) -> Q:
    """The evaluation's `field` unit is one where the user holds a grant for `role` on that very
    unit: the organisation's own reporters rate it, the deciding level's own coordinators decide
    (not everyone whose reach covers them). The database starts from the user's few grants."""
    units = Grant.objects.filter(user=user, role__in=sorted(roles_granting(role)))
    return Q(**{f"{field}__in": units.values("unit_id")})


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


def _waiting(user, kind, state, url_name, scope, field, said) -> list[Todo]:
    """Evaluations at `state` in `scope`, each with the level its last step gave (`field`)."""
    qs = (
        Evaluation.objects.filter(scope, state=state)
        .select_related("period", "unit")
        .order_by("period__ends_on", "unit__path", "id")
    )

    def make(ev) -> Todo:
        level = getattr(ev, field)
        return Todo(
            Urgency.WAITING,
            kind,
            ev.period.name,
            reverse(url_name, args=[ev.pk]),
            unit=ev.unit.name,
            detail=said % {"level": Level(level).label} if level else "",
        )

    return lines(qs, make, kind, reverse("evaluations-list"))


def todo(user, today: datetime.date) -> list[Todo]:
    # Every line reads the user's own grants (`_granted`): without the role, it is empty.
    out = _self_ratings(user, today) if holds(user, Role.REPORTER) else []
    if not holds(user, Role.COORDINATOR):
        return out
    deciding = _granted(user, "decider", Role.COORDINATOR)
    reviewing = deciding | _granted(user, "reviewer", Role.COORDINATOR)
    return (
        out
        + _waiting(
            user,
            _("Thẩm định, đề xuất xếp loại"),
            State.SELF_RATED,
            "evaluations-review",
            reviewing,
            "self_level",
            _("Tự xếp loại: %(level)s"),
        )
        + _waiting(
            user,
            _("Quyết định xếp loại"),
            State.REVIEWED,
            "evaluations-decide",
            deciding,
            "review_level",
            _("Đề xuất: %(level)s"),
        )
        + _waiting(
            user,
            _("Thông báo kết quả xếp loại"),
            State.DECIDED,
            "evaluations-notify",
            deciding,
            "decided_level",
            _("Đã quyết định: %(level)s"),
        )
    )
