"""Plans and their tasks: register a document as a plan, add tasks, edit them safely."""

import datetime
import decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.core.actions import ActionError, check_version, record, snapshot
from trienkhai.documents.actions import relate
from trienkhai.documents.models import Document, DocumentRelation, RelationKind
from trienkhai.documents.queries import readable_documents
from trienkhai.tracking.actions.common import frozen
from trienkhai.tracking.deadlines import (
    Deadline,
    InvalidDeadline,
    occurrence_label,
    occurrence_plan,
    parse_deadline,
)
from trienkhai.tracking.models import (
    Assignment,
    Occurrence,
    Plan,
    TargetAggregation,
    TargetDirection,
    Task,
    TaskKind,
)
from trienkhai.units.models import Unit

TASK_FIELDS = (
    "number",
    "title",
    "lead_unit",
    "cooperating_units",
    "deadline_text",
    "deliverable",
    "target_value",
    "target_unit",
    "target_direction",
    "target_aggregation",
    "requires_plan",
)


def default_horizon(day: datetime.date | None = None) -> datetime.date:
    """Recurring occurrences are created ahead up to the end of next year (from `day`, today)."""
    return datetime.date((day or timezone.localdate()).year + 1, 12, 31)


def _refuse_unreadable(actor, target: Document) -> None:
    """A document the actor may not read is treated as not found (its existence stays hidden)."""
    if actor is None or getattr(actor, "is_superuser", False):
        return
    if not readable_documents(actor).filter(pk=target.pk).exists():
        raise ActionError(_("Không tìm thấy văn bản được thực hiện."), field="implements")


@transaction.atomic
def register_plan(actor, document: Document, *, implements=None) -> Plan:
    """`document` (already registered) becomes a plan implementing a directive or a higher plan.

    Plan.directive is the root of the chain, so every assignment below can copy it.
    """
    document = Document.objects.select_related("issuing_unit").get(pk=document.pk)
    require(actor, Role.COORDINATOR, document.issuing_unit)
    if Plan.objects.filter(document=document).exists():
        raise ActionError(_("Văn bản này đã được đăng ký là kế hoạch."))
    if implements is None:
        relation = (
            DocumentRelation.objects.filter(source=document, kind=RelationKind.IMPLEMENTS)
            .select_related("target")
            .order_by("id")
            .first()
        )
        if relation is None:
            raise ActionError(
                _(
                    "Hãy chọn văn bản (nghị quyết, kết luận, kế hoạch cấp trên) mà kế hoạch "
                    "thực hiện."
                ),
                field="implements",
            )
        target = relation.target
    else:
        target = implements.document if isinstance(implements, Plan) else implements
    if target.pk == document.pk:
        raise ActionError(_("Một kế hoạch không thể tự thực hiện chính nó."), field="implements")
    _refuse_unreadable(actor, target)
    parent = Plan.objects.filter(document=target).first()
    plan = Plan.objects.create(
        document=document,
        unit=document.issuing_unit,
        directive_id=parent.directive_id if parent else target.pk,
        parent=parent,
    )
    if not DocumentRelation.objects.filter(
        source=document, target=target, kind=RelationKind.IMPLEMENTS
    ).exists():
        relate(actor, document, target, RelationKind.IMPLEMENTS)
    record(actor, "tracking.register_plan", plan, unit=plan.unit, after=snapshot(plan))
    return plan


def _parse(text: str, plan: Plan) -> Deadline:
    try:
        return parse_deadline(text, default_year=plan.document.date.year)
    except InvalidDeadline as exc:
        raise ActionError(str(exc), field="deadline_text") from exc


def _check_units(plan: Plan, lead_unit: Unit, cooperating) -> None:
    """Lead and co-operating units are open units inside the plan unit's subtree."""
    for unit, field in [(lead_unit, "lead_unit")] + [(u, "cooperating_units") for u in cooperating]:
        if unit is None:
            raise ActionError(_("Đơn vị chủ trì là bắt buộc."), field=field)
        if not unit.path.startswith(plan.unit.path):
            raise ActionError(
                _("“%(unit)s” không thuộc phạm vi của “%(plan_unit)s”.")
                % {"unit": unit.name, "plan_unit": plan.unit.name},
                field=field,
            )
        if unit.valid_to is not None:
            raise ActionError(_("“%(unit)s” đã thôi hoạt động.") % {"unit": unit.name}, field=field)


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        return decimal.Decimal(str(value).replace(",", "."))
    except decimal.InvalidOperation:
        raise ActionError(_("Chỉ tiêu phải là một số."), field="target_value") from None


def _choice(choices, value, field: str) -> str:
    if value in (None, ""):
        return choices.values[0]
    if value not in choices.values:
        raise ActionError(_("Lựa chọn không hợp lệ."), field=field)
    return value


def create_occurrences(task: Task, deadline: Deadline, horizon: datetime.date) -> list[Occurrence]:
    """The task's new occurrences up to `horizon`; existing due dates are kept as they are."""
    start = task.plan.document.date
    rows = [
        Occurrence(task=task, label=label, period_start=begin, period_end=end, due=due)
        for label, begin, end, due in occurrence_plan(deadline, start=start, horizon=horizon)
    ]
    have = set(task.occurrences.values_list("due", flat=True))
    new = [o for o in rows if o.due not in have]
    return Occurrence.objects.bulk_create(new)


def _apply_deadline(task: Task, deadline: Deadline) -> None:
    task.kind = deadline.task_kind
    task.period = deadline.period or ""
    task.deadline_text = deadline.text
    task.deadline = deadline.due
    task.starts_on = deadline.starts_on
    task.ends_on = deadline.ends_on


def _task_values(task: Task) -> dict:
    return {
        **snapshot(task),
        "cooperating_units": sorted(task.cooperating_units.values_list("pk", flat=True)),
    }


@transaction.atomic
def add_task(
    actor,
    plan: Plan,
    *,
    title: str,
    lead_unit: Unit,
    deadline_text: str,
    number: str = "",
    cooperating_units=(),
    deliverable: str = "",
    target_value=None,
    target_unit: str = "",
    target_direction: str = TargetDirection.MORE,
    target_aggregation: str = TargetAggregation.SUM,
    requires_plan: bool = False,
    horizon: datetime.date | None = None,
) -> Task:
    """A task with the "5 rõ"; its occurrences are created now (recurring ones up to `horizon`)."""
    plan = Plan.objects.select_related("unit", "document").get(pk=plan.pk)
    require(actor, Role.COORDINATOR, plan.unit)
    title = (title or "").strip()
    if not title:
        raise ActionError(_("Nội dung nhiệm vụ là bắt buộc."), field="title")
    cooperating_units = list(cooperating_units)
    _check_units(plan, lead_unit, cooperating_units)
    deadline = _parse(deadline_text, plan)
    task = Task(
        plan=plan,
        number=(number or "").strip(),
        title=title,
        lead_unit=lead_unit,
        deliverable=(deliverable or "").strip(),
        target_value=_decimal(target_value),
        target_unit=(target_unit or "").strip(),
        target_direction=_choice(TargetDirection, target_direction, "target_direction"),
        target_aggregation=_choice(TargetAggregation, target_aggregation, "target_aggregation"),
        requires_plan=bool(requires_plan),
    )
    _apply_deadline(task, deadline)
    task.save()
    task.cooperating_units.set(cooperating_units)
    count = len(create_occurrences(task, deadline, horizon or default_horizon()))
    record(
        actor,
        "tracking.add_task",
        task,
        unit=plan.unit,
        after={**_task_values(task), "occurrences": count},
    )
    return task


def _change_deadline(task: Task, deadline: Deadline) -> None:
    """Move the due date of a one-off task, or rebuild the periods of an unassigned one.

    Completed occurrences are frozen; a recurring task already assigned keeps its periods
    (a different rhythm is a new task).
    """
    assigned = Assignment.objects.filter(task=task).exists()
    if task.kind == TaskKind.ONE_OFF and deadline.is_date:
        occurrence = task.occurrences.select_for_update().first()
        if occurrence is not None:
            if frozen(occurrence):
                raise ActionError(
                    _("Kỳ “%(label)s” đã được mọi đơn vị hoàn thành: không thể đổi thời hạn.")
                    % {"label": occurrence_label(occurrence)},
                    field="deadline_text",
                )
            plan = occurrence_plan(deadline, start=deadline.due, horizon=deadline.due)[0]
            occurrence.label, occurrence.period_start, occurrence.period_end, occurrence.due = plan
            occurrence.save()
            # Completed shares were judged against the deadline in force when they were done.
            Assignment.objects.filter(occurrence=occurrence, completed_on__isnull=True).update(
                due=deadline.due
            )
            _apply_deadline(task, deadline)
            return
    if assigned:
        raise ActionError(
            _(
                "Nhiệm vụ đã được giao: không thể đổi loại hoặc chu kỳ thời hạn. Hãy thêm "
                "nhiệm vụ mới với thời hạn mới."
            ),
            field="deadline_text",
        )
    last = task.occurrences.order_by("-period_end").values_list("period_end", flat=True).first()
    task.occurrences.all().delete()
    _apply_deadline(task, deadline)
    create_occurrences(task, deadline, max(last or default_horizon(), default_horizon()))


@transaction.atomic
def update_task(actor, task: Task, *, expected_version, **fields) -> Task:
    """Edit a task. A stale `expected_version` is refused with the stored values (StaleEdit)."""
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("plan__unit", "plan__document")
        .get(pk=task.pk)
    )
    require(actor, Role.COORDINATOR, task.plan.unit)
    check_version(task, expected_version, _task_values(task), ("tracking.update_task",))
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise ValueError(f"unknown task fields: {sorted(unknown)}")
    before = _task_values(task)
    if "title" in fields:
        task.title = (fields["title"] or "").strip()
        if not task.title:
            raise ActionError(_("Nội dung nhiệm vụ là bắt buộc."), field="title")
    for name in ("number", "deliverable", "target_unit"):
        if name in fields:
            setattr(task, name, (fields[name] or "").strip())
    if "target_value" in fields:
        task.target_value = _decimal(fields["target_value"])
    for name, choices in (
        ("target_direction", TargetDirection),
        ("target_aggregation", TargetAggregation),
    ):
        if name in fields:
            setattr(task, name, _choice(choices, fields[name], name))
    lead = fields.get("lead_unit", task.lead_unit)
    cooperating = list(fields.get("cooperating_units", task.cooperating_units.all()))
    if "lead_unit" in fields or "cooperating_units" in fields:
        _check_units(task.plan, lead, cooperating)
        task.lead_unit = lead
    if "requires_plan" in fields and bool(fields["requires_plan"]) != task.requires_plan:
        if Assignment.objects.filter(task=task).exists():
            raise ActionError(
                _("Nhiệm vụ đã được giao: không thể thay đổi yêu cầu ban hành kế hoạch."),
                field="requires_plan",
            )
        task.requires_plan = bool(fields["requires_plan"])
    if "deadline_text" in fields and (fields["deadline_text"] or "").strip() != task.deadline_text:
        _change_deadline(task, _parse(fields["deadline_text"], task.plan))
    task.version += 1
    task.save()
    if "cooperating_units" in fields:
        task.cooperating_units.set(cooperating)
    record(
        actor,
        "tracking.update_task",
        task,
        unit=task.plan.unit,
        before=before,
        after=_task_values(task),
    )
    return task
