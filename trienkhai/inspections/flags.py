"""Flags for the annual evaluation: open remediation and violations found by inspections.

Providers answer for many organisations at once (one grouped query each); the evaluations app
decides whose flags it shows, so these read the records without a user's scope.
"""

import datetime
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from trienkhai.evaluations.flags import Flag
from trienkhai.inspections.models import Finding, FindingKind, RemediationRequest
from trienkhai.inspections.queries import open_q


def requests_url(unit_id: int, as_of: datetime.date) -> str:
    query = {"owner": unit_id, "status": "pending", "as_of": as_of.strftime("%d/%m/%Y")}
    return reverse("inspections-requests") + "?" + urlencode(query)


def violations_url(unit_id: int, year: int) -> str:
    query = {"unit": unit_id, "year": year, "finding": FindingKind.VIOLATION}
    return reverse("inspections-list") + "?" + urlencode(query)


def open_remediation(unit_ids, year, as_of) -> dict:
    rows = (
        RemediationRequest.objects.filter(owner_id__in=list(unit_ids))
        .filter(open_q(as_of))
        .values("owner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        r["owner_id"]: [
            Flag(
                kind="open_remediation",
                text=_("%(n)s yêu cầu khắc phục sau kiểm tra, giám sát chưa hoàn thành")
                % {"n": r["n"]},
                url=requests_url(r["owner_id"], as_of),
                count=r["n"],
            )
        ]
        for r in rows
    }


def violations(unit_ids, year, as_of) -> dict:
    rows = (
        Finding.objects.filter(
            kind=FindingKind.VIOLATION,
            part__unit_id__in=list(unit_ids),
            part__inspection__concluded_on__year=year,
            part__inspection__concluded_on__lte=as_of,
        )
        .values("part__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        r["part__unit_id"]: [
            Flag(
                kind="violations",
                text=_("%(n)s vi phạm được kết luận qua kiểm tra, giám sát năm %(year)s")
                % {"n": r["n"], "year": year},
                url=violations_url(r["part__unit_id"], year),
                count=r["n"],
            )
        ]
        for r in rows
    }
