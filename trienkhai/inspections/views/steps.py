"""Writes from the inspection page: the next step, team, inspected units, outline, self-reports,
and the conclusions page (findings, requests, recommendations per inspected unit)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from trienkhai.core.actions import ActionError, StaleEdit
from trienkhai.core.dates import today
from trienkhai.core.files import MAX_UPLOAD_BYTES, download
from trienkhai.core.forms import answer_status, form_error
from trienkhai.documents import queries as doc_queries
from trienkhai.documents.models import DocType
from trienkhai.inspections import queries
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.actions import inspections as inspection_actions
from trienkhai.inspections.actions import steps as step_actions
from trienkhai.inspections.actions.common import can_inspect
from trienkhai.inspections.forms import (
    MemberForm,
    OutlineForm,
    ResponseForm,
    SelfReportForm,
    StepForm,
    UnitAddForm,
)
from trienkhai.inspections.models import (
    InspectedUnit,
    OutlineFile,
    Recommendation,
    SelfReport,
    State,
    TeamMember,
)
from trienkhai.inspections.views.inspections import (
    conclusion_forms,
    document_by_symbol,
    inspection_or_404,
    render_detail,
)
from trienkhai.units.forms import unit_by_code


def _inspector_or_403(user, inspection):
    if not can_inspect(user, inspection):
        raise PermissionDenied


def _side_document(user, inspection, form, doc_type):
    """The readable document with that symbol and date, or a new one registered for the step."""
    data = form.cleaned_data
    found = list(doc_queries.find_by_symbol(user, data["symbol"], data["doc_date"])[:1])
    if found:
        return found[0]
    if not data.get("subject", "").strip():
        form.add_error(
            "subject", _("Văn bản chưa có trong sổ: hãy nhập trích yếu để vào sổ văn bản.")
        )
        return None
    if not data.get("term", "").strip():
        form.add_error("term", _("Nhiệm kỳ (khóa) là bắt buộc."))
        return None
    return step_actions.register_side_document(
        user,
        inspection,
        doc_type=doc_type,
        symbol=data["symbol"],
        date=data["doc_date"],
        subject=data["subject"],
        term=data["term"],
        classification=data.get("classification") or 0,
    )


def _take_step(user, inspection, form, target, common):
    if target == State.DECIDED:
        doc = _side_document(user, inspection, form, DocType.DECISION)
        if doc is not None:
            step_actions.decide(user, inspection, decision=doc, **common)
    elif target == State.CONCLUDED:
        doc = _side_document(user, inspection, form, DocType.NOTICE)
        if doc is not None:
            step_actions.conclude(user, inspection, notice=doc, **common)
    else:
        step_actions.STEPS[target](user, inspection, date=form.cleaned_data["date"], **common)
    if form.errors:
        raise _Invalid


@login_required
@require_POST
def inspection_step(request, pk):
    """Take the next step of the procedure (which one is fixed by the current state)."""
    user = request.user
    inspection = inspection_or_404(user, pk)
    _inspector_or_403(user, inspection)
    target = step_actions.NEXT.get(inspection.state)
    if target is None:
        raise Http404
    form = StepForm(request.POST, target=target)
    conflict = None
    if form.is_valid():
        data = form.cleaned_data
        common = {"note": data["note"], "expected_version": data["version"]}
        try:
            with transaction.atomic():  # a refused step registers no document either
                _take_step(user, inspection, form, target, common)
        except StaleEdit as exc:
            conflict = sorted(exc.current.items())
            form_error(form, exc)
        except _Invalid:
            pass
        except ActionError as exc:
            form_error(form, exc, {"decision": "symbol", "notice": "symbol"})
        if not form.errors:
            messages.success(
                request, _("Đã chuyển sang bước “%(step)s”.") % {"step": State(target).label}
            )
            return redirect("inspection-detail", pk=inspection.pk)
    inspection = inspection_or_404(user, pk)
    return render_detail(
        request,
        inspection,
        status=answer_status(request, conflict),
        step_form=form,
        conflict=conflict,
    )


@login_required
@require_POST
def member_add(request, pk):
    user = request.user
    inspection = inspection_or_404(user, pk)
    _inspector_or_403(user, inspection)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            inspection_actions.add_member(user, inspection, **form.cleaned_data)
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Đã thêm thành viên đoàn."))
            return redirect("inspection-detail", pk=inspection.pk)
    return render_detail(request, inspection, status=400, member_form=form)


@login_required
@require_POST
def member_remove(request, pk):
    member = TeamMember.objects.filter(pk=pk).first()
    if member is None:
        raise Http404
    inspection = inspection_or_404(request.user, member.inspection_id)
    _inspector_or_403(request.user, inspection)
    try:
        inspection_actions.remove_member(request.user, member)
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect("inspection-detail", pk=inspection.pk)


@login_required
@require_POST
def part_remove(request, pk):
    """Take an inspected unit off the inspection (refused once it has a self-report, findings
    or recommendations, or once the notice is out: the message says which)."""
    user = request.user
    part = _part_or_404(user, pk)
    inspection = inspection_or_404(user, part.inspection_id)
    _inspector_or_403(user, inspection)
    try:
        inspection_actions.remove_inspected_unit(user, part)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Đã bớt “%(unit)s” khỏi đối tượng kiểm tra.") % {"unit": part.unit.name}
        )
    return redirect("inspection-detail", pk=inspection.pk)


@login_required
@require_POST
def unit_add(request, pk):
    user = request.user
    inspection = inspection_or_404(user, pk)
    _inspector_or_403(user, inspection)
    form = UnitAddForm(request.POST)
    if form.is_valid():
        unit = unit_by_code(user, form, "code", form.cleaned_data["code"].strip())
        if unit is not None:
            try:
                inspection_actions.add_inspected_unit(user, inspection, unit)
            except ActionError as exc:
                form_error(form, exc, {"inspected_units": "code"})
            else:
                messages.success(request, _("Đã thêm đối tượng kiểm tra."))
                return redirect("inspection-detail", pk=inspection.pk)
    return render_detail(request, inspection, status=400, unit_form=form)


@login_required
@require_POST
def outline_upload(request, pk):
    user = request.user
    inspection = inspection_or_404(user, pk)
    _inspector_or_403(user, inspection)
    form = OutlineForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        doc = None
        if form.cleaned_data["symbol"]:
            doc = document_by_symbol(user, form, "symbol", form.cleaned_data["symbol"])
        if not form.errors:
            try:
                inspection_actions.set_outline(
                    user,
                    inspection,
                    name=upload.name if upload else "",
                    content=upload.read(MAX_UPLOAD_BYTES + 1) if upload else b"",
                    document=doc,
                )
            except ActionError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Đã lưu đề cương."))
                return redirect("inspection-detail", pk=inspection.pk)
    return render_detail(request, inspection, status=400, outline_form=form)


@login_required
@require_GET
def outline_download(request, pk):
    inspection = inspection_or_404(request.user, pk)
    outline = OutlineFile.objects.filter(inspection=inspection).first()
    if outline is None or not outline.file:
        raise Http404
    return download(outline.file, filename=outline.original_name, content_type=outline.content_type)


def _part_or_404(user, pk) -> InspectedUnit:
    part = InspectedUnit.objects.filter(pk=pk).select_related("unit").first()
    if part is None:
        raise Http404
    inspection = inspection_or_404(user, part.inspection_id)
    if not queries.visible_parts(user, inspection).filter(pk=part.pk).exists():
        raise Http404
    return part


@login_required
@require_POST
def self_report_upload(request, pk):
    """The inspected unit's reporter files its self-report (the action checks it is theirs)."""
    user = request.user
    part = _part_or_404(user, pk)
    form = SelfReportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            inspection_actions.upload_self_report(
                user,
                part,
                submitted_on=form.cleaned_data["submitted_on"],
                name=upload.name,
                content=upload.read(MAX_UPLOAD_BYTES + 1),
                note=form.cleaned_data["note"],
            )
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Đã gửi báo cáo tự kiểm tra."))
            return redirect("inspection-detail", pk=part.inspection_id)
    inspection = inspection_or_404(user, part.inspection_id)
    return render_detail(
        request, inspection, status=400, self_report_form=form, self_report_part=part.pk
    )


@login_required
@require_GET
def self_report_download(request, pk):
    report = SelfReport.objects.filter(pk=pk).first()
    if report is None or not report.file:
        raise Http404
    _part_or_404(request.user, report.part_id)
    return download(report.file, filename=report.original_name, content_type=report.content_type)


# --- conclusions ------------------------------------------------------------------------


def response_form(rec, data=None) -> ResponseForm:
    """One answer form per recommendation, its element ids prefixed with the recommendation's
    id so that the forms of a page never share an id; it carries the version it was shown at."""
    return ResponseForm(
        data,
        auto_id=f"response-{rec.pk}_%s",
        initial={"responded_on": today(), "version": rec.version},
    )


def _conclusions(request, inspection, forms=None, status=200, bound_response=None, **extra):
    user = request.user
    parts = list(
        queries.visible_parts(user, inspection).prefetch_related(
            "findings", "requests__owner", "recommendations__addressed_to"
        )
    )
    for part in parts:
        for rec in part.recommendations.all():
            bound = bound_response is not None and bound_response[0] == rec.pk
            rec.response_form = bound_response[1] if bound else response_form(rec)
    inspector = can_inspect(user, inspection)
    doc_queries.seen_documents(user, [inspection], "notice")
    context = {
        "inspection": inspection,
        "parts": parts,
        "can_inspect": inspector,
        "findings_open": inspector
        and inspection.state in (State.VERIFYING, State.CONCLUDED, State.REMEDIATION),
        "requests_open": inspector and inspection.state in (State.CONCLUDED, State.REMEDIATION),
        "recommend_open": inspection.state != State.CLOSED,
        **(forms or conclusion_forms(parts)),
        **extra,
    }
    return render(request, "inspections/conclusions.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def conclusions(request, pk):
    user = request.user
    inspection = inspection_or_404(user, pk)
    if request.method == "GET":
        return _conclusions(request, inspection)
    which = request.POST.get("form")
    parts = list(queries.visible_parts(user, inspection))
    forms = conclusion_forms(parts, request.POST, which)
    form = forms.get(f"{which}_form")
    if form is None:
        raise Http404
    if form.is_valid():
        data = dict(form.cleaned_data)
        part_id = data.pop("part")
        part = next(p for p in parts if p.pk == part_id)
        try:
            if which == "finding":
                conclusion_actions.add_finding(user, part, **data)
                done = _("Đã ghi kết luận.")
            elif which == "request":
                code = data.pop("owner").strip()
                owner = unit_by_code(user, form, "owner", code) if code else None
                if form.errors:
                    raise _Invalid
                conclusion_actions.add_request(user, part, owner=owner, **data)
                done = _("Đã ghi yêu cầu khắc phục.")
            else:
                conclusion_actions.add_recommendation(user, part, text=data["text"])
                done = _("Đã ghi kiến nghị.")
        except _Invalid:
            pass
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("inspection-conclusions", pk=inspection.pk)
    return _conclusions(request, inspection, forms=forms, status=400)


@login_required
@require_POST
def finding_remove(request, pk):
    """Remove a finding written by mistake (until the inspection closes)."""
    user = request.user
    finding = queries.visible_findings(user).filter(pk=pk).select_related("part").first()
    if finding is None:
        raise Http404
    inspection = inspection_or_404(user, finding.part.inspection_id)
    _inspector_or_403(user, inspection)
    try:
        conclusion_actions.remove_finding(user, finding)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã xóa kết luận."))
    return redirect("inspection-conclusions", pk=inspection.pk)


class _Invalid(Exception):
    """The form already carries the error."""


@login_required
@require_POST
def recommendation_respond(request, pk):
    user = request.user
    rec = Recommendation.objects.filter(pk=pk).first()
    if rec is None:
        raise Http404
    part = _part_or_404(user, rec.part_id)
    inspection = inspection_or_404(user, part.inspection_id)
    form = response_form(rec, request.POST)
    stale = False
    if form.is_valid():
        try:
            conclusion_actions.respond_recommendation(
                user,
                rec,
                response=form.cleaned_data["response"],
                responded_on=form.cleaned_data["responded_on"],
                expected_version=form.cleaned_data["version"],
            )
        except ActionError as exc:
            form_error(form, exc)
            stale = isinstance(exc, StaleEdit)
        else:
            messages.success(request, _("Đã ghi trả lời kiến nghị."))
            return redirect("inspection-conclusions", pk=inspection.pk)
    return _conclusions(
        request, inspection, status=409 if stale else 400, bound_response=(rec.pk, form)
    )
