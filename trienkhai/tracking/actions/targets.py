"""A task's numeric target split among the units it is assigned to, or set per unit.

The task holds the whole target (`Task.target_value`, its unit of measure, direction and how it
adds up); each assignment of a period holds the unit's share (`Assignment.target`). A count
(`sum`) is split evenly, or in proportion to a weight per unit (its members, its cells …), in
whole units (hundredths when the target has decimals) that add up exactly to the task's target
— the remainder going to the largest fractions, then in tree order; a rate or an average
(`average`) gives every unit the task's value. By hand, the assigning coordinator sets one
unit's share at a time, with the version of the assignment the form started from.
"""

import decimal

from django.db import transaction
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.core.actions import ActionError, Change, check_version, record_many, snapshot
from trienkhai.tracking.models import Assignment, Occurrence, TargetAggregation, Task

MAX_TARGET = decimal.Decimal("999999999999.99")


def parse_amount(value, field: str = "target"):
    """A non-negative number typed the Vietnamese way ("1.500" or "12,5") or a Decimal; None
    for an empty value."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, decimal.Decimal)):
        amount = decimal.Decimal(value)
    else:
        text = str(value).strip().replace(" ", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
            text = text.replace(".", "")  # "1.500": a thousands separator
        try:
            amount = decimal.Decimal(text)
        except decimal.InvalidOperation:
            raise ActionError(_("Hãy nhập một số (ví dụ 50 hoặc 12,5)."), field=field) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_TARGET:
        raise ActionError(_("Hãy nhập một số không âm, không quá 12 chữ số."), field=field)
    return amount.quantize(decimal.Decimal("0.01"))


def even_shares(total: decimal.Decimal, n: int, aggregation: str) -> list[decimal.Decimal]:
    """The shares of `n` units: an even split of a count that adds up to `total` exactly (whole
    units when the total is whole, else hundredths), or `total` each for a rate or average."""
    if n <= 0:
        return []
    if aggregation != TargetAggregation.SUM:
        return [total] * n
    quantum = decimal.Decimal(1) if total == total.to_integral_value() else decimal.Decimal("0.01")
    steps = int(total / quantum)
    base, extra = divmod(steps, n)
    return [(base + (1 if i < extra else 0)) * quantum for i in range(n)]


def weighted_shares(
    total: decimal.Decimal, weights: list[decimal.Decimal], aggregation: str
) -> list[decimal.Decimal]:
    """The shares of units weighing `weights`: a count split in proportion (largest remainder,
    so the shares add up to `total` exactly), or `total` each for a rate or average."""
    if aggregation != TargetAggregation.SUM:
        return [total] * len(weights)
    whole = sum(weights, decimal.Decimal(0))
    if whole <= 0:
        raise ActionError(_("Tổng trọng số phải lớn hơn 0."), field="weights")
    quantum = decimal.Decimal(1) if total == total.to_integral_value() else decimal.Decimal("0.01")
    steps = int(total / quantum)
    exact = [decimal.Decimal(steps) * w / whole for w in weights]
    floors = [int(x) for x in exact]
    left = steps - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [n * quantum for n in floors]


def parse_weights(raw: dict, unit_ids: list[int]) -> list[decimal.Decimal]:
    """The weight typed for each unit ({unit id or "w<id>": text}), in `unit_ids`' order; each
    missing or bad one named in the refusal."""
    weights = []
    for unit_id in unit_ids:
        text = raw.get(unit_id, raw.get(f"w{unit_id}", raw.get(str(unit_id))))
        weight = parse_amount(text, field=f"w{unit_id}")
        if weight is None:
            raise ActionError(_("Hãy nhập trọng số cho mọi đơn vị."), field=f"w{unit_id}")
        weights.append(weight)
    return weights


def _check_task(actor, task: Task) -> Task:
    task = Task.objects.select_related("plan__unit").get(pk=task.pk)
    require(actor, Role.COORDINATOR, task.plan.unit)
    return task


@transaction.atomic
def split_target(
    actor, task: Task, *, occurrence: Occurrence, expected_version=None, weights=None
) -> int:
    """Split the task's target among the units of one period, evenly or (`weights`, {unit id:
    weight}, one for every unit) in proportion; returns how many shares.

    Refused without a target on the task or with no unit assigned for the period; the version
    is the task's (its target may have changed since the page was opened)."""
    task = _check_task(actor, task)
    check_version(task, expected_version, snapshot(task), ("tracking.update_task",))
    if task.target_value is None:
        raise ActionError(_("Nhiệm vụ chưa có chỉ tiêu: hãy nhập chỉ tiêu trước."), field="split")
    if occurrence.task_id != task.pk:
        raise ActionError(_("Kỳ này không thuộc nhiệm vụ."), field="occurrence")
    rows = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(task=task, occurrence=occurrence)
        .select_related("unit")
        .order_by("unit_path", "id")
    )
    if not rows:
        raise ActionError(_("Kỳ này chưa giao cho đơn vị nào."), field="split")
    if weights is None:
        shares = even_shares(task.target_value, len(rows), task.target_aggregation)
    else:
        parsed = parse_weights(weights, [a.unit_id for a in rows])
        shares = weighted_shares(task.target_value, parsed, task.target_aggregation)
    changes = []
    changed = []
    for a, share in zip(rows, shares, strict=True):
        if a.target == share:
            continue
        before = snapshot(a)
        a.target = share
        a.version += 1
        changed.append(a)
        changes.append(Change(a, a.unit, before, snapshot(a)))
    if changed:
        Assignment.objects.bulk_update(changed, ["target", "version"], batch_size=500)
        record_many(actor, "tracking.set_target", changes)
    return len(rows)


@transaction.atomic
def set_target(actor, assignment: Assignment, *, value, expected_version=None) -> Assignment:
    """One unit's share of the task's target, set by hand by the assigning coordinator (None
    removes it: the unit then counts in no reached-against-target figure)."""
    a = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("assigned_by", "unit", "task")
        .get(pk=assignment.pk)
    )
    require(actor, Role.COORDINATOR, a.assigned_by)
    check_version(a, expected_version, snapshot(a), ("tracking.set_target", "tracking.progress"))
    value = parse_amount(value)
    if a.target == value:
        return a
    before = snapshot(a)
    a.target = value
    a.version += 1
    a.save(update_fields=["target", "version"])
    record_many(actor, "tracking.set_target", [Change(a, a.unit, before, snapshot(a))])
    return a
