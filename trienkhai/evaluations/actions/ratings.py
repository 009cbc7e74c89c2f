"""The steps of an evaluation (periods and their rules are in `periods`).

Who does what:
- a period's rules: an administrator of the period's unit;
- opening the evaluations of a unit's organisations, deciding, notifying: a coordinator of that
  (deciding) unit, i.e. its standing committee;
- self-rating: a reporter of the organisation itself;
- review and proposal, or returning the evaluation to the organisation before the decision: a
  coordinator of the deciding unit or of its organisation commission.
"""

import datetime
import decimal

from django.db import transaction
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.accounts.scope import reaches_unit
from trienkhai.core.actions import (
    ActionError,
    PermissionRefused,
    StaleEdit,
    check_version,
    record,
    snapshot,
)
from trienkhai.core.dates import check_date, today
from trienkhai.evaluations import rules
from trienkhai.evaluations.models import Evaluation, EvaluationPeriod, Level, State
from trienkhai.tree.kinds import SUPPORT_KINDS, UnitKind
from trienkhai.units.models import Unit

__all__ = ["StaleEdit", "CapBlocked"]

EVALUATION_ACTIONS = (
    "evaluations.self_rate",
    "evaluations.review",
    "evaluations.return",
    "evaluations.decide",
    "evaluations.decide_over_cap",
    "evaluations.notify",
)
KEEP = object()  # "leave this value as it is" for optional corrections


class CapBlocked(ActionError):
    """A top-level decision beyond the period's cap, refused until a reason is recorded."""

    def __init__(self, message, *, status: rules.CapStatus):
        super().__init__(message, field="override_reason")
        self.status = status


# --- opening the evaluations of a deciding unit ----------------------------------------------


def reviewing_body(decider: Unit) -> Unit:
    """The decider's organisation commission if it has an open one, else the decider itself."""
    commission = (
        Unit.objects.filter(
            parent=decider, kind=UnitKind.ORGANISATION_COMMISSION, valid_to__isnull=True
        )
        .order_by("path")
        .first()
    )
    return commission or decider


def evaluated_children(period: EvaluationPeriod, decider: Unit):
    """The party organisations directly under `decider` that were open at the period's end."""
    return (
        Unit.objects.filter(parent=decider, valid_from__lte=period.ends_on)
        .exclude(kind__in=sorted(SUPPORT_KINDS))
        .exclude(valid_to__lte=period.ends_on)
        .order_by("path")
    )


@transaction.atomic
def open_evaluations(actor, period: EvaluationPeriod, decider: Unit) -> int:
    """Create the missing evaluations of the organisations the unit decides on; return how many."""
    require(actor, Role.COORDINATOR, decider)
    if not decider.path.startswith(period.unit.path):
        raise ActionError(
            _("%(unit)s không thuộc phạm vi áp dụng của kỳ đánh giá này.") % {"unit": decider.name},
            field="unit",
        )
    reviewer = reviewing_body(decider)
    have = Evaluation.objects.filter(period=period, unit__parent=decider).values("unit_id")
    created = 0
    for unit in evaluated_children(period, decider).exclude(pk__in=have):
        ev = Evaluation.objects.create(period=period, unit=unit, decider=decider, reviewer=reviewer)
        record(actor, "evaluations.open", ev, unit=unit, after=snapshot(ev))
        created += 1
    return created


# --- the steps -------------------------------------------------------------------------------


def _locked(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("period", "unit", "decider", "reviewer")
        .get(pk=evaluation.pk)
    )


def _decimal(value, field, hi, what):
    if value in (None, ""):
        return None
    try:
        number = decimal.Decimal(str(value).replace(",", "."))
    except decimal.InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not 0 <= number <= hi:
        raise ActionError(
            _("%(what)s phải là số từ 0 đến %(hi)s.") % {"what": what, "hi": hi}, field=field
        )
    return number.quantize(decimal.Decimal("0.1"))


def _score(value, field):
    number = _decimal(value, field, 1000, _("Điểm"))
    if number is None:
        raise ActionError(_("Hãy nhập điểm."), field=field)
    return number


def _percent(value, field, what):
    return _decimal(value, field, 100, what)


def _date(value, field, *, not_before: datetime.date, what: str) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise ActionError(_("Hãy nhập %(what)s.") % {"what": what}, field=field)
    check_date(value, field)
    if value > today():
        raise ActionError(
            _("%(what)s không được sau hôm nay.") % {"what": what.capitalize()}, field=field
        )
    if value < not_before:
        raise ActionError(
            _("%(what)s không được trước ngày %(date)s.")
            % {"what": what.capitalize(), "date": not_before.strftime("%d/%m/%Y")},
            field=field,
        )
    return value


def _members(members: dict | None) -> dict:
    out = {}
    for key in ("excellent", "good", "complete", "not_complete", "not_rated"):
        value = (members or {}).get(key, 0)
        try:
            number = int(value or 0)
        except (TypeError, ValueError):
            number = -1
        if number < 0:
            raise ActionError(_("Số đảng viên phải là số nguyên không âm."), field=f"members_{key}")
        out[f"members_{key}"] = number
    return out


def _state_refusal(ev: Evaluation, allowed: tuple[str, ...], message: str) -> None:
    if ev.state not in allowed:
        raise ActionError(message % {"state": ev.get_state_display()})


@transaction.atomic
def self_rate(
    actor,
    evaluation: Evaluation,
    *,
    general,
    results,
    level: str,
    on_time_percent=None,
    exceeded_percent=None,
    disqualifiers=(),
    narrative: str = "",
    members: dict | None = None,
    rated_on: datetime.date | None = None,
    expected_version=None,
) -> Evaluation:
    """The organisation scores itself and proposes its level (again, until it is reviewed, or
    after the evaluation was returned to it)."""
    ev = _locked(evaluation)
    require(actor, Role.REPORTER, ev.unit)
    check_version(ev, expected_version, snapshot(ev), EVALUATION_ACTIONS)
    _state_refusal(
        ev,
        (State.OPEN, State.RETURNED, State.SELF_RATED),
        _("Bản đánh giá đang ở bước “%(state)s”: không sửa được phần tự đánh giá."),
    )
    period = ev.period
    rated_on = _date(
        rated_on or today(),
        "rated_on",
        not_before=max(period.starts_on, ev.returned_on or period.starts_on),
        what=_("ngày tự đánh giá"),
    )
    general, results = _score(general, "general"), _score(results, "results")
    total = rules.check_scores(period, general, results)
    on_time = _percent(on_time_percent, "on_time_percent", _("Tỷ lệ nhiệm vụ đúng hạn"))
    exceeded = _percent(exceeded_percent, "exceeded_percent", _("Tỷ lệ chỉ tiêu vượt mức"))
    ticked = rules.check_disqualifiers(period, disqualifiers)
    rules.check_level(
        period, level=level, total=total, on_time=on_time, exceeded=exceeded, disqualifiers=ticked
    )
    counts = _members(members)
    before = snapshot(ev)
    ev.self_general, ev.self_results, ev.self_level = general, results, level
    ev.self_disqualifiers, ev.self_narrative = ticked, (narrative or "").strip()
    ev.on_time_percent, ev.exceeded_percent = on_time, exceeded
    for key, value in counts.items():
        setattr(ev, key, value)
    ev.self_rated_on = rated_on
    ev.self_rated_by = actor if getattr(actor, "pk", None) else None
    ev.state = State.SELF_RATED
    ev.version += 1
    ev.save()
    record(actor, "evaluations.self_rate", ev, unit=ev.unit, before=before, after=snapshot(ev))
    return ev


def _require_reviewer(actor, ev: Evaluation) -> None:
    try:
        require(actor, Role.COORDINATOR, ev.decider)
    except PermissionRefused:
        if ev.reviewer_id == ev.decider_id:
            raise
        require(actor, Role.COORDINATOR, ev.reviewer)


@transaction.atomic
def review(
    actor,
    evaluation: Evaluation,
    *,
    general,
    results,
    level: str,
    disqualifiers=(),
    narrative: str = "",
    reviewed_on: datetime.date | None = None,
    on_time_percent=KEEP,
    exceeded_percent=KEEP,
    expected_version=None,
) -> Evaluation:
    """The reviewing body scores the organisation again and proposes its level to the decider."""
    ev = _locked(evaluation)
    _require_reviewer(actor, ev)
    check_version(ev, expected_version, snapshot(ev), EVALUATION_ACTIONS)
    _state_refusal(
        ev,
        (State.SELF_RATED, State.REVIEWED),
        _("Bản đánh giá đang ở bước “%(state)s”: không thẩm định được."),
    )
    period = ev.period
    reviewed_on = _date(
        reviewed_on or today(), "reviewed_on", not_before=ev.self_rated_on, what=_("ngày thẩm định")
    )
    general, results = _score(general, "general"), _score(results, "results")
    total = rules.check_scores(period, general, results)
    on_time = (
        ev.on_time_percent
        if on_time_percent is KEEP
        else _percent(on_time_percent, "on_time_percent", _("Tỷ lệ nhiệm vụ đúng hạn"))
    )
    exceeded = (
        ev.exceeded_percent
        if exceeded_percent is KEEP
        else _percent(exceeded_percent, "exceeded_percent", _("Tỷ lệ chỉ tiêu vượt mức"))
    )
    ticked = rules.check_disqualifiers(period, disqualifiers)
    rules.check_level(
        period, level=level, total=total, on_time=on_time, exceeded=exceeded, disqualifiers=ticked
    )
    before = snapshot(ev)
    ev.review_general, ev.review_results, ev.review_level = general, results, level
    ev.review_disqualifiers, ev.review_narrative = ticked, (narrative or "").strip()
    ev.on_time_percent, ev.exceeded_percent = on_time, exceeded
    ev.reviewed_on = reviewed_on
    ev.reviewed_by = actor if getattr(actor, "pk", None) else None
    ev.state = State.REVIEWED
    ev.version += 1
    ev.save()
    record(actor, "evaluations.review", ev, unit=ev.unit, before=before, after=snapshot(ev))
    return ev


@transaction.atomic
def return_to_organisation(
    actor,
    evaluation: Evaluation,
    *,
    reason: str,
    returned_on: datetime.date | None = None,
    expected_version=None,
) -> Evaluation:
    """Send the evaluation back to the organisation, before the decision, with a reason.

    Self-rating reopens; a proposal already made is withdrawn (its values stay in the change
    log, with the reason), so the organisation's new self-rating is reviewed afresh. Every user
    of the organisation gets an in-app message with the reason.
    """
    ev = _locked(evaluation)
    _require_reviewer(actor, ev)
    check_version(ev, expected_version, snapshot(ev), EVALUATION_ACTIONS)
    _state_refusal(
        ev,
        (State.SELF_RATED, State.REVIEWED),
        _(
            "Bản đánh giá đang ở bước “%(state)s”: chỉ trả lại được sau khi tổ chức tự đánh giá "
            "và trước khi quyết định."
        ),
    )
    reason = (reason or "").strip()
    if not reason:
        raise ActionError(_("Hãy ghi rõ lý do trả lại tổ chức."), field="reason")
    returned_on = _date(
        returned_on or today(), "returned_on", not_before=ev.self_rated_on, what=_("ngày trả lại")
    )
    before = snapshot(ev)
    ev.review_general = ev.review_results = ev.reviewed_on = ev.reviewed_by = None
    ev.review_level, ev.review_narrative, ev.review_disqualifiers = "", "", []
    ev.return_reason = reason
    ev.returned_on = returned_on
    ev.returned_by = actor if getattr(actor, "pk", None) else None
    ev.state = State.RETURNED
    ev.version += 1
    ev.save()
    record(actor, "evaluations.return", ev, unit=ev.unit, before=before, after=snapshot(ev))
    return ev


def who_returned(actor, ev: Evaluation) -> str:
    """The deciding unit when the actor coordinates it, else the reviewing body."""
    return (
        ev.decider.name if reaches_unit(actor, ev.decider, Role.COORDINATOR) else ev.reviewer.name
    )


@transaction.atomic
def decide(
    actor,
    evaluation: Evaluation,
    *,
    level: str,
    general=None,
    results=None,
    disqualifiers=None,
    note: str = "",
    decided_on: datetime.date | None = None,
    override_reason: str = "",
    expected_version=None,
) -> Evaluation:
    """The standing committee of the level above decides (again, until it is notified).

    Scores and disqualifying conditions default to the proposal's. A top-level decision that
    would take the deciding unit beyond the period's cap is refused with `CapBlocked` unless a
    reason is given; the reason is stored on the evaluation and in the change log.
    """
    ev = _locked(evaluation)
    require(actor, Role.COORDINATOR, ev.decider)
    check_version(ev, expected_version, snapshot(ev), EVALUATION_ACTIONS)
    _state_refusal(
        ev,
        (State.REVIEWED, State.DECIDED),
        _("Bản đánh giá đang ở bước “%(state)s”: chưa thể hoặc không còn quyết định được."),
    )
    period = ev.period
    decided_on = _date(
        decided_on or today(), "decided_on", not_before=ev.reviewed_on, what=_("ngày quyết định")
    )
    general = ev.review_general if general in (None, "") else _score(general, "general")
    results = ev.review_results if results in (None, "") else _score(results, "results")
    total = rules.check_scores(period, general, results)
    ticked = rules.check_disqualifiers(
        period, ev.review_disqualifiers if disqualifiers is None else disqualifiers
    )
    rules.check_level(
        period,
        level=level,
        total=total,
        on_time=ev.on_time_percent,
        exceeded=ev.exceeded_percent,
        disqualifiers=ticked,
    )
    # Serialise decisions of one deciding unit, so two at once cannot both pass the cap.
    list(
        Evaluation.objects.select_for_update(of=("self",))
        .filter(period=ev.period_id, decider=ev.decider_id)
        .values_list("pk", flat=True)
    )
    reason = " ".join((override_reason or "").split())
    status = rules.cap_after_decision(ev, level)
    over_cap = level == Level.EXCELLENT and status.exceeded
    if over_cap and not reason:
        raise CapBlocked(
            _(
                "Không thể quyết định “%(level)s”: %(unit)s sẽ có %(n)s tổ chức xếp loại xuất "
                "sắc, vượt tỷ lệ %(cap)s%% của %(base)s tổ chức xếp loại tốt trở lên (tối đa "
                "%(allowed)s). Nếu vẫn quyết định, hãy ghi rõ lý do vượt tỷ lệ."
            )
            % {
                "level": rules.label(level),
                "unit": ev.decider.name,
                "n": status.excellent,
                "cap": status.cap_percent,
                "base": status.base,
                "allowed": status.allowed,
            },
            status=status,
        )
    before = snapshot(ev)
    ev.final_general, ev.final_results, ev.decided_level = general, results, level
    ev.decided_disqualifiers, ev.decision_note = ticked, (note or "").strip()
    ev.cap_override_reason = reason if over_cap else ""
    ev.decided_on = decided_on
    ev.decided_by = actor if getattr(actor, "pk", None) else None
    ev.state = State.DECIDED
    ev.version += 1
    ev.save()
    action = "evaluations.decide_over_cap" if over_cap else "evaluations.decide"
    record(actor, action, ev, unit=ev.unit, before=before, after=snapshot(ev))
    return ev


@transaction.atomic
def notify(
    actor,
    evaluation: Evaluation,
    *,
    notified_on: datetime.date | None = None,
    expected_version=None,
) -> Evaluation:
    """Tell the organisation the decision: the step is dated and logged, and every user of the
    organisation gets an in-app message linking to the evaluation (`evaluations.handoffs`,
    queued when this commits)."""
    ev = _locked(evaluation)
    require(actor, Role.COORDINATOR, ev.decider)
    check_version(ev, expected_version, snapshot(ev), EVALUATION_ACTIONS)
    _state_refusal(
        ev,
        (State.DECIDED,),
        _("Bản đánh giá đang ở bước “%(state)s”: chỉ thông báo được sau khi đã quyết định."),
    )
    notified_on = _date(
        notified_on or today(), "notified_on", not_before=ev.decided_on, what=_("ngày thông báo")
    )
    before = snapshot(ev)
    ev.notified_on = notified_on
    ev.notified_by = actor if getattr(actor, "pk", None) else None
    ev.state = State.NOTIFIED
    ev.version += 1
    ev.save()
    record(actor, "evaluations.notify", ev, unit=ev.unit, before=before, after=snapshot(ev))
    return ev
