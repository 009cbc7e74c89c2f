"""Reached against target: a task's figures by child unit (with drill-down), the split of its
target among a period's units (evenly, or by a weight typed per unit), and one unit's share set
by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import reaches_unit
from trienkhai.core.actions import ActionError
from trienkhai.tracking import queries
from trienkhai.tracking.actions import targets as target_actions
from trienkhai.tracking.models import TargetAggregation
from trienkhai.tracking.views.common import assignment_or_404, can_coordinate, task_or_404
from trienkhai.tree.paths import ancestor_paths
from trienkhai.units.queries import default_unit, get_visible_unit, visible_units

WEIGHED_UNITS = 300


def _int(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def target_figures(request, task, as_of) -> dict | None:
    """The task page's "reached against target" card: the period (`?period=`), the unit whose
    children are shown (`?under=`, default the plan's unit when visible, else the user's),
    a line per child with its drill-down link, and the total."""
    if task.target_value is None and not task.assignments.filter(target__isnull=False).exists():
        return None
    user = request.user
    occurrences = list(task.occurrences.order_by("due"))
    wanted = _int(request.GET.get("period"))
    period = next((o for o in occurrences if o.pk == wanted), None) or queries.target_period(
        task, as_of
    )
    if period is None:
        return None
    under = get_visible_unit(user, _int(request.GET.get("under")) or task.plan.unit_id)
    if under is None:
        under = default_unit(user)
    if under is None:
        return None
    lines = queries.target_rollup(user, unit=under, task=task, occurrence=period)
    base = reverse("tracking-task", args=[task.pk])
    for line in lines:
        if line.unit is not None and not line.own:
            query = urlencode({"period": period.pk, "under": line.unit.pk})
            line.href = f"{base}?{query}#targets"
    can_split = can_coordinate(user, task.plan.unit) and task.target_value is not None
    weighable = []
    if can_split and task.target_aggregation == TargetAggregation.SUM:
        # a weight per unit is typed on the page: offered up to WEIGHED_UNITS units
        weighable = list(
            task.assignments.filter(occurrence=period)
            .select_related("unit")
            .order_by("unit_path", "id")[: WEIGHED_UNITS + 1]
        )
        if len(weighable) > WEIGHED_UNITS:
            weighable = []
    return {
        "weighable": weighable,
        "period": period,
        "periods": occurrences,
        "under": under,
        "lines": lines,
        "total": queries.target_total(under, task, lines),
        "crumbs": list(
            visible_units(user).filter(path__in=ancestor_paths(under.path)).order_by("path")
        ),
        "can_split": can_split,
    }


@login_required
@require_POST
def split(request, pk):
    user = request.user
    task = task_or_404(user, pk)
    if not can_coordinate(user, task.plan.unit):
        raise PermissionDenied
    period = task.occurrences.filter(pk=_int(request.POST.get("period"))).first()
    target = reverse("tracking-task", args=[task.pk])
    if period is None:
        messages.error(request, _("Hãy chọn kỳ để phân bổ chỉ tiêu."))
        return redirect(f"{target}#targets")
    by_weight = request.POST.get("method") == "weight"
    weights = None
    if by_weight:
        weights = {k: v for k, v in request.POST.items() if k.startswith("w") and k[1:].isdigit()}
    try:
        n = target_actions.split_target(
            user,
            task,
            occurrence=period,
            expected_version=request.POST.get("version"),
            weights=weights,
        )
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        if by_weight:
            done = _("Đã phân bổ chỉ tiêu theo trọng số cho %(n)s đơn vị.")
        else:
            done = _("Đã chia đều chỉ tiêu cho %(n)s đơn vị.")
        messages.success(request, done % {"n": n})
    return redirect(f"{target}?{urlencode({'period': period.pk})}#targets")


@login_required
@require_POST
def set_target(request, pk):
    user = request.user
    assignment = assignment_or_404(user, pk)
    if not reaches_unit(user, assignment.assigned_by, Role.COORDINATOR):
        raise PermissionDenied
    try:
        target_actions.set_target(
            user,
            assignment,
            value=request.POST.get("target", ""),
            expected_version=request.POST.get("version"),
        )
    except ActionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã lưu chỉ tiêu của đơn vị."))
    return redirect(reverse("tracking-assignment", args=[assignment.pk]) + "#target")
