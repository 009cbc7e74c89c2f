"""Issue a plan in one go: its document, the plan, its tasks and their assignment, all or nothing.

The guided flow (and anything else that issues a whole plan) calls `issue_plan`; it only chains
the existing actions (`documents.actions.register_document`, `plans.register_plan`,
`plans.add_task`, `assign.assign`), so every rule is checked where it lives. A refusal of one task
does not stop the others from being checked: every row's refusal is gathered, then the whole
transaction is rolled back and `PlanRefused` carries them all. `dry_run` runs the same chain and
rolls it back, counting the units each rule reaches instead of assigning (the preview).
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trienkhai.core.actions import ActionError
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import Document
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.models import Plan, Task


@dataclass(frozen=True)
class Rule:
    """Who a task goes to: "children", "kind" (any of `kinds`) or "units" (the listed ones)."""

    name: str
    kinds: tuple[str, ...] = ()
    units: tuple = ()

    def arguments(self) -> dict:
        if self.name == "kind":
            return {"rule": "kind", "kinds": list(self.kinds)}
        if self.name == "units":
            return {"rule": "units", "units": list(self.units)}
        return {"rule": self.name}


@dataclass
class TaskRow:
    """One task of the plan as the person wrote it; `line` numbers it in error messages."""

    line: int
    title: str
    lead_unit: object
    deadline_text: str
    cooperating_units: list = field(default_factory=list)
    deliverable: str = ""
    target_value: object = None
    target_unit: str = ""
    requires_plan: bool = False
    rule: Rule | None = None


@dataclass(frozen=True)
class RowError:
    line: int | None  # None: the plan document itself
    field: str | None
    message: str


@dataclass
class TaskOutcome:
    line: int
    title: str
    deadline_text: str
    requires_plan: bool
    by_kind: dict[str, int]  # units reached per unit kind (empty when not assigned)
    assignments: int = 0  # written (0 in a dry run)
    task: Task | None = None

    @property
    def units(self) -> int:
        return sum(self.by_kind.values())


@dataclass
class Outcome:
    plan: Plan | None
    document: Document | None
    tasks: list[TaskOutcome]
    dry_run: bool

    @property
    def by_kind(self) -> dict[str, int]:
        """Units reached per kind over the whole plan (a unit counts once per task)."""
        total: dict[str, int] = {}
        for t in self.tasks:
            for kind, n in t.by_kind.items():
                total[kind] = total.get(kind, 0) + n
        return total


class PlanRefused(ActionError):
    """Nothing was written; `errors` says what is wrong, row by row."""

    def __init__(self, errors: list[RowError]):
        super().__init__(_("Chưa ban hành: có %(n)s lỗi cần sửa.") % {"n": len(errors)})
        self.errors = errors


class _RolledBack(Exception):
    def __init__(self, outcome: Outcome):
        self.outcome = outcome


def obligation_row(line: int, symbol: str, due: datetime.date, lead_unit, rule: Rule) -> TaskRow:
    """The task that obliges the units below to issue their own plan by `due`."""
    return TaskRow(
        line=line,
        title=_("Xây dựng, ban hành kế hoạch (chương trình) thực hiện %(symbol)s")
        % {"symbol": symbol},
        lead_unit=lead_unit,
        deadline_text=_("trước %(date)s") % {"date": date_format(due, "SHORT_DATE_FORMAT")},
        requires_plan=True,
        rule=rule,
    )


def _add(actor, plan: Plan, row: TaskRow, horizon) -> Task:
    return plan_actions.add_task(
        actor,
        plan,
        number=str(row.line),
        title=row.title,
        lead_unit=row.lead_unit,
        deadline_text=row.deadline_text,
        cooperating_units=row.cooperating_units,
        deliverable=row.deliverable,
        target_value=row.target_value,
        target_unit=row.target_unit,
        requires_plan=row.requires_plan,
        horizon=horizon,
    )


def _issue(actor, *, rows, dry_run, horizon, implements, **document) -> Outcome:
    if not rows:
        raise PlanRefused([RowError(None, "tasks", _("Kế hoạch cần ít nhất một nhiệm vụ."))])
    try:
        doc = register_document(actor, **document)
        plan = plan_actions.register_plan(actor, doc, implements=implements)
    except ActionError as exc:
        raise PlanRefused([RowError(None, exc.field, str(exc.message))]) from exc
    errors: list[RowError] = []
    outcomes: list[TaskOutcome] = []
    for row in rows:
        try:
            # Each action is its own savepoint: a refused row leaves nothing behind, and the
            # rows after it are still checked.
            task = _add(actor, plan, row, horizon)
            by_kind: dict[str, int] = {}
            written = 0
            if row.rule is not None:
                args = row.rule.arguments()
                by_kind = assign_actions.count_targets(actor, task, **args)
                if not dry_run:
                    written = assign_actions.assign(actor, task, **args)
        except ActionError as exc:
            errors.append(RowError(row.line, exc.field, str(exc.message)))
            continue
        if row.rule is not None and not by_kind:
            errors.append(
                RowError(row.line, "rule", _("Cách giao này không chọn được đơn vị nào."))
            )
            continue
        outcomes.append(
            TaskOutcome(
                line=row.line,
                title=task.title,
                deadline_text=task.deadline_text,
                requires_plan=task.requires_plan,
                by_kind=by_kind,
                assignments=written,
                task=None if dry_run else task,
            )
        )
    if errors:
        raise PlanRefused(errors)
    return Outcome(plan=plan, document=doc, tasks=outcomes, dry_run=dry_run)


def issue_plan(
    actor,
    *,
    implements: Document,
    issuing_unit,
    doc_type: str,
    symbol: str,
    term: str,
    date: datetime.date,
    subject: str,
    rows: list[TaskRow],
    dry_run: bool = False,
    horizon: datetime.date | None = None,
) -> Outcome:
    """Register the plan document implementing `implements`, the plan, each row's task and its
    assignment, in one transaction. Raises PlanRefused (nothing written) with every row's error.

    `dry_run`: check everything the same way, count who each rule reaches, write nothing.
    """
    try:
        with transaction.atomic():
            outcome = _issue(
                actor,
                rows=rows,
                dry_run=dry_run,
                horizon=horizon,
                implements=implements,
                symbol=symbol,
                doc_type=doc_type,
                issuing_unit=issuing_unit,
                term=term,
                date=date,
                subject=subject,
            )
            if dry_run:
                raise _RolledBack(outcome)
    except _RolledBack as stop:
        stop.outcome.plan = stop.outcome.document = None
        return stop.outcome
    return outcome
