"""Fan-out: one Assignment per (occurrence, unit) for every unit a rule selects, in bulk.

A national task reaches ~55,000 units; one INSERT per row and one change-log record per row
through the ORM would take minutes, and even bulk_create spends seconds building model objects.
Here the assignments are one INSERT … SELECT over the target units (the rule's queryset compiled
to SQL) and the occurrences, and their change-log rows a second INSERT … SELECT over the new
assignments, with the columns core.actions.record fills.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.core.actions import ActionError, actor_name, check_action, record
from trienkhai.core.context import current
from trienkhai.core.models import ChangeLogEntry
from trienkhai.documents.models import DocumentRelation, RelationKind
from trienkhai.tracking import hooks
from trienkhai.tracking.actions.plans import create_occurrences
from trienkhai.tracking.deadlines import Deadline
from trienkhai.tracking.models import Assignment, Occurrence, Task
from trienkhai.tree.kinds import UnitKind
from trienkhai.tree.paths import subtree_q
from trienkhai.units.models import Unit

RULES = ("units", "children", "kind")


def _sql(queryset) -> tuple[str, tuple]:
    """The SELECT of a queryset (no ORDER BY), to be used as `x IN (...)` in raw SQL."""
    sql, params = queryset.order_by().query.get_compiler(connection=connection).as_sql()
    return sql, tuple(params)


def _dialect() -> dict[str, str]:
    """The only engine differences of the set-based fan-out: building JSON and dates as text."""
    if connection.vendor == "postgresql":
        return {
            "json_object": "jsonb_build_object",
            "date_text": "to_char({}, 'YYYY-MM-DD')",
            "json_bool": "{}",
        }
    return {
        "json_object": "json_object",
        "date_text": "{}",  # SQLite stores dates as ISO text already
        "json_bool": "json(CASE WHEN {} THEN 'true' ELSE 'false' END)",
    }


def _json_object(pairs: list[tuple[str, str]]) -> str:
    """SQL building a JSON object from (key, SQL expression) pairs; keys are trusted literals."""
    args = ", ".join(f"'{key}', {expr}" for key, expr in pairs)
    return f"{_dialect()['json_object']}({args})"


def _insert_assignments(task: Task, targets, occurrences) -> int:
    """INSERT … SELECT one row per (occurrence, target unit) not assigned yet; returns the count.

    The target units come from the rule's queryset compiled to SQL, so the rules (and the
    reach of the plan) are defined once, in `_targets`.
    """
    q = connection.ops.quote_name
    plan = task.plan
    # The targets are the driving table (their own index: kind and path, parent, or ids), not
    # a filter over every unit.
    unit_sql, unit_params = _sql(targets.values("id", "path"))
    occ_sql, occ_params = _sql(occurrences.values("id"))
    table = q(Assignment._meta.db_table)
    # Pairs that exist are skipped. A new task's periods have none: then the check is left out
    # (55,000 probes that PostgreSQL may answer by reading each unit's every assignment).
    skip_existing = ""
    if Assignment.objects.filter(occurrence__in=occurrences.values("id")).exists():
        skip_existing = (
            f"AND NOT EXISTS (SELECT 1 FROM {table} x "  # noqa: S608 - a quoted table name
            "WHERE x.occurrence_id = o.id AND x.unit_id = u.id)"
        )
    sql = f"""
        INSERT INTO {table} (
            {q("occurrence_id")}, {q("task_id")}, {q("directive_id")}, {q("unit_id")},
            {q("unit_path")}, {q("assigned_by_id")}, {q("due")}, {q("requires_plan")},
            {q("started_on")}, {q("completed_on")}, {q("percent")}, {q("fulfilled_by_id")},
            {q("version")}
        )
        SELECT o.id, %s, %s, u.id, u.path, %s, o.due, %s, NULL, NULL, 0, NULL, 1
        FROM ({unit_sql}) u CROSS JOIN {q(Occurrence._meta.db_table)} o
        WHERE o.task_id = %s AND o.id IN ({occ_sql}) {skip_existing}
        ORDER BY o.id, u.path
    """  # noqa: S608 - quoted names and ORM-compiled SQL; values are params
    params = (
        (task.pk, plan.directive_id, plan.unit_id, task.requires_plan)
        + unit_params
        + (task.pk,)
        + occ_params
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _log_new_assignments(actor, task: Task, after_id: int) -> int:
    """One change-log row per assignment of `task` with id > `after_id`, as record() writes them.

    Under the task row's lock only this transaction adds rows to the task, and ids only grow,
    so the rows above the max id read before the insert are exactly the new ones.
    """
    q = connection.ops.quote_name
    d = _dialect()
    check_action("tracking.assign")
    ctx = current()
    user = actor if getattr(actor, "pk", None) else None
    now = ChangeLogEntry._meta.get_field("time").get_db_prep_value(
        timezone.now(), connection, prepared=False
    )
    due_text = d["date_text"].format("a.due")
    after = _json_object(
        [
            ("task", "a.task_id"),
            ("occurrence", "a.occurrence_id"),
            ("unit", "a.unit_id"),
            ("assigned_by", "a.assigned_by_id"),
            ("due", due_text),
            ("requires_plan", d["json_bool"].format("a.requires_plan")),
        ]
    )
    # object_repr is str(Assignment): "<task_id>@<unit_id> <due>".
    object_repr = f"CAST(a.task_id AS TEXT) || '@' || CAST(a.unit_id AS TEXT) || ' ' || {due_text}"
    sql = f"""
        INSERT INTO {q(ChangeLogEntry._meta.db_table)} (
            {q("time")}, {q("user_id")}, {q("user_name")}, {q("request_id")}, {q("action")},
            {q("content_type_id")}, {q("object_id")}, {q("object_repr")}, {q("unit_id")},
            {q("before")}, {q("after")}
        )
        SELECT %s, %s, %s, %s, %s, %s, CAST(a.id AS TEXT), {object_repr}, a.unit_id, NULL, {after}
        FROM {q(Assignment._meta.db_table)} a
        WHERE a.task_id = %s AND a.id > %s
        ORDER BY a.id
    """  # noqa: S608 - quoted names and fixed SQL; values are params
    params = (
        now,
        user.pk if user else None,
        actor_name(actor, ctx),
        ctx.request_id,
        "tracking.assign",
        ContentType.objects.get_for_model(Assignment).pk,
        task.pk,
        after_id,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


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
    Two set-based statements (assignments, then their log rows): building ~110,000 model
    objects for 55,000 units was the whole cost of the ORM version.
    """
    occurrence_qs = task.occurrences.all()
    if occurrences is not None:
        occurrence_qs = occurrence_qs.filter(pk__in=[o.pk for o in occurrences])
    # The task's highest id, read from the end of its (task, id) index range. A MAX(id) over
    # the task let PostgreSQL walk the primary key backwards through every assignment looking
    # for one of a task that has none yet (30 s at national scale).
    last_id = (
        Assignment.objects.filter(task=task).order_by("-id").values_list("id", flat=True).first()
        or 0
    )
    created = _insert_assignments(task, targets, occurrence_qs)
    if not created:
        return 0
    logged = _log_new_assignments(actor, task, last_id)
    if logged != created:  # would mean the lock or id order assumption broke: do not commit
        raise RuntimeError(f"fan-out wrote {created} assignments but {logged} log rows")
    _catch_up_plans(actor, task)
    return created


def _reach_root(plan_unit: Unit) -> Unit:
    """Whose subtree a plan can assign into: a support body acts for its committee."""
    if plan_unit.is_support and plan_unit.parent_id is not None:
        return plan_unit.parent
    return plan_unit


def _kinds(kind, kinds) -> list[str]:
    """The unit kinds a "kind" rule selects: one `kind`, several `kinds`, or both, each known."""
    wanted = ([kind] if kind else []) + [k for k in (kinds or ()) if k]
    if not wanted or any(k not in UnitKind.values for k in wanted):
        raise ActionError(_("Hãy chọn loại đơn vị."), field="kind")
    return sorted(set(wanted))


def _targets(task: Task, units, rule: str | None, kind: str | None, kinds=None):
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
        return base.filter(kind__in=_kinds(kind, kinds)).exclude(pk=plan_unit.pk)
    raise ActionError(
        _("Cách giao không hợp lệ: chọn đơn vị, các đơn vị trực thuộc, hoặc theo loại đơn vị."),
        field="rule",
    )


@transaction.atomic
def assign(
    actor,
    task: Task,
    *,
    units=None,
    rule: str | None = None,
    kind: str | None = None,
    kinds=None,
) -> int:
    """Give every occurrence of `task` to the units chosen by name or by rule, in one transaction.

    rule "units": the listed units; "children": every open direct child of the plan's unit;
    "kind": every open unit of `kind` (or of any of `kinds`: "every commune-level unit" is
    xã, phường and đặc khu in one pass) under it. Only units inside the plan unit's subtree.
    Returns the number of assignments created (existing ones are skipped).
    """
    task = (
        Task.objects.select_for_update(of=("self",))
        .select_related("plan__unit", "plan__document")
        .get(pk=task.pk)
    )
    require(actor, Role.COORDINATOR, task.plan.unit)
    targets = _targets(task, units, rule, kind, kinds)
    created = fan_out(actor, task, targets)
    after = {"rule": rule or "units", "kind": kind, "created": created}
    if kinds:
        after["kinds"] = _kinds(kind, kinds)
    record(actor, "tracking.assign_task", task, unit=task.plan.unit, after=after)
    return created


def count_targets(
    actor,
    task: Task,
    *,
    units=None,
    rule: str | None = None,
    kind: str | None = None,
    kinds=None,
) -> dict[str, int]:
    """How many units of each kind `assign` with these arguments would reach, without writing:
    the same permission check and the same rule (`_targets`), counted in SQL."""
    task = Task.objects.select_related("plan__unit", "plan__document").get(pk=task.pk)
    require(actor, Role.COORDINATOR, task.plan.unit)
    targets = _targets(task, units, rule, kind, kinds)
    rows = targets.order_by().values("kind").annotate(n=Count("id")).values_list("kind", "n")
    return dict(rows)


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
