"""The period's rules applied: which level a score allows, and the cap on the top level.

One place answers both questions, for the actions (which refuse), the screens and the API (which
show), so a level and a cap are never judged two ways.

The cap, as this product reads "at most 20% of those rated tốt": among the organisations whose
classification the same deciding unit decides in the period, the number decided "Hoàn thành xuất
sắc nhiệm vụ" may not exceed `cap_percent` % of those rated good-or-better (excellent included).
Undecided organisations count in that base at their latest level (proposed, else self-rated), so
a standing committee may decide in any order; the top-level count is of decisions only.
"""

import decimal
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from trienkhai.core.actions import ActionError
from trienkhai.evaluations.models import GOOD_OR_BETTER, Evaluation, EvaluationPeriod, Level


def _n(value) -> str:
    if value is None:
        return "—"
    value = decimal.Decimal(value).normalize()
    places = max(0, -value.as_tuple().exponent)
    return number_format(value, places)


def label(level: str) -> str:
    return str(Level(level).label) if level else "—"


def score_level(period: EvaluationPeriod, total) -> str:
    """The level the total score reaches, before the top level's conditions."""
    if total >= period.excellent_min:
        return Level.EXCELLENT
    if total >= period.good_min:
        return Level.GOOD
    if total >= period.complete_min:
        return Level.COMPLETE
    return Level.NOT_COMPLETE


def unmet_excellent_conditions(period: EvaluationPeriod, on_time, exceeded) -> list[str]:
    """Sentences naming each unmet condition of the top level (empty: all met)."""
    unmet = []
    if on_time is None or on_time < period.excellent_on_time_min:
        unmet.append(
            _("tỷ lệ nhiệm vụ hoàn thành đúng hạn %(value)s%% (cần %(min)s%%)")
            % {"value": _n(on_time), "min": _n(period.excellent_on_time_min)}
        )
    if exceeded is None or exceeded < period.excellent_exceeded_min:
        unmet.append(
            _("tỷ lệ chỉ tiêu vượt mức %(value)s%% (cần từ %(min)s%%)")
            % {"value": _n(exceeded), "min": _n(period.excellent_exceeded_min)}
        )
    return unmet


def allowed_level(period, total, on_time, exceeded, disqualifiers) -> str:
    if disqualifiers:
        return Level.NOT_COMPLETE
    level = score_level(period, total)
    if level == Level.EXCELLENT and unmet_excellent_conditions(period, on_time, exceeded):
        return Level.GOOD
    return level


def check_scores(period: EvaluationPeriod, general, results) -> decimal.Decimal:
    """Refuse scores outside the scale; return the total."""
    for value, maximum, field, part in (
        (general, period.general_max, "general", _("phần chung")),
        (results, period.results_max, "results", _("phần kết quả")),
    ):
        if value is None:
            raise ActionError(_("Hãy nhập điểm %(part)s.") % {"part": part}, field=field)
        if value < 0 or value > maximum:
            raise ActionError(
                _("Điểm %(part)s phải từ 0 đến %(max)s.") % {"part": part, "max": _n(maximum)},
                field=field,
            )
    return general + results


def check_disqualifiers(period: EvaluationPeriod, ticked) -> list[str]:
    ticked = list(ticked or [])
    unknown = [d for d in ticked if d not in period.disqualifiers]
    if unknown:
        raise ActionError(
            _("Điều kiện không có trong quy định của kỳ: %(text)s") % {"text": unknown[0]},
            field="disqualifiers",
        )
    return [d for d in period.disqualifiers if d in ticked]


def check_level(period, *, level, total, on_time, exceeded, disqualifiers) -> None:
    """Refuse a level that the score, the top level's conditions and the ticked disqualifying
    conditions do not allow, naming what decides it."""
    if level not in Level.values:
        raise ActionError(_("Hãy chọn mức xếp loại."), field="level")
    expected = allowed_level(period, total, on_time, exceeded, disqualifiers)
    if level == expected:
        return
    if disqualifiers:
        raise ActionError(
            _(
                "Tổ chức thuộc trường hợp “%(condition)s”: chỉ được xếp loại “%(level)s”, "
                "không phải “%(chosen)s”."
            )
            % {"condition": disqualifiers[0], "level": label(expected), "chosen": label(level)},
            field="level",
        )
    if score_level(period, total) == Level.EXCELLENT and expected == Level.GOOD:
        raise ActionError(
            _(
                "Tổng điểm %(total)s đạt ngưỡng xuất sắc nhưng chưa đủ điều kiện xếp loại "
                "“%(excellent)s”: %(unmet)s. Mức đúng là “%(level)s”."
            )
            % {
                "total": _n(total),
                "excellent": label(Level.EXCELLENT),
                "unmet": "; ".join(unmet_excellent_conditions(period, on_time, exceeded)),
                "level": label(expected),
            },
            field="level",
        )
    raise ActionError(
        _(
            "Mức “%(chosen)s” không khớp với tổng điểm %(total)s: theo ngưỡng của kỳ "
            "(xuất sắc từ %(excellent)s, tốt từ %(good)s, hoàn thành từ %(complete)s), "
            "mức đúng là “%(level)s”."
        )
        % {
            "chosen": label(level),
            "total": _n(total),
            "excellent": period.excellent_min,
            "good": period.good_min,
            "complete": period.complete_min,
            "level": label(expected),
        },
        field="level",
    )


# --- the cap -------------------------------------------------------------------------------


@dataclass
class CapStatus:
    cap_percent: int
    excellent: int  # decided at the top level
    base: int  # rated good-or-better (decided, else proposed, else self-rated)

    @property
    def allowed(self) -> int:
        return self.cap_percent * self.base // 100

    @property
    def exceeded(self) -> bool:
        return self.excellent * 100 > self.cap_percent * self.base

    @property
    def full(self) -> bool:
        """One more top-level decision would exceed the cap."""
        return (self.excellent + 1) * 100 > self.cap_percent * self.base

    @property
    def text(self) -> str:
        return _(
            "%(excellent)s/%(allowed)s tổ chức được quyết định “%(level)s” (tối đa %(cap)s%% "
            "của %(base)s tổ chức xếp loại tốt trở lên)"
        ) % {
            "excellent": self.excellent,
            "allowed": self.allowed,
            "level": label(Level.EXCELLENT),
            "cap": self.cap_percent,
            "base": self.base,
        }


def effective_level(decided: str, reviewed: str, self_rated: str) -> str:
    return decided or reviewed or self_rated


def cap_status(period: EvaluationPeriod, rows) -> CapStatus:
    """Cap figures from (decided_level, review_level, self_level) rows of one deciding unit."""
    excellent = base = 0
    for decided, reviewed, self_rated in rows:
        excellent += decided == Level.EXCELLENT
        base += effective_level(decided, reviewed, self_rated) in GOOD_OR_BETTER
    return CapStatus(period.cap_percent, excellent, base)


def cap_after_decision(evaluation: Evaluation, level: str) -> CapStatus:
    """The deciding unit's cap figures if `evaluation` were decided at `level`.

    Counts every evaluation the unit decides in the period (the action's own read, unscoped:
    the cap is a property of the deciding unit, not of what one user sees).
    """
    others = (
        Evaluation.objects.filter(period=evaluation.period_id, decider=evaluation.decider_id)
        .exclude(pk=evaluation.pk)
        .values_list("decided_level", "review_level", "self_level")
    )
    status = cap_status(evaluation.period, others)
    status.excellent += level == Level.EXCELLENT
    status.base += level in GOOD_OR_BETTER
    return status
