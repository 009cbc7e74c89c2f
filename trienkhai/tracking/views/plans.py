"""Plans and their tasks: list, register a plan from a registered document, add, edit and assign
tasks, and a task's page (occurrences and assignments with status).

Writes go through `tracking.actions`; a refusal is shown on the field it names.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import DateField
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trienkhai.accounts.classified import readable_log
from trienkhai.core.actions import ActionError, StaleEdit
from trienkhai.core.dates import today
from trienkhai.core.forms import answer_status, form_error
from trienkhai.core.pagination import paginate
from trienkhai.core.queries import history_for
from trienkhai.documents import queries as doc_queries
from trienkhai.tracking import queries
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.forms import AssignForm, PlanRegisterForm, TaskForm
from trienkhai.tracking.models import Task
from trienkhai.tracking.status import Status
from trienkhai.tracking.views.common import (
    can_coordinate,
    can_register_plans,
    plan_or_404,
    task_or_404,
    visible_plans,
    with_status,
)
from trienkhai.tracking.views.targets import target_figures
from trienkhai.units.forms import unit_by_code, units_picked
from trienkhai.units.models import Unit


def _one_document(user, form, symbol_field, date_field):
    """The single readable document printed with the symbol (and date), or a field error."""
    symbol = form.cleaned_data[symbol_field]
    docs = list(doc_queries.find_by_symbol(user, symbol, form.cleaned_data.get(date_field))[:2])
    if not docs:
        form.add_error(symbol_field, _("Không tìm thấy văn bản này trong phạm vi của bạn."))
        return None
    if len(docs) > 1:
        form.add_error(date_field, _("Có nhiều văn bản mang số này; hãy nhập ngày ban hành."))
        return None
    return docs[0]


@login_required
@require_GET
def plan_list(request):
    qs = visible_plans(request.user).order_by("-document__date", "-id")
    page = paginate(request, qs)
    return render(
        request,
        "tracking/plan_list.html",
        {"page": page, "can_register": can_register_plans(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_register(request):
    user = request.user
    if not can_register_plans(user):
        raise PermissionDenied
    form = PlanRegisterForm(request.POST or None, initial=request.GET or None)
    if request.method == "POST" and form.is_valid():
        doc = _one_document(user, form, "symbol", "date")
        implements = None
        if form.cleaned_data["implements_symbol"]:
            implements = _one_document(user, form, "implements_symbol", "implements_date")
        if doc is not None and not form.errors:
            try:
                plan = plan_actions.register_plan(user, doc, implements=implements)
            except ActionError as exc:
                form_error(form, exc, {"document": "symbol", "implements": "implements_symbol"})
            else:
                messages.success(
                    request, _("Đã đăng ký kế hoạch %(symbol)s.") % {"symbol": doc.symbol}
                )
                return redirect("tracking-plan", pk=plan.pk)
    return render(request, "tracking/plan_form.html", {"form": form})


@login_required
@require_GET
def plan_detail(request, pk):
    user = request.user
    plan = plan_or_404(user, pk)
    tasks = plan.tasks.select_related("lead_unit").prefetch_related("cooperating_units")
    return render(
        request,
        "tracking/plan_detail.html",
        {
            "plan": plan,
            "tasks": tasks,
            "can_edit": can_coordinate(user, plan.unit),
            "can_issue": can_register_plans(user),
        },
    )


def _task_fields(user, form):
    """The action's keyword arguments from a valid TaskForm, or None after adding field errors."""
    data = form.cleaned_data
    lead = unit_by_code(user, form, "lead_unit", data["lead_unit"].strip())
    cooperating = units_picked(user, form, "cooperating", data["cooperating"])
    if lead is None or cooperating is None:
        return None
    return {
        "number": data["number"].strip(),
        "title": data["title"].strip(),
        "lead_unit": lead,
        "deadline_text": data["deadline_text"],
        "cooperating_units": cooperating,
        "deliverable": data["deliverable"].strip(),
        "target_value": data["target_value"],
        "target_unit": data["target_unit"].strip(),
        "target_direction": data["target_direction"],
        "target_aggregation": data["target_aggregation"],
        "requires_plan": data["requires_plan"],
    }


TASK_FIELD_MAP = {"deadline": "deadline_text", "cooperating_units": "cooperating"}


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request, pk):
    user = request.user
    plan = plan_or_404(user, pk)
    if not can_coordinate(user, plan.unit):
        raise PermissionDenied
    form = TaskForm(request.POST or None, initial={"lead_unit": plan.unit})
    if request.method == "POST" and form.is_valid():
        fields = _task_fields(user, form)
        if fields is not None:
            try:
                task = plan_actions.add_task(user, plan, **fields)
            except ActionError as exc:
                form_error(form, exc, TASK_FIELD_MAP)
            else:
                messages.success(request, _("Đã thêm nhiệm vụ."))
                return redirect("tracking-task", pk=task.pk)
    return render(request, "tracking/task_form.html", {"form": form, "plan": plan, "task": None})


def _task_initial(task) -> dict:
    return {
        "number": task.number,
        "title": task.title,
        "lead_unit": task.lead_unit,
        "cooperating": list(task.cooperating_units.order_by("name")),
        "deadline_text": task.deadline_text,
        "deliverable": task.deliverable,
        "target_value": task.target_value,
        "target_unit": task.target_unit,
        "target_direction": task.target_direction,
        "target_aggregation": task.target_aggregation,
        "requires_plan": task.requires_plan,
        "version": task.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk):
    """Edit a task; a stale version shows what the other person saved and changes nothing."""
    user = request.user
    task = task_or_404(user, pk)
    if not can_coordinate(user, task.plan.unit):
        raise PermissionDenied
    conflict = None
    form = TaskForm(request.POST or None, initial=_task_initial(task), editing=True)
    if request.method == "POST" and form.is_valid():
        fields = _task_fields(user, form)
        if fields is not None:
            try:
                task = plan_actions.update_task(
                    user,
                    task,
                    expected_version=form.cleaned_data["version"],
                    **fields,
                )
            except StaleEdit as exc:
                conflict = _current_items(exc.current, Task)
                form_error(form, exc)
                data = request.POST.copy()
                data["version"] = task_or_404(user, pk).version
                form.data = data
            except ActionError as exc:
                form_error(form, exc, TASK_FIELD_MAP)
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect("tracking-task", pk=task.pk)
    return render(
        request,
        "tracking/task_form.html",
        {"form": form, "plan": task.plan, "task": task, "conflict": conflict},
        status=answer_status(request, conflict),
    )


SKIPPED_IN_CONFLICT = frozenset(
    {"id", "version", "created_at", "plan_id", "task_id", "occurrence_id", "directive_id"}
    | {"unit_path", "assignment_id", "submitted_at", "submitted_by_id", "assigned_by_id"}
    | {"starts_on", "ends_on", "kind", "period", "deadline"}
)


def _current_items(current, model=None) -> list[tuple[str, str]]:
    """StaleEdit.current (a snapshot: attnames → JSON values) as (label, value) for the page."""
    if not current:
        return []
    fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}
    unit_ids = set(current.get("cooperating_units") or ())
    for key, value in current.items():
        field = fields.get(key)
        if field is not None and field.is_relation and field.related_model is Unit and value:
            unit_ids.add(value)
    names = dict(Unit.objects.filter(pk__in=sorted(unit_ids)).values_list("pk", "name"))
    out = []
    for key, value in current.items():
        if key in SKIPPED_IN_CONFLICT:
            continue
        field = fields.get(key)
        label = str(field.verbose_name) if field is not None else key
        if key == "cooperating_units":
            label = _("phối hợp")
            value = ", ".join(names.get(pk, str(pk)) for pk in value)
        elif field is not None and field.is_relation:
            if field.related_model is not Unit:
                continue
            value = names.get(value, value)
        elif isinstance(field, DateField) and value:
            value = date_format(datetime.date.fromisoformat(str(value)[:10]), "SHORT_DATE_FORMAT")
        elif field is not None and field.choices and value:
            value = dict(field.flatchoices).get(value, value)
        elif isinstance(value, bool):
            value = _("có") if value else _("không")
        out.append((label, "—" if value in (None, "") else str(value)))
    return out


@login_required
@require_http_methods(["GET", "POST"])
def task_assign(request, pk):
    user = request.user
    task = task_or_404(user, pk)
    if not can_coordinate(user, task.plan.unit):
        raise PermissionDenied
    form = AssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rule = data["rule"]
        units = None
        if rule == "units":
            units = units_picked(user, form, "units", data["units"])
        if not form.errors:
            try:
                n = assign_actions.assign(
                    user, task, units=units, rule=rule, kind=data["kind"] or None
                )
            except ActionError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Đã giao nhiệm vụ: %(n)s phân công mới.") % {"n": n})
                return redirect("tracking-task", pk=task.pk)
    return render(request, "tracking/assign_form.html", {"form": form, "task": task})


@login_required
@require_GET
def task_detail(request, pk):
    user = request.user
    task = task_or_404(user, pk)
    as_of = today()
    assignments = (
        queries.visible_assignments(user)
        .filter(task=task)
        .select_related("unit", "occurrence")
        .order_by("due", "unit_path", "id")
    )
    page = paginate(request, assignments)
    page.object_list = with_status(page.object_list, as_of)
    for a in page.object_list:
        a.target_text = queries.reached_text(a.reached, a.target)
        a.pending_text = (
            queries.amount_text(a.reached_pending) if a.reached_pending is not None else ""
        )
    totals = queries.totals(queries.rollup(user, unit=task.plan.unit, task=task, as_of=as_of))
    summary = [(Status.LABELS[s], Status.CSS[s], totals[s]) for s in Status.ORDER if totals[s]]
    return render(
        request,
        "tracking/task_detail.html",
        {
            "task": task,
            "plan": task.plan,
            "occurrences": task.occurrences.all(),
            "cooperating": task.cooperating_units.order_by("name"),
            "page": page,
            "summary": summary,
            "targets": target_figures(request, task, as_of),
            "can_edit": can_coordinate(user, task.plan.unit),
            "history": readable_log(request.user, history_for(task)[:50]),
        },
    )
