"""Who is told what when a rating changes hands (delivered by `notify.handoffs`).

- the decision notified, and the evaluation returned to the organisation (with the reason): the
  reporters of the organisation itself (at the nearest level, so an organisation without
  accounts is told through those who report for it above).
"""

import datetime

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.core.models import ChangeLogEntry
from trienkhai.evaluations import rules
from trienkhai.evaluations.models import Evaluation
from trienkhai.notify.handoffs import Audience, Handoff
from trienkhai.notify.messages import renderer

DECIDED = "evaluations.decided"
RETURNED = "evaluations.returned"


def _date(iso: str) -> str:
    return date_format(datetime.date.fromisoformat(iso), "SHORT_DATE_FORMAT")


def _evaluation(entry: ChangeLogEntry) -> Evaluation | None:
    return (
        Evaluation.objects.select_related("unit", "decider", "reviewer", "period")
        .filter(pk=entry.object_id)
        .first()
    )


def _handoff(ev: Evaluation, kind: str, params: dict) -> Handoff:
    return Handoff(
        kind=kind,
        params={"year": ev.period.year, "unit": ev.unit.name, **params},
        url=reverse("evaluations-detail", args=[ev.pk]),
        unit_id=ev.unit_id,
        audiences=(Audience([ev.unit_id], Role.REPORTER),),
    )


def decided(entry: ChangeLogEntry) -> Handoff | None:
    ev = _evaluation(entry)
    if ev is None or not ev.decided_level:
        return None
    return _handoff(
        ev,
        DECIDED,
        {
            "level": ev.decided_level,
            "decider": ev.decider.name,
            "date": ev.decided_on.isoformat(),
        },
    )


def returned(entry: ChangeLogEntry) -> Handoff | None:
    from trienkhai.evaluations.actions.ratings import who_returned

    ev = _evaluation(entry)
    after = entry.after or {}
    if ev is None or not after.get("returned_on"):
        return None
    return _handoff(
        ev,
        RETURNED,
        {
            "by": who_returned(entry.user, ev),
            "date": after["returned_on"],
            "reason": after.get("return_reason", ""),
        },
    )


HANDOFFS = {"evaluations.notify": decided, "evaluations.return": returned}


@renderer(DECIDED)
def render_decided(p: dict) -> tuple[str, str]:
    title = _("Kết quả xếp loại chất lượng năm %(year)s của %(unit)s: %(level)s") % {
        "year": p["year"],
        "unit": p["unit"],
        "level": rules.label(p["level"]),
    }
    body = _("%(decider)s đã quyết định ngày %(date)s.") % {
        "decider": p["decider"],
        "date": _date(p["date"]),
    }
    return title, body


@renderer(RETURNED)
def render_returned(p: dict) -> tuple[str, str]:
    title = _("Bản đánh giá, xếp loại năm %(year)s của %(unit)s được trả lại") % {
        "year": p["year"],
        "unit": p["unit"],
    }
    body = _("%(by)s trả lại ngày %(date)s để tự đánh giá lại. Lý do: %(reason)s") % {
        "by": p["by"],
        "date": _date(p["date"]),
        "reason": p["reason"],
    }
    return title, body
