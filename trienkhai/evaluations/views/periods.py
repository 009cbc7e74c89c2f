"""Evaluation pages: periods, the classification screen of a deciding unit, the distribution.

Every read goes through `evaluations.queries` (scoped in SQL); outside the scope is a 404. The
steps of one evaluation live in views/steps.py.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import administers_someone
from trienkhai.accounts.scope import reaches_unit
from trienkhai.core import xlsx
from trienkhai.core.actions import ActionError, StaleEdit
from trienkhai.core.forms import DateField, answer_status, form_error
from trienkhai.evaluations import exports, queries
from trienkhai.evaluations.actions import periods as period_actions
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.forms import ChooseUnitForm, PeriodForm
from trienkhai.tree.paths import ancestor_paths
from trienkhai.units.models import Unit
from trienkhai.units.picker import picked_unit
from trienkhai.units.queries import (
    default_unit,
    get_visible_unit,
    visible_units,
)


def can_administer(user, unit=None) -> bool:
    if unit is None:
        return administers_someone(user)
    return reaches_unit(user, unit, Role.ADMINISTRATOR)


def period_or_404(user, pk):
    period = queries.get_period(user, pk)
    if period is None:
        raise Http404
    return period


def as_of_param(request, period) -> datetime.date:
    raw = request.GET.get("as_of")
    if raw:
        try:
            return DateField().clean(raw)
        except Exception:  # noqa: BLE001, S110 - a bad date falls back to the default
            pass
    return queries.default_as_of(period)


# --- periods -----------------------------------------------------------------------------------


@login_required
@require_GET
def period_list(request):
    periods = queries.visible_periods(request.user).order_by("-year", "unit__path")
    return render(
        request,
        "evaluations/period_list.html",
        {"periods": periods, "can_create": can_administer(request.user)},
    )


def _period_fields(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    data.pop("unit", None)
    data.pop("year", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def period_create(request):
    user = request.user
    if not can_administer(user):
        raise PermissionDenied
    rules = period_actions.default_rules()
    initial = {**rules, "disqualifiers": "\n".join(rules["disqualifiers"])}
    root = default_unit(user)
    if root is not None:
        initial["unit"] = root
    initial["year"] = timezone.localdate().year
    form = PeriodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        unit = picked_unit(user, form.cleaned_data["unit"])
        if unit is None:
            form.add_error("unit", _("Không có đơn vị mã này trong phạm vi của bạn."))
        else:
            try:
                period = period_actions.create_period(
                    user, unit=unit, year=form.cleaned_data["year"], **_period_fields(form)
                )
            except ActionError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Đã tạo kỳ đánh giá."))
                return redirect("evaluations-period", pk=period.pk)
    return render(request, "evaluations/period_form.html", {"form": form, "period": None})


@login_required
@require_http_methods(["GET", "POST"])
def period_edit(request, pk):
    user = request.user
    period = period_or_404(user, pk)
    if not can_administer(user, period.unit):
        raise PermissionDenied
    initial = {
        f: getattr(period, f) for f in (*period_actions.RULE_FIELDS, "name", "ends_on", "version")
    }
    initial["disqualifiers"] = "\n".join(period.disqualifiers)
    form = PeriodForm(request.POST or None, initial=initial, editing=True)
    decided = period_actions.decisions_taken(period)
    if decided:
        # The action refuses a change of these once a decision exists; show them read-only.
        for field in period_actions.RULE_FIELDS:
            form.fields[field].disabled = True
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            period_actions.update_period(
                user,
                period,
                expected_version=form.cleaned_data["version"],
                **_period_fields(form),
            )
        except StaleEdit as exc:
            form_error(form, exc)
            conflict = [(k, v) for k, v in exc.current.items() if k in initial]
            data = request.POST.copy()
            data["version"] = exc.current["version"]
            form.data = data
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Đã lưu quy định của kỳ."))
            return redirect("evaluations-period", pk=period.pk)
    return render(
        request,
        "evaluations/period_form.html",
        {"form": form, "period": period, "conflict": conflict, "decided": decided},
        status=answer_status(request, conflict),
    )


@login_required
@require_GET
def period_detail(request, pk):
    user = request.user
    period = period_or_404(user, pk)
    form = ChooseUnitForm(request.GET or None)
    if request.GET.get("unit") and form.is_valid():
        unit = picked_unit(user, form.cleaned_data["unit"])
        if unit is None:
            form.add_error("unit", _("Không có đơn vị mã này trong phạm vi của bạn."))
        else:
            return redirect("evaluations-classification", pk=period.pk, unit_id=unit.pk)
    return render(
        request,
        "evaluations/period_detail.html",
        {
            "period": period,
            "deciders": queries.deciders(user, period),
            "form": form,
            "can_edit": can_administer(user, period.unit),
        },
    )


# --- classification screen ---------------------------------------------------------------------


def _decider_or_404(user, period, unit_id) -> Unit:
    """The deciding unit, if the user reaches it or sees some of its evaluations."""
    unit = get_visible_unit(user, unit_id)
    if unit is None:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None or not queries.classification(user, period, unit).exists():
            raise Http404
    return unit


def _row_permissions(user, rows, decider):
    """Which step links each row shows (the same rule the step pages apply)."""
    from trienkhai.evaluations.views.steps import permissions

    for ev in rows:
        for key, value in permissions(user, ev).items():
            setattr(ev, key, value)
    return reaches_unit(user, decider, Role.COORDINATOR)


@login_required
@require_GET
def classification(request, pk, unit_id):
    user = request.user
    period = period_or_404(user, pk)
    decider = _decider_or_404(user, period, unit_id)
    as_of = as_of_param(request, period)
    rows = queries.attach_flags(queries.classification(user, period, decider), as_of)
    cap = queries.visible_cap_status(user, period, decider)
    if request.GET.get("export") == "xlsx":
        return xlsx.response(
            exports.classification(period, decider, rows, cap, as_of),
            f"xep-loai-{period.year}.xlsx",
        )
    can_decide = _row_permissions(user, rows, decider)
    breadcrumbs = list(
        visible_units(user).filter(path__in=ancestor_paths(decider.path)).order_by("path")
    )
    return render(
        request,
        "evaluations/classification.html",
        {
            "period": period,
            "decider": decider,
            "rows": rows,
            "cap": cap,
            "as_of": as_of,
            "can_open": can_decide,
            "flagged": sum(1 for ev in rows if ev.flags),
            "breadcrumbs": breadcrumbs,
            "distribution_url": reverse("evaluations-distribution")
            + f"?period={period.pk}&unit={decider.pk}",
        },
    )


@login_required
@require_POST
def open_evaluations(request, pk, unit_id):
    user = request.user
    period = period_or_404(user, pk)
    decider = get_visible_unit(user, unit_id)
    if decider is None:
        raise Http404
    try:
        n = rating_actions.open_evaluations(user, period, decider)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã lập %(n)s bản đánh giá mới.") % {"n": n})
    return redirect("evaluations-classification", pk=period.pk, unit_id=decider.pk)


# --- distribution ------------------------------------------------------------------------------


def _int_param(request, name):
    try:
        return int(request.GET.get(name) or 0) or None
    except ValueError:
        raise Http404 from None


@login_required
@require_GET
def distribution(request):
    """Levels decided per child unit of a subtree, with percentages and a cap indicator."""
    user = request.user
    unit_id = _int_param(request, "unit")
    unit = get_visible_unit(user, unit_id) if unit_id else default_unit(user)
    if unit is None:
        raise Http404
    period_id = _int_param(request, "period")
    if period_id:
        period = period_or_404(user, period_id)
    else:
        period = queries.latest_period(user, unit, timezone.localdate())
    periods = queries.visible_periods(user).order_by("-year")[:50]
    context = {"unit": unit, "period": period, "periods": periods, "levels": queries.levels()}
    if period is not None:
        rows = queries.distribution(user, period, unit)
        total = queries.distribution_total(rows, queries.deciders_over_cap(user, period, unit))
        if request.GET.get("export") == "xlsx":
            return xlsx.response(
                exports.distribution(period, unit, rows, total), f"phan-bo-{period.year}.xlsx"
            )
        decides = queries.classification(user, period, unit).exists()
        context.update(
            {
                "rows": rows,
                "total": total,
                "cap": queries.cap_status(period, unit) if decides else None,
                "breadcrumbs": list(
                    visible_units(user).filter(path__in=ancestor_paths(unit.path)).order_by("path")
                ),
            }
        )
    elif request.GET.get("export") == "xlsx":
        raise Http404
    return render(request, "evaluations/distribution.html", context)
