"""Warnings (never refusals) against the limits of Quy định 296-QĐ/TW, read from settings."""

import datetime
import math

from django.utils.translation import gettext as _

from trienkhai.inspections.conf import limits
from trienkhai.tree.kinds import COMMUNE_LEVEL, SUPPORT_KINDS, UnitKind


def level_of(unit) -> str | None:
    """The level whose limit applies: a support body works at its committee's level."""
    kind = unit.kind
    if kind in SUPPORT_KINDS and unit.parent is not None:
        kind = unit.parent.kind
    if kind == UnitKind.CENTRAL:
        return "central"
    if kind in (UnitKind.PROVINCE, UnitKind.CENTRAL_ORG):
        return "provincial"
    if kind == UnitKind.DISTRICT or kind in COMMUNE_LEVEL:
        return "above_grassroots"
    return None


def _years_later(date: datetime.date, years: int) -> datetime.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def warnings_for(inspection) -> list[str]:
    conf = limits()
    out = []
    years = conf["max_period_years"]
    if inspection.period_from and inspection.period_to:
        if inspection.period_to > _years_later(inspection.period_from, years):
            out.append(
                _("Thời kỳ kiểm tra dài hơn %(n)s năm (từ %(start)s đến %(end)s).")
                % {
                    "n": years,
                    "start": inspection.period_from.strftime("%d/%m/%Y"),
                    "end": inspection.period_to.strftime("%d/%m/%Y"),
                }
            )
    level = level_of(inspection.unit)
    limit = conf.get(level) if level else None
    if limit and inspection.work_from and inspection.work_to:
        days = (inspection.work_to - inspection.work_from).days + 1
        if days > limit:
            out.append(
                _("Thời gian làm việc %(days)s ngày, vượt giới hạn %(limit)s ngày của cấp này.")
                % {"days": days, "limit": limit}
            )
        if inspection.work_extended_to:
            extra = (inspection.work_extended_to - inspection.work_to).days
            allowed = math.floor(limit * conf["extension_fraction"])
            if extra > allowed:
                out.append(
                    _("Gia hạn %(days)s ngày, vượt mức tối đa %(allowed)s ngày (một phần ba).")
                    % {"days": extra, "allowed": allowed}
                )
    return out
