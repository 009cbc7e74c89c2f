"""Explanations on red indicators (giải trình): the level above asks, the unit answers once.

Who: a coordinator over the unit's parent (the level that gave or passed the target down) asks;
a reporter of the unit answers. Asking is refused unless the indicator is red at the unit on the
day of asking (the colour and figures the asker saw are kept with the request), and while an
earlier request on the same indicator and unit is still unanswered.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.core.actions import ActionError, record, snapshot
from trienkhai.core.dates import check_date
from trienkhai.core.dates import today as current_day
from trienkhai.indicators import queries, risk
from trienkhai.indicators.models import Explanation, Indicator
from trienkhai.units.models import Unit

ANSWER_DAYS = 7  # the default time to answer, as for a task's explanation


def _risk_at(actor, indicator: Indicator, unit: Unit, day: datetime.date) -> risk.Risk:
    lines = queries.unit_lines(actor, indicator.indicator_set, unit, day)
    line = next((ln for ln in lines if ln.indicator.pk == indicator.pk), None)
    return line.risk if line else risk.Risk(risk.NO_TARGET, None, None, None)


@transaction.atomic
def request_explanation(
    actor,
    indicator: Indicator,
    unit: Unit,
    *,
    question: str,
    answer_by: datetime.date | None = None,
) -> Explanation:
    indicator = Indicator.objects.select_related("indicator_set__unit").get(pk=indicator.pk)
    unit = Unit.objects.select_related("parent").get(pk=unit.pk)
    owner = indicator.indicator_set.unit
    if unit.parent is None or unit.pk == owner.pk or not unit.path.startswith(owner.path):
        raise ActionError(
            _("Chỉ yêu cầu giải trình với đơn vị được giao chỉ tiêu từ cấp trên."), field="unit"
        )
    require(actor, Role.COORDINATOR, unit.parent)
    question = (question or "").strip()
    if not question:
        raise ActionError(_("Hãy nêu nội dung yêu cầu giải trình."), field="question")
    if len(question) > 5000:
        raise ActionError(_("Nội dung quá dài (tối đa 5.000 ký tự)."), field="question")
    day = current_day()
    if answer_by is None:
        answer_by = day + datetime.timedelta(days=ANSWER_DAYS)
    if not isinstance(answer_by, datetime.date):
        raise ActionError(_("Hạn giải trình không hợp lệ."), field="answer_by")
    check_date(answer_by, "answer_by")
    if answer_by < day:
        raise ActionError(_("Hạn giải trình không được trước hôm nay."), field="answer_by")
    seen = _risk_at(actor, indicator, unit, day)
    if seen.colour != risk.RED:
        raise ActionError(
            _(
                "Chỉ yêu cầu giải trình khi chỉ tiêu ở mức “%(red)s”; tại %(unit)s chỉ tiêu này "
                "đang ở mức “%(now)s”."
            )
            % {"red": risk.LABELS[risk.RED], "unit": unit.name, "now": seen.label}
        )
    if Explanation.objects.filter(
        indicator=indicator, unit=unit, answered_at__isnull=True
    ).exists():
        raise ActionError(
            _("%(unit)s chưa trả lời yêu cầu giải trình trước về chỉ tiêu này.")
            % {"unit": unit.name}
        )
    made = Explanation.objects.create(
        indicator=indicator,
        unit=unit,
        unit_path=unit.path,
        year=indicator.indicator_set.year,
        projected=seen.projected,
        target=seen.target,
        question=question,
        answer_by=answer_by,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    record(actor, "indicators.request_explanation", made, unit=unit, after=snapshot(made))
    return made


@transaction.atomic
def answer_explanation(actor, explanation: Explanation, *, answer: str) -> Explanation:
    explanation = (
        Explanation.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=explanation.pk)
    )
    require(actor, Role.REPORTER, explanation.unit)
    if explanation.answered_at is not None:
        raise ActionError(_("Yêu cầu giải trình này đã được trả lời."))
    answer = (answer or "").strip()
    if not answer:
        raise ActionError(_("Hãy nhập nội dung giải trình."), field="answer")
    if len(answer) > 10000:
        raise ActionError(_("Nội dung quá dài (tối đa 10.000 ký tự)."), field="answer")
    before = snapshot(explanation)
    explanation.answer = answer
    explanation.answered_by = actor if getattr(actor, "pk", None) else None
    explanation.answered_at = timezone.now()
    explanation.save(update_fields=["answer", "answered_by", "answered_at"])
    record(
        actor,
        "indicators.answer_explanation",
        explanation,
        unit=explanation.unit,
        before=before,
        after=snapshot(explanation),
    )
    return explanation
