"""Inspections pages: the list (filters, diacritic-free search, XLSX), creating and editing an
inspection, programmes, and the detail page with every section.

Every read goes through `inspections.queries` (scoped in SQL; outside the scope is a 404);
every write through `inspections.actions`, whose refusals are shown on the field they name.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from trienkhai.accounts.classified import readable_log
from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import is_global, reaches
from trienkhai.core import xlsx
from trienkhai.core.actions import ActionError, StaleEdit
from trienkhai.core.dates import today
from trienkhai.core.forms import answer_status, form_error
from trienkhai.core.pagination import paginate
from trienkhai.core.queries import history_for
from trienkhai.documents import queries as doc_queries
from trienkhai.inspections import exports, queries
from trienkhai.inspections.actions import inspections as inspection_actions
from trienkhai.inspections.actions import programmes as programme_actions
from trienkhai.inspections.actions import steps as step_actions
from trienkhai.inspections.actions.common import can_inspect, can_inspect_unit, can_report_for
from trienkhai.inspections.actions.inspections import OPEN_FOR_SETUP, part_removal_refusal
from trienkhai.inspections.forms import (
    FindingForm,
    InspectionForm,
    ListFilterForm,
    MemberForm,
    OutlineForm,
    ProgrammeForm,
    RecommendationForm,
    RequestForm,
    SelfReportForm,
    StepForm,
    UnitAddForm,
)
from trienkhai.inspections.models import State
from trienkhai.inspections.warnings import warnings_for
from trienkhai.units.forms import unit_by_code
from trienkhai.units.queries import get_visible_unit


def inspection_or_404(user, pk):
    inspection = queries.get_inspection(user, pk)
    if inspection is None:
        raise Http404
    return inspection


def can_create(user) -> bool:
    return is_global(user) or bool(reaches(user, Role.INSPECTOR) or reaches(user, Role.COORDINATOR))


def document_by_symbol(user, form, field, symbol, date=None):
    docs = list(doc_queries.find_by_symbol(user, symbol, date)[:2])
    if not docs:
        form.add_error(
            field,
            _("Không tìm thấy văn bản %(symbol)s trong phạm vi của bạn.") % {"symbol": symbol},
        )
        return None
    if len(docs) > 1:
        form.add_error(field, _("Có nhiều văn bản mang số này; hãy nhập ngày ban hành."))
        return None
    return docs[0]


# --- list -------------------------------------------------------------------------------


def _filtered(request):
    user = request.user
    form = ListFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    unit = get_visible_unit(user, data["unit"]) if data.get("unit") else None
    qs = queries.filter_inspections(
        user,
        queries.visible_inspections(user),
        year=data.get("year"),
        kind=data.get("kind") or "",
        state=data.get("state") or "",
        unit=unit,
        q=data.get("q") or "",
        finding=data.get("finding") or "",
    )
    return form, unit, qs.order_by("-year", "-work_from", "-id")


@login_required
@require_GET
def inspection_list(request):
    form, unit, qs = _filtered(request)
    page = paginate(request, qs)
    return render(
        request,
        "inspections/list.html",
        {"form": form, "page": page, "unit": unit, "can_create": can_create(request.user)},
    )


@login_required
@require_GET
def inspection_export(request):
    user = request.user
    form, unit, qs = _filtered(request)
    # Only the inspected units the user may see, as on the detail page.
    parts = Prefetch("parts", queryset=queries.seen_parts(user))
    rows = list(qs.prefetch_related(parts)[: exports.MAX_ROWS])
    content = exports.inspections(rows, _("Danh sách cuộc kiểm tra, giám sát"))
    return xlsx.response(content, "kiem-tra-giam-sat.xlsx")


# --- create and edit --------------------------------------------------------------------


def _programmes(user):
    """The programme choices of the inspection form (the latest 200 in the user's reach)."""
    return queries.visible_programmes(user).order_by("-year", "title")[:200]


def _inspection_fields(user, form) -> dict | None:
    data = form.cleaned_data
    fields = {
        k: data[k]
        for k in (
            "kind",
            "team_name",
            "title",
            "period_from",
            "period_to",
            "work_from",
            "work_to",
            "work_extended_to",
            "note",
        )
    }
    fields["programme"] = (
        queries.get_programme(user, data["programme"]) if data.get("programme") else None
    )
    fields["directives"] = [
        document_by_symbol(user, form, "directives", s) for s in data["directives"]
    ]
    if "unit" in form.fields:
        fields["unit"] = unit_by_code(user, form, "unit", data["unit"].strip())
        fields["acting_body"] = (
            unit_by_code(user, form, "acting_body", data["acting_body"].strip())
            if data["acting_body"].strip()
            else None
        )
        fields["inspected_units"] = [
            unit_by_code(user, form, "inspected_units", c) for c in data["inspected_units"]
        ]
    return None if form.errors else fields


@login_required
@require_http_methods(["GET", "POST"])
def inspection_create(request):
    user = request.user
    if not can_create(user):
        raise PermissionDenied
    form = InspectionForm(request.POST or None, programmes=_programmes(user))
    if request.method == "POST" and form.is_valid():
        fields = _inspection_fields(user, form)
        if fields is not None:
            try:
                inspection = inspection_actions.create_inspection(user, **fields)
            except ActionError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Đã tạo cuộc kiểm tra, giám sát."))
                return redirect("inspection-detail", pk=inspection.pk)
    return render(request, "inspections/form.html", {"form": form, "inspection": None})


@login_required
@require_http_methods(["GET", "POST"])
def inspection_edit(request, pk):
    user = request.user
    inspection = inspection_or_404(user, pk)
    if not can_inspect(user, inspection):
        raise PermissionDenied
    initial = {
        "kind": inspection.kind,
        "programme": inspection.programme_id,
        "team_name": inspection.team_name,
        "title": inspection.title,
        # Only the directives the user may read; the others are neither shown nor dropped.
        "directives": ", ".join(
            d.symbol
            for d in doc_queries.readable_documents(user)
            .filter(inspections=inspection)
            .order_by("date", "id")
        ),
        "period_from": inspection.period_from,
        "period_to": inspection.period_to,
        "work_from": inspection.work_from,
        "work_to": inspection.work_to,
        "work_extended_to": inspection.work_extended_to,
        "note": inspection.note,
        "version": inspection.version,
    }
    form = InspectionForm(
        request.POST or None, initial=initial, programmes=_programmes(user), editing=True
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        fields = _inspection_fields(user, form)
        if fields is not None:
            try:
                inspection_actions.update_inspection(
                    user, inspection, expected_version=form.cleaned_data["version"], **fields
                )
            except StaleEdit as exc:
                conflict = sorted(exc.current.items())
                form_error(form, exc)
                data = request.POST.copy()
                data["version"] = exc.current["version"]
                form.data = data
            except ActionError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Đã lưu thay đổi."))
                return redirect("inspection-detail", pk=inspection.pk)
    return render(
        request,
        "inspections/form.html",
        {"form": form, "inspection": inspection, "conflict": conflict},
        status=answer_status(request, conflict),
    )


# --- programmes -------------------------------------------------------------------------


def _readable_symbol(user, document) -> str:
    """The symbol shown in a form: "" for none, or for one the user may not read."""
    if document is None or not doc_queries.readable_documents(user).filter(pk=document.pk).exists():
        return ""
    return document.symbol


def _programme_fields(user, form, current=None) -> dict | None:
    """The action's keyword arguments from a valid programme form (None: errors were added).
    An unchanged symbol keeps the programme's document (even if several share that number)."""
    data = form.cleaned_data
    fields = {"year": data["year"], "title": data["title"], "note": data["note"]}
    if "unit" in form.fields:
        fields["unit"] = unit_by_code(user, form, "unit", data["unit"].strip())
    body = data["acting_body"].strip()
    fields["acting_body"] = unit_by_code(user, form, "acting_body", body) if body else None
    symbol = data["symbol"]
    if (
        current is not None
        and current.document_id
        and symbol == _readable_symbol(user, current.document)
    ):
        fields["document"] = current.document  # unchanged (also one the user may not read)
    else:
        fields["document"] = document_by_symbol(user, form, "symbol", symbol) if symbol else None
    return None if form.errors else fields


@login_required
@require_http_methods(["GET", "POST"])
def programme_list(request):
    user = request.user
    form = ProgrammeForm(request.POST or None) if can_create(user) else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            fields = _programme_fields(user, form)
            if fields is not None:
                try:
                    programme_actions.create_programme(user, **fields)
                except ActionError as exc:
                    form_error(form, exc)
                else:
                    messages.success(request, _("Đã tạo chương trình."))
                    return redirect("inspections-programmes")
    qs = queries.visible_programmes(user).order_by("-year", "title")
    page = paginate(request, qs)
    doc_queries.seen_documents(user, page.object_list, "document")
    for programme in page:
        programme.can_edit = can_inspect_unit(user, programme.unit)
    return render(request, "inspections/programmes.html", {"page": page, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, pk):
    """Edit a programme (its committee's inspectors); a stale form shows the other change."""
    user = request.user
    programme = queries.get_programme(user, pk)
    if programme is None:
        raise Http404
    if not can_inspect_unit(user, programme.unit):
        raise PermissionDenied
    initial = {
        "acting_body": programme.acting_body or "",
        "year": programme.year,
        "title": programme.title,
        "symbol": _readable_symbol(user, programme.document),
        "note": programme.note,
        "version": programme.version,
    }
    form = ProgrammeForm(request.POST or None, initial=initial, editing=True)
    conflict = None
    if request.method == "POST" and form.is_valid():
        fields = _programme_fields(user, form, current=programme)
        if fields is not None:
            try:
                programme_actions.update_programme(
                    user, programme, expected_version=form.cleaned_data["version"], **fields
                )
            except StaleEdit as exc:
                conflict = sorted(exc.current.items())
                form_error(form, exc)
                data = request.POST.copy()
                data["version"] = exc.current["version"]
                form.data = data
            except ActionError as exc:
                form_error(form, exc, {"document": "symbol"})
            else:
                messages.success(request, _("Đã lưu chương trình."))
                return redirect("inspections-programmes")
    return render(
        request,
        "inspections/programme_form.html",
        {"form": form, "programme": programme, "conflict": conflict},
        status=answer_status(request, conflict),
    )


# --- detail -----------------------------------------------------------------------------


def detail_context(request, inspection, **extra) -> dict:
    user = request.user
    whole = queries.sees_whole(user, inspection)
    inspector = can_inspect(user, inspection)
    parts = list(
        queries.visible_parts(user, inspection).prefetch_related(
            "self_reports", "findings", "requests__owner", "recommendations__addressed_to"
        )
    )
    open_setup = inspection.state in OPEN_FOR_SETUP
    for part in parts:
        part.can_report = can_report_for(user, part.unit)
        part.removal_refusal = (
            part_removal_refusal(inspection, part) if inspector and open_setup else None
        )
    target = step_actions.NEXT.get(inspection.state)
    step_form = None
    if inspector and target:
        step_form = StepForm(
            target=target,
            initial={
                "date": today(),
                "version": inspection.version,
                "term": inspection.decision.term if inspection.decision else "",
            },
        )
    accepting_reports = inspection.state in (State.ANNOUNCED, State.SELF_REPORTS, State.VERIFYING)
    # The documents it names pass the user's scope and clearance, like the inspection itself.
    doc_queries.seen_documents(
        user, [inspection], "directives", "decision", "notice", "outline_document"
    )
    context = {
        "inspection": inspection,
        "whole": whole,
        "can_inspect": inspector,
        "parts": parts,
        "members": inspection.members.all(),
        "directives": inspection.seen_directives,
        "steps": inspection.steps.select_related("user"),
        "warnings": warnings_for(inspection),
        "target": State(target).label if target else None,
        "target_value": target,
        "step_form": step_form,
        "member_form": MemberForm() if inspector and inspection.state != State.CLOSED else None,
        "unit_form": UnitAddForm() if inspector and open_setup else None,
        "outline_form": OutlineForm() if inspector and open_setup else None,
        "outline": getattr(inspection, "outline", None) if _has_outline(inspection) else None,
        "self_report_form": SelfReportForm(initial={"submitted_on": today()})
        if accepting_reports
        else None,
        "history": readable_log(request.user, history_for(inspection)[:50]) if whole else [],
        "conflict": None,
        "today": today(),
    }
    context.update(extra)
    # One form per unit that may report, each with its own ids so every label names its control
    # (the same form repeated would repeat "id_note"); a refused one comes back with its errors.
    if context["self_report_form"] is not None:
        first = extra.get("self_report_part") is None  # a refused form keeps the plain ids
        for part in parts:
            if not part.can_report:
                continue
            if extra.get("self_report_part") == part.pk:
                part.self_report_form = context["self_report_form"]
            elif first:
                part.self_report_form = SelfReportForm(initial={"submitted_on": today()})
            else:
                part.self_report_form = SelfReportForm(
                    initial={"submitted_on": today()}, auto_id=f"selfreport{part.pk}_%s"
                )
            first = False
    return context


def _has_outline(inspection) -> bool:
    from trienkhai.inspections.models import OutlineFile

    return OutlineFile.objects.filter(inspection=inspection).exists()


def render_detail(request, inspection, status=200, **extra):
    return render(
        request,
        "inspections/detail.html",
        detail_context(request, inspection, **extra),
        status=status,
    )


@login_required
@require_GET
def inspection_detail(request, pk):
    return render_detail(request, inspection_or_404(request.user, pk))


def conclusion_forms(parts, data=None, which=None):
    """The three entry forms of the conclusions page; only `which` is bound to `data`."""
    return {
        f"{name}_form": cls(data if which == name else None, parts=parts, prefix=name)
        for name, cls in (
            ("finding", FindingForm),
            ("request", RequestForm),
            ("recommendation", RecommendationForm),
        )
    }
