"""Indicator pages: the list of sets, a set's panel at a unit (each indicator's colour there,
one indicator by child unit with drill-down), reporting a value, splitting a target among the
children, and the XLSX import with its template.

Reads come from `indicators.queries`; writes go through `indicators.actions` and
`indicators.imports`; a refusal is shown on the form, nothing is written.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import is_global, reaches, reaches_unit
from trienkhai.core import xlsx
from trienkhai.core.actions import ActionError, StaleEdit
from trienkhai.core.dates import today
from trienkhai.core.forms import form_error
from trienkhai.documents.queries import readable_documents
from trienkhai.indicators import actions, imports, periods, queries, risk
from trienkhai.indicators.actions import explanations
from trienkhai.indicators.forms import (
    CascadeForm,
    ExplanationAnswerForm,
    ExplanationRequestForm,
    ImportForm,
    ReportForm,
)
from trienkhai.indicators.models import Source, Target
from trienkhai.tree.paths import ancestor_paths
from trienkhai.units.imports.files import ImportFileError
from trienkhai.units.picker import picked_unit
from trienkhai.units.queries import default_unit, get_visible_unit, visible_units


def can_import(user) -> bool:
    return is_global(user) or bool(reaches(user, Role.COORDINATOR))


@login_required
@require_GET
def set_list(request):
    sets = queries.visible_sets(request.user).select_related("unit", "document")
    return render(
        request,
        "indicators/list.html",
        {"sets": sets, "can_import": can_import(request.user), "year": today().year},
    )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _report_choices(indicator, day):
    year = indicator.indicator_set.year
    last = min(periods.started(indicator.period, year, day), indicator.periods)
    return [(p, periods.name(indicator.period, year, p)) for p in range(last, 0, -1)]


def _explanation_context(request, unit, indicator, line, forms) -> dict:
    """The requests on this indicator at this unit, the unit's answer form (its reporters, an
    open request) and the request form (coordinators of the parent, a red line, none open)."""
    user = request.user
    asked = list(queries.explanations_at(user, indicator, unit))
    open_one = next((e for e in asked if e.answered_at is None), None)
    out = {"explanations": asked}
    if open_one is not None and reaches_unit(user, unit, Role.REPORTER):
        out["answer_form"] = forms.get("answer") or ExplanationAnswerForm()
        out["open_explanation"] = open_one
    may_ask = (
        unit.parent_id is not None
        and unit.pk != indicator.indicator_set.unit_id
        and reaches_unit(user, unit.parent, Role.COORDINATOR)
    )
    if may_ask and open_one is None and line is not None and line.colour == risk.RED:
        out["request_form"] = forms.get("request") or ExplanationRequestForm()
    return out


def _panel_context(
    request, indicator_set, unit, indicator, report_form=None, cascade_error=None, forms=None
):
    user, day = request.user, today()
    lines = queries.unit_lines(user, indicator_set, unit, day)
    children = queries.child_lines(user, indicator, unit, day) if indicator else []
    unit_page = reverse("unit-detail", args=[0]).replace("/0/", "/{}/")
    word = _("Trang đơn vị")
    ask = _("Yêu cầu giải trình")
    asks = indicator is not None and reaches_unit(user, unit, Role.COORDINATOR)
    context = {
        "set": indicator_set,
        "unit": unit,
        "indicator": indicator,
        "lines": lines,
        "children": children,
        "counts": queries.counts(children),
        "labels": risk.LABELS,
        "rule": risk.RULE,
        "breadcrumbs": list(
            visible_units(user)
            .filter(path__in=ancestor_paths(unit.path), path__gte=indicator_set.unit.path)
            .order_by("path")
        ),
        "today": day,
        # hundreds of rows: printed here in one pass, escaped by format_html, rather than by
        # the template engine cell by cell (most of the page's time at national scale)
        "children_rows": format_html_join(
            "\n",
            '<tr class="risk-row-{}" data-unit="{}"><td><a class="drill" href="?unit={}&amp;'
            'indicator={}#indicator">{}</a><br><span class="badge risk-{} {}">{}</span></td>'
            '<td class="num">{}</td><td class="num">{}</td><td class="num">{}</td>'
            '<td><a href="{}#indicators">{}</a>{}</td></tr>',
            (
                (
                    c.colour,
                    c.unit.code,
                    c.unit.pk,
                    indicator.pk,
                    c.unit.name,
                    c.colour,
                    c.risk.css,
                    c.badge,
                    c.target_text,
                    c.so_far_text,
                    c.projected_text,
                    unit_page.format(c.unit.pk),
                    word,
                    format_html(
                        '<br><a class="ask" href="?unit={}&amp;indicator={}#explanations">{}</a>',
                        c.unit.pk,
                        indicator.pk,
                        ask,
                    )
                    if asks and c.colour == risk.RED
                    else "",
                )
                for c in children
            ),
        ),
    }
    if indicator is None:
        return context
    context["line"] = next((ln for ln in lines if ln.indicator.pk == indicator.pk), None)
    context.update(_explanation_context(request, unit, indicator, context["line"], forms or {}))
    if indicator.source == Source.REPORTED and reaches_unit(user, unit, Role.REPORTER):
        choices = _report_choices(indicator, day)
        if choices:
            ended = periods.elapsed(indicator.period, indicator_set.year, day)
            values = [v for v in queries.value_table(indicator, unit) if v["value"]]
            versions = " ".join(f"{v['period']}:{v['value'].version}" for v in values)
            context["report_form"] = report_form or ReportForm(
                choices=choices, initial={"period": ended or choices[0][0], "versions": versions}
            )
            context["values"] = values
    if reaches_unit(user, unit, Role.COORDINATOR) and not (
        request.method == "POST" or request.GET.get("cascade")
    ):
        context["cascade_link"] = True
    elif reaches_unit(user, unit, Role.COORDINATOR):
        kids = list(actions.cascade_children(unit))
        if kids:
            own = Target.objects.filter(
                indicator=indicator, unit=unit, year=indicator_set.year
            ).first()
            context["cascade"] = {
                "form": CascadeForm(initial={"method": "even"}),
                "children": kids,
                "target": own,
                "error": cascade_error,
            }
    return context


def _resolve(request, pk, source):
    user = request.user
    indicator_set = queries.get_visible_set(user, pk)
    if indicator_set is None:
        raise Http404
    unit_id = _int(source.get("unit"))
    if unit_id is not None:
        unit = get_visible_unit(user, unit_id)
        if unit is None or not unit.path.startswith(indicator_set.unit.path):
            raise Http404
    else:
        unit = default_unit(user)
        if unit is None or not unit.path.startswith(indicator_set.unit.path):
            unit = indicator_set.unit if reaches_unit(user, indicator_set.unit) else unit
        if unit is None or not unit.path.startswith(indicator_set.unit.path):
            raise Http404
    indicators = list(indicator_set.indicators.all())
    wanted = _int(source.get("indicator"))
    indicator = next((i for i in indicators if i.pk == wanted), None)
    if wanted is not None and indicator is None:
        raise Http404
    if indicator is None and indicators:
        indicator = indicators[0]
    if indicator is not None:
        indicator.indicator_set = indicator_set
    return indicator_set, unit, indicator


def _back(indicator_set, unit, indicator, anchor: str = "indicator") -> str:
    return (
        reverse("indicators-set", args=[indicator_set.pk])
        + f"?unit={unit.pk}&indicator={indicator.pk}#{anchor}"
    )


@login_required
@require_GET
def set_panel(request, pk):
    indicator_set, unit, indicator = _resolve(request, pk, request.GET)
    return render(
        request, "indicators/panel.html", _panel_context(request, indicator_set, unit, indicator)
    )


@login_required
@require_POST
def report(request, pk):
    indicator_set, unit, indicator = _resolve(request, pk, request.POST)
    if indicator is None:
        raise Http404
    if not reaches_unit(request.user, unit, Role.REPORTER):
        raise PermissionDenied
    form = ReportForm(request.POST, choices=_report_choices(indicator, today()))
    status = 400
    if form.is_valid():
        try:
            actions.report_value(
                request.user,
                indicator,
                unit,
                form.cleaned_data["period"],
                form.cleaned_data["value"],
                expected_version=form.expected_version(),
            )
        except ActionError as exc:
            form_error(form, exc)
            status = 409 if isinstance(exc, StaleEdit) else 400
        else:
            messages.success(request, _("Đã lưu số liệu."))
            return redirect(_back(indicator_set, unit, indicator))
    context = _panel_context(request, indicator_set, unit, indicator, report_form=form)
    return render(request, "indicators/panel.html", context, status=status)


@login_required
@require_POST
def cascade(request, pk):
    indicator_set, unit, indicator = _resolve(request, pk, request.POST)
    if indicator is None:
        raise Http404
    if not reaches_unit(request.user, unit, Role.COORDINATOR):
        raise PermissionDenied
    form = CascadeForm(request.POST)
    error = None
    if form.is_valid():
        figures = {c.pk: request.POST.get(f"c{c.pk}", "") for c in actions.cascade_children(unit)}
        try:
            actions.cascade(
                request.user, indicator, unit, method=form.cleaned_data["method"], figures=figures
            )
        except ActionError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("Đã phân bổ chỉ tiêu cho các đơn vị trực thuộc."))
            return redirect(_back(indicator_set, unit, indicator))
    else:
        error = _("Cách phân bổ không hợp lệ.")
    context = _panel_context(request, indicator_set, unit, indicator, cascade_error=error)
    return render(request, "indicators/panel.html", context, status=400)


@login_required
@require_POST
def request_explanation(request, pk):
    indicator_set, unit, indicator = _resolve(request, pk, request.POST)
    if indicator is None:
        raise Http404
    form = ExplanationRequestForm(request.POST)
    if form.is_valid():
        try:
            explanations.request_explanation(
                request.user,
                indicator,
                unit,
                question=form.cleaned_data["question"],
                answer_by=form.cleaned_data["answer_by"],
            )
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, _("Đã gửi yêu cầu giải trình tới %(unit)s.") % {"unit": unit.name}
            )
            return redirect(_back(indicator_set, unit, indicator, "explanations"))
    context = _panel_context(request, indicator_set, unit, indicator, forms={"request": form})
    if "request_form" not in context:  # refused outright (no right, not red, already asked)
        context["request_refused"] = form
    return render(request, "indicators/panel.html", context, status=400)


@login_required
@require_POST
def answer_explanation(request, pk):
    found = queries.visible_explanations(request.user).select_related("unit").filter(pk=pk).first()
    if found is None:
        raise Http404
    indicator_set, unit, indicator = _resolve(
        request,
        found.indicator.indicator_set_id,
        {"unit": found.unit_id, "indicator": found.indicator_id},
    )
    form = ExplanationAnswerForm(request.POST)
    if form.is_valid():
        try:
            explanations.answer_explanation(request.user, found, answer=form.cleaned_data["answer"])
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Đã gửi giải trình."))
            return redirect(_back(indicator_set, unit, indicator, "explanations"))
    context = _panel_context(request, indicator_set, unit, indicator, forms={"answer": form})
    if "answer_form" not in context:
        context["answer_refused"] = form
    return render(request, "indicators/panel.html", context, status=400)


@login_required
@require_GET
def import_template(request):
    return xlsx.response(imports.template(), "mau-bo-chi-tieu.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def import_set(request):
    user = request.user
    if not can_import(user):
        raise PermissionDenied
    documents = list(readable_documents(user).order_by("-date", "-id")[:300])
    form = ImportForm(request.POST or None, request.FILES or None, documents=documents)
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        document = next((d for d in documents if d.pk == data["document"]), None)
        unit = picked_unit(user, data["unit"], Role.COORDINATOR)
        if unit is None:
            form.add_error("unit", _("Không tìm thấy đơn vị trong phạm vi điều phối của bạn."))
        else:
            try:
                created = imports.import_set(
                    user,
                    data["file"],
                    document=document,
                    unit=unit,
                    name=data["name"],
                    year=data["year"],
                )
            except imports.ImportRefused as exc:
                form.add_error(None, str(exc.message))
                errors = exc.errors
            except (ImportFileError, ActionError) as exc:
                form_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Đã nhập bộ chỉ tiêu với %(n)s chỉ tiêu.")
                    % {"n": created.indicators.count()},
                )
                return redirect("indicators-set", created.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "indicators/import.html", {"form": form, "errors": errors}, status=status
    )
