"""Remediation coming due, and overdue: told once each to the reporters of the unit that owns it.

A daily task (from `TRIENKHAI_REMEDIATION_REMINDER_HOUR`, default 07:00 local) finds the open
requests (not reported, not closed) whose deadline falls within `TRIENKHAI_REMINDER_DAYS`, and
those past it, and hands each to `notify.handoffs.deliver_handoff` under the key
"remediation-due:<id>" or "remediation-overdue:<id>": a request already told is skipped in SQL,
so each is said once, whichever day and however often the task runs.
"""

import datetime

from django.conf import settings
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.core.background import daily, job
from trienkhai.inspections.handoffs import date_text, request_params
from trienkhai.inspections.models import RemediationRequest, RequestState
from trienkhai.notify.handoffs import Audience, Handoff, deliver_handoff
from trienkhai.notify.messages import renderer
from trienkhai.notify.models import Notification

DUE = "inspections.remediation_due"
OVERDUE = "inspections.remediation_overdue"
OPEN = (RequestState.OPEN, RequestState.IN_PROGRESS)


def _untold(requests, prefix: str):
    key = Concat(Value(prefix), Cast("pk", CharField()), output_field=CharField())
    told = Notification.objects.filter(key=OuterRef("event_key"))
    return requests.annotate(event_key=key).exclude(Exists(told))


def remind(day: datetime.date | None = None, *, days: int | None = None) -> dict:
    day = day or timezone.localdate()
    days = int(settings.TRIENKHAI_REMINDER_DAYS if days is None else days)
    open_requests = RemediationRequest.objects.filter(state__in=OPEN).select_related(
        "owner", "inspection__unit"
    )
    batches = (
        (DUE, "remediation-due:", open_requests.filter(
            deadline__gte=day, deadline__lte=day + datetime.timedelta(days=days)
        )),
        (OVERDUE, "remediation-overdue:", open_requests.filter(deadline__lt=day)),
    )  # fmt: skip
    counts = {DUE: 0, OVERDUE: 0}
    for kind, prefix, requests in batches:
        for req in _untold(requests, prefix).order_by("pk").iterator(chunk_size=500):
            handoff = Handoff(
                kind=kind,
                params=request_params(req),
                url=reverse("inspections-request", args=[req.pk]),
                unit_id=req.owner_id,
                audiences=(Audience([req.owner_id], Role.REPORTER),),
            )
            counts[kind] += deliver_handoff(handoff, req.event_key)["notified"]
    return {"day": day.isoformat(), "due": counts[DUE], "overdue": counts[OVERDUE]}


@job()
def remediation_reminders(day: str | None = None) -> dict:
    return remind(datetime.date.fromisoformat(day) if day else None)


daily(remediation_reminders, hour_setting="TRIENKHAI_REMEDIATION_REMINDER_HOUR", default_hour=7)


@renderer(DUE)
def render_due(p: dict) -> tuple[str, str]:
    title = _("Sắp đến hạn khắc phục (%(deadline)s): %(inspection)s") % {
        "deadline": date_text(p["deadline"]),
        "inspection": p["inspection"],
    }
    return title, _("%(by)s yêu cầu %(unit)s khắc phục: %(text)s") % p


@renderer(OVERDUE)
def render_overdue(p: dict) -> tuple[str, str]:
    title = _("Quá hạn khắc phục (hạn %(deadline)s): %(inspection)s") % {
        "deadline": date_text(p["deadline"]),
        "inspection": p["inspection"],
    }
    return title, _("%(by)s yêu cầu %(unit)s khắc phục: %(text)s") % p
