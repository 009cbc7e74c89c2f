"""Fan-out: one Assignment per (occurrence, unit) for every unit a rule selects, in bulk.

A national task reaches ~55,000 units; one INSERT per row and one change-log record per row
through the ORM would take minutes. The target units are read with one query (a range on the
plan unit's path), the rows are written with bulk_create in batches, and so are the log rows.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.core.actions import ActionError, record
from trienkhai.core.context import current
from trienkhai.core.models import ChangeLogEntry
from trienkhai.documents.models import DocumentRelation, RelationKind
from trienkhai.tracking import hooks
from trienkhai.tracking.actions_plans import create_occurrences
from trienkhai.tracking.deadlines import Deadline
from trienkhai.tracking.models import Assignment, Task
from trienkhai.units.kinds import UnitKind
from trienkhai.units.models import Unit
from trienkhai.units.paths import subtree_q

BATCH = 2000
RULES = ("units", "children", "kind")


def _log_rows(actor, rows: list[Assignment]) -> None:
    """One change-log row per new assignment, built as core.actions.record builds them."""
    ctx = current()
    user = actor if getattr(actor, "pk", None) else None
    user_name = user.get_username() if user else "system"
    content_type = ContentType.objects.get_for_model(Assignment)
    entries = (
        ChangeLogEntry(
            user=user,
            user_name=user_name,
            request_id=ctx.request_id,
            action="tracking.assign",
            content_type=content_type,
            object_id=str(a.pk),
            object_repr=str(a)[:300],
            unit_id=a.unit_id,
            after={
                "task": a.task_id,
                "occurrence": a.occurrence_id,
                "unit": a.unit_id,
                "assigned_by": a.assigned_by_id,
                "due": a.due.isoformat(),
                "requires_plan": a.requires_plan,
            },
        )
        for a in rows
    )
    ChangeLogEntry.objects.bulk_create(entries, batch_size=BATCH)


def _catch_up_plans(actor, task: Task) -> None:
    """Units that issued their implementing plan before being assigned have met the obligation."""
    if not task.requires_plan:
        return
    plan = task.plan
    open_units = Assignment.objects.filter(
        task=task, requires_plan=True, completed_on__isnull=True
    ).values("unit_id")
    relations = (
        DocumentRelation.objects.filter(kind=RelationKind.IMPLEMENTS)
        .filter(
            Q(target_id=plan.directive_id)
            | Q(target_id=plan.document_id)
            | Q(target__plan__directive_id=plan.directive_id)
        )
        .filter(source__issuing_unit_id__in=open_units)
        .select_related("source__issuing_unit", "target")
        .order_by("source__date", "id")
    )
    for relation in relations:
        hooks.plan_registered(actor, relation.source, relation.target)


def fan_out(actor, task: Task, targets, occurrences=None) -> int:
    """Assign every occurrence of `task` (or `occurrences`) to each unit of `targets`.

    Call inside a transaction holding the task row's lock: pairs that exist are skipped, so a
    repeated fan-out creates nothing, and concurrent fan-outs of one task cannot collide.
    """
    plan = task.plan
    if occurrences is None:
        occurrence_rows = list(task.occurrences.values_list("id", "due"))
    else:
        occurrence_rows = [(o.pk, o.due) for o in occurrences]
    units = list(targets.order_by("path").values_list("id", "path"))
    existing = set(Assignment.objects.filter(task=task).values_list("occurrence_id", "unit_id"))
    rows = [
        Assignment(
            occurrence_id=occurrence_id,
            task_id=task.pk,
            directive_id=plan.directive_id,
            unit_id=unit_id,
            unit_path=path,
            assigned_by_id=plan.unit_id,
            due=due,
            requires_plan=task.requires_plan,
        )
        for occurrence_id, due in occurrence_rows
        for unit_id, path in units
        if (occurrence_id, unit_id) not in existing
    ]
    if not rows:
        return 0
    Assignment.objects.bulk_create(rows, batch_size=BATCH)
    if rows[0].pk is None:  # a backend that cannot return ids from a bulk insert
        ids = {
            (o, u): pk
            for o, u, pk in Assignment.objects.filter(task=task).values_list(
                "occurrence_id", "unit_id", "id"
            )
        }
        for a in rows:
            a.pk = ids[(a.occurrence_id, a.unit_id)]
    _log_rows(actor, rows)
    _catch_up_plans(actor, task)
    return len(rows)


def _reach_root(plan_unit: Unit) -> Unit:
    """Whose subtree a plan can assign into: a support body acts for its committee."""
    if plan_unit.is_support and plan_unit.parent_id is not None:
        return plan_unit.parent
    return plan_unit


def _targets(task: Task, units, rule: str | None, kind: str | None):
    plan_unit = _reach_root(task.plan.unit)
    base = Unit.objects.filter(subtree_q(plan_unit.path), valid_to__isnull=True)
    rule = rule or ("units" if units is not None else None)
    if rule == "units":
        ids = {u.pk if isinstance(u, Unit) else int(u) for u in (units or ())}
        if not ids:
            raise ActionError(_("Hãy chọn ít nhất một đơn vị."), field="units")
        targets = base.filter(pk__in=ids)
        if targets.count() != len(ids):
            outside = (
                Unit.objects.filter(pk__in=ids)
                .exclude(subtree_q(plan_unit.path) & Q(valid_to__isnull=True))
                .order_by("path")
                .values_list("name", flat=True)[:5]
            )
            raise ActionError(
                _(
                    "Chỉ giao được cho đơn vị đang hoạt động thuộc “%(unit)s”. Không hợp lệ: "
                    "%(names)s."
                )
                % {
                    "unit": plan_unit.name,
                    "names": ", ".join(outside) or _("đơn vị không tồn tại"),
                },
                field="units",
            )
        return targets
    if rule == "children":
        return base.filter(parent=plan_unit)
    if rule == "kind":
        if kind not in UnitKind.values:
            raise ActionError(_("Hãy chọn loại đơn vị."), field="kind")
        return base.filter(kind=kind).exclude(pk=plan_unit.pk)
    raise ActionError(
        _("Cách giao không hợp lệ: chọn đơn vị, các đơn vị trực thuộc, hoặc theo loại đơn vị."),
        field="rule",
    )


@transaction.atomic
def assign(
    actor, task: Task, *, units=None, rule: str | None = None, kind: str | None = None
) -> int:
    """Give every occurrence of `task` to the units chosen by name or by rule, in one transaction.

    rule "units": the listed units; "children": every open direct child of the plan's unit;
    "kind": every open unit of `kind` under it. Only units inside the plan unit's subtree.
    Returns the number of assignments created (existing ones are skipped).
    """
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("plan__unit", "plan__document")
        .get(pk=task.pk)
    )
    require(actor, Role.COORDINATOR, task.plan.unit)
    targets = _targets(task, units, rule, kind)
    created = fan_out(actor, task, targets)
    record(
        actor,
        "tracking.assign_task",
        task,
        unit=task.plan.unit,
        after={"rule": rule or "units", "kind": kind, "created": created},
    )
    return created


@transaction.atomic
def extend_occurrences(actor, task: Task, *, horizon: datetime.date) -> int:
    """Create a recurring task's periods up to `horizon` and give them to the units already
    assigned (open ones). Returns the number of new assignments."""
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("plan__unit", "plan__document")
        .get(pk=task.pk)
    )
    require(actor, Role.COORDINATOR, task.plan.unit)
    if task.kind not in ("recurring", "continuous"):
        return 0
    deadline = Deadline(
        task.kind, None, task.period, task.starts_on, task.ends_on, task.deadline_text
    )
    added = create_occurrences(task, deadline, horizon)
    if not added:
        return 0
    targets = Unit.objects.filter(
        pk__in=Assignment.objects.filter(task=task).values("unit_id"), valid_to__isnull=True
    )
    created = fan_out(actor, task, targets, added)
    record(
        actor,
        "tracking.extend_occurrences",
        task,
        unit=task.plan.unit,
        after={"horizon": horizon.isoformat(), "occurrences": len(added), "created": created},
    )
    return created
