"""Writes of an evaluation period and its rules (an administrator of the period's unit).

Rules are data, copied from the settings' defaults when the period is created; the scale, the
thresholds and the cap cannot change once any decision was taken under them.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.core.actions import ActionError, check_version, record, snapshot
from trienkhai.evaluations import conf
from trienkhai.evaluations.models import Evaluation, EvaluationPeriod, State
from trienkhai.units.models import Unit

RULE_FIELDS = (
    "general_max",
    "results_max",
    "excellent_min",
    "excellent_on_time_min",
    "excellent_exceeded_min",
    "good_min",
    "complete_min",
    "cap_percent",
)


def _int(value, field, lo, hi) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not lo <= number <= hi:
        raise ActionError(
            _("Giá trị phải là số nguyên từ %(lo)s đến %(hi)s.") % {"lo": lo, "hi": hi}, field=field
        )
    return number


def _clean_rules(values: dict, year: int) -> dict:
    """Check a period's rules as a whole; refuse the first inconsistency, naming its field."""
    out = {}
    out["general_max"] = _int(values["general_max"], "general_max", 1, 1000)
    out["results_max"] = _int(values["results_max"], "results_max", 1, 1000)
    total = out["general_max"] + out["results_max"]
    for field in ("excellent_min", "good_min", "complete_min"):
        out[field] = _int(values[field], field, 0, total)
    for field in ("excellent_on_time_min", "excellent_exceeded_min", "cap_percent"):
        out[field] = _int(values[field], field, 0, 100)
    if not out["complete_min"] < out["good_min"] < out["excellent_min"]:
        raise ActionError(
            _(
                "Các ngưỡng phải tăng dần: hoàn thành < tốt < xuất sắc (hiện là %(c)s, %(g)s, "
                "%(e)s)."
            )
            % {"c": out["complete_min"], "g": out["good_min"], "e": out["excellent_min"]},
            field="good_min",
        )
    disqualifiers = []
    for text in values.get("disqualifiers") or []:
        text = " ".join(str(text).split())
        if text and text not in disqualifiers:
            disqualifiers.append(text[:300])
    out["disqualifiers"] = disqualifiers
    ends_on = values.get("ends_on") or datetime.date(year, 12, 31)
    if not isinstance(ends_on, datetime.date) or ends_on.year != year:
        raise ActionError(
            _("Ngày cuối kỳ phải thuộc năm %(year)s.") % {"year": year}, field="ends_on"
        )
    out["ends_on"] = ends_on
    return out


def default_rules() -> dict:
    d = conf.defaults()
    return {
        "general_max": d["GENERAL_MAX"],
        "results_max": d["RESULTS_MAX"],
        "excellent_min": d["EXCELLENT_MIN"],
        "excellent_on_time_min": d["EXCELLENT_ON_TIME_MIN"],
        "excellent_exceeded_min": d["EXCELLENT_EXCEEDED_MIN"],
        "good_min": d["GOOD_MIN"],
        "complete_min": d["COMPLETE_MIN"],
        "cap_percent": d["CAP_PERCENT"],
        "disqualifiers": d["DISQUALIFIERS"],
    }


@transaction.atomic
def create_period(actor, *, unit: Unit, year, name: str = "", **rule_values) -> EvaluationPeriod:
    """A year's period with the default rules (from settings) unless given."""
    require(actor, Role.ADMINISTRATOR, unit)
    year = _int(year, "year", 2000, 2100)
    if EvaluationPeriod.objects.filter(unit=unit, year=year).exists():
        raise ActionError(
            _("Đã có kỳ đánh giá năm %(year)s của %(unit)s.") % {"year": year, "unit": unit.name},
            field="year",
        )
    values = {**default_rules(), **{k: v for k, v in rule_values.items() if v is not None}}
    cleaned = _clean_rules(values, year)
    name = (name or "").strip() or _("Đánh giá, xếp loại chất lượng tổ chức đảng năm %(year)s") % {
        "year": year
    }
    period = EvaluationPeriod.objects.create(unit=unit, year=year, name=name[:200], **cleaned)
    record(actor, "evaluations.create_period", period, unit=unit, after=snapshot(period))
    return period


def decisions_taken(period: EvaluationPeriod) -> int:
    """How many evaluations of the period have been decided (or decided and notified)."""
    return Evaluation.objects.filter(
        period=period, state__in=(State.DECIDED, State.NOTIFIED)
    ).count()


def _refuse_rule_change(period: EvaluationPeriod, cleaned: dict) -> None:
    """Once a decision exists, the scale, thresholds and cap are fixed: a level decided under
    one set of rules must not be reread under another. The name, the end date and the list of
    disqualifying conditions stay editable."""
    changed = [f for f in RULE_FIELDS if cleaned[f] != getattr(period, f)]
    if not changed:
        return
    taken = decisions_taken(period)
    if taken:
        raise ActionError(
            _(
                "Kỳ đánh giá đã có %(n)s quyết định xếp loại: không thể thay đổi thang điểm, "
                "ngưỡng xếp loại hay tỷ lệ xuất sắc tối đa của kỳ."
            )
            % {"n": taken},
            field=changed[0],
        )


@transaction.atomic
def update_period(actor, period: EvaluationPeriod, *, expected_version=None, name=None, **values):
    """Edit the rules. The scale, thresholds and cap are refused once any decision exists."""
    period = EvaluationPeriod.objects.select_for_update().select_related("unit").get(pk=period.pk)
    require(actor, Role.ADMINISTRATOR, period.unit)
    check_version(period, expected_version, snapshot(period), ("evaluations.update_period",))
    current = {f: getattr(period, f) for f in (*RULE_FIELDS, "disqualifiers", "ends_on")}
    cleaned = _clean_rules(
        {**current, **{k: v for k, v in values.items() if v is not None}}, period.year
    )
    _refuse_rule_change(period, cleaned)
    before = snapshot(period)
    for field, value in cleaned.items():
        setattr(period, field, value)
    if name is not None and name.strip():
        period.name = name.strip()[:200]
    period.version += 1
    period.save()
    record(
        actor,
        "evaluations.update_period",
        period,
        unit=period.unit,
        before=before,
        after=snapshot(period),
    )
    return period
