"""Who is told when an explanation is asked on a red indicator, and when it is answered.

- requested: the reporters of the asked unit;
- answered: the coordinators of the unit's parent (the level that asked) and whoever asked.

An indicator's name is stored only when its set's directive is not classified; otherwise the
message shows the indicator's code, and the reader with clearance follows the link.
"""

import datetime

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.core.models import ChangeLogEntry
from trienkhai.indicators.models import Explanation
from trienkhai.notify.handoffs import Audience, Handoff
from trienkhai.notify.messages import renderer

REQUESTED = "indicators.explanation_requested"
ANSWERED = "indicators.explanation_answered"


def _explanation(pk) -> Explanation | None:
    return (
        Explanation.objects.select_related(
            "indicator__indicator_set__document", "unit", "requested_by"
        )
        .filter(pk=pk)
        .first()
    )


def link(e: Explanation) -> str:
    return (
        reverse("indicators-set", args=[e.indicator.indicator_set_id])
        + f"?unit={e.unit_id}&indicator={e.indicator_id}#explanations"
    )


def _params(e: Explanation) -> dict:
    classified = bool(e.indicator.indicator_set.document.classification)
    return {
        "code": e.indicator.code,
        "indicator": None if classified else e.indicator.name[:200],
        "unit": e.unit.name,
        "by": e.requested_by.get_full_name() or e.requested_by.username if e.requested_by else "",
        "answer_by": e.answer_by.isoformat(),
    }


def explanation_requested(entry: ChangeLogEntry) -> Handoff | None:
    e = _explanation(entry.object_id)
    if e is None:
        return None
    return Handoff(
        kind=REQUESTED,
        params={**_params(e), "question": e.question[:1000]},
        url=link(e),
        unit_id=e.unit_id,
        audiences=(Audience([e.unit_id], Role.REPORTER),),
    )


def explanation_answered(entry: ChangeLogEntry) -> Handoff | None:
    e = _explanation(entry.object_id)
    if e is None or e.unit.parent_id is None:
        return None
    audiences = [Audience([e.unit.parent_id], Role.COORDINATOR)]
    if e.requested_by_id:
        audiences.append(Audience([e.unit.parent_id], Role.COORDINATOR, (e.requested_by_id,)))
    return Handoff(
        kind=ANSWERED,
        params={**_params(e), "answer": e.answer[:1000]},
        url=link(e),
        unit_id=e.unit.parent_id,
        audiences=tuple(audiences),
    )


HANDOFFS = {
    "indicators.request_explanation": explanation_requested,
    "indicators.answer_explanation": explanation_answered,
}


def _name(p: dict) -> str:
    return f"{p['code']} {p['indicator']}" if p.get("indicator") else p["code"]


@renderer(REQUESTED)
def render_requested(p: dict) -> tuple[str, str]:
    title = _("Yêu cầu giải trình chỉ tiêu: %(indicator)s") % {"indicator": _name(p)}
    body = _("%(by)s yêu cầu %(unit)s giải trình (hạn %(due)s): %(question)s") % {
        "by": p["by"],
        "unit": p["unit"],
        "due": date_format(datetime.date.fromisoformat(p["answer_by"]), "SHORT_DATE_FORMAT"),
        "question": p["question"],
    }
    return title, body


@renderer(ANSWERED)
def render_answered(p: dict) -> tuple[str, str]:
    title = _("%(unit)s đã giải trình chỉ tiêu: %(indicator)s") % {
        "unit": p["unit"],
        "indicator": _name(p),
    }
    return title, p["answer"]
