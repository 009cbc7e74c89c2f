"""Remediation requests: the lists for both sides (with XLSX), and one request's page where the
owner files its action plan and reports and the inspecting side evaluates and closes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trienkhai.accounts.classified import readable_log
from trienkhai.core import xlsx
from trienkhai.core.actions import ActionError, StaleEdit
from trienkhai.core.dates import today
from trienkhai.core.files import MAX_UPLOAD_BYTES, download
from trienkhai.core.forms import answer_status, form_error
from trienkhai.core.pagination import paginate
from trienkhai.core.queries import history_for
from trienkhai.documents import queries as doc_queries
from trienkhai.inspections import exports, queries
from trienkhai.inspections.actions import remediation as remediation_actions
from trienkhai.inspections.actions.common import can_inspect, can_report_for
from trienkhai.inspections.forms import (
    ActionPlanForm,
    CloseForm,
    EvaluationForm,
    RemediationReportForm,
    RequestFilterForm,
)
from trienkhai.inspections.models import RemediationReport, RequestState
from trienkhai.inspections.views.inspections import document_by_symbol
from trienkhai.units.queries import get_visible_unit


def _filtered(request):
    user = request.user
    form = RequestFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    side = data.get("side") or ""
    as_of = data.get("as_of") or today()
    unit = get_visible_unit(user, data["unit"]) if data.get("unit") else None
    owner = get_visible_unit(user, data["owner"]) if data.get("owner") else None
    inspection = (
        queries.get_inspection(user, data["inspection"]) if data.get("inspection") else None
    )
    qs = queries.filter_requests(
        queries.side_requests(user, side),
        as_of=as_of,
        status=data.get("status") or "",
        owner=owner,
        unit=unit if side != "issued" else None,
        issuer=unit if side == "issued" else None,
        inspection=inspection,
        q=data.get("q") or "",
    ).order_by("deadline", "id")
    return form, side, as_of, unit, owner, qs


def with_overdue(rows, as_of):
    for r in rows:
        r.overdue = r.is_overdue(as_of)
        r.days_overdue = (as_of - r.deadline).days if r.overdue else 0
    return rows


@login_required
@require_GET
def request_list(request):
    form, side, as_of, unit, owner, qs = _filtered(request)
    page = paginate(request, qs)
    page.object_list = with_overdue(list(page.object_list), as_of)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inspections/requests.html",
        {
            "form": form,
            "page": page,
            "side": side,
            "as_of": as_of,
            "unit": unit,
            "owner": owner,
            "query": query.urlencode(),
        },
    )


@login_required
@require_GET
def request_export(request):
    form, side, as_of, unit, owner, qs = _filtered(request)
    rows = with_overdue(list(qs[: exports.MAX_ROWS]), as_of)
    content = exports.requests(
        rows,
        _("Yêu cầu khắc phục sau kiểm tra, giám sát, tính đến ngày %(date)s")
        % {"date": as_of.strftime("%d/%m/%Y")},
    )
    return xlsx.response(content, "yeu-cau-khac-phuc.xlsx")


def request_or_404(user, pk):
    req = queries.get_request(user, pk)
    if req is None:
        raise Http404
    return req


def _render(request, req, status=200, **extra):
    user = request.user
    owner_side = can_report_for(user, req.owner)
    inspector = can_inspect(user, req.inspection)
    initial = {"version": req.version}
    doc_queries.seen_documents(user, [req], "action_plan_document")
    context = {
        "req": req,
        "inspection": req.inspection,
        "reports": req.reports.select_related("submitted_by"),
        "evaluations": req.evaluations.select_related("evaluated_by"),
        "overdue": req.is_overdue(today()),
        "plan_form": ActionPlanForm(
            initial={**initial, "text": req.action_plan, "start_on": today()}
        )
        if owner_side and req.state in (RequestState.OPEN, RequestState.IN_PROGRESS)
        else None,
        "report_form": RemediationReportForm(initial={**initial, "reported_on": today()})
        if owner_side and req.state in (RequestState.IN_PROGRESS, RequestState.REPORTED)
        else None,
        "evaluation_form": EvaluationForm(initial={**initial, "evaluated_on": today()})
        if inspector and req.state == RequestState.REPORTED
        else None,
        "close_form": CloseForm(initial={**initial, "date": today()})
        if inspector and req.state == RequestState.REPORTED
        else None,
        "history": readable_log(request.user, history_for(req)[:50]),
        "conflict": None,
        "open": RequestState.OPEN,
    }
    context.update(extra)
    return render(request, "inspections/request_detail.html", context, status=status)


@login_required
@require_GET
def request_detail(request, pk):
    return _render(request, request_or_404(request.user, pk))


def _post(request, pk, form_class, form_name, run, done):
    """Shared shape of the request page's writes: bind, call the action, show its refusal."""
    user = request.user
    req = request_or_404(user, pk)
    form = form_class(request.POST, request.FILES)
    conflict = None
    if form.is_valid():
        try:
            run(user, req, form)
        except StaleEdit as exc:
            conflict = sorted(exc.current.items())
            form_error(form, exc)
            data = request.POST.copy()
            data["version"] = exc.current["version"]
            form.data = data
        except ActionError as exc:
            form_error(form, exc)
        if not form.errors:
            messages.success(request, done)
            return redirect("inspections-request", pk=req.pk)
    req = request_or_404(user, pk)
    return _render(
        request,
        req,
        status=answer_status(request, conflict),
        conflict=conflict,
        **{form_name: form},
    )


@login_required
@require_POST
def request_plan(request, pk):
    def run(user, req, form):
        data = form.cleaned_data
        doc = document_by_symbol(user, form, "symbol", data["symbol"]) if data["symbol"] else None
        if form.errors:
            return
        # A plan filed together with its start is dated that day (the owner must exist then).
        on = data["start_on"] if req.state == RequestState.OPEN else None
        with transaction.atomic():  # a refused start keeps the plan unsaved too
            req = remediation_actions.file_action_plan(
                user,
                req,
                text=data["text"],
                document=doc,
                date=on,
                expected_version=data["version"],
            )
            if req.state == RequestState.OPEN and data["start_on"]:
                remediation_actions.start(user, req, date=data["start_on"])

    return _post(request, pk, ActionPlanForm, "plan_form", run, _("Đã lưu kế hoạch khắc phục."))


@login_required
@require_POST
def request_report(request, pk):
    def run(user, req, form):
        data = form.cleaned_data
        upload = data["file"]
        remediation_actions.report(
            user,
            req,
            reported_on=data["reported_on"],
            text=data["text"],
            name=upload.name if upload else "",
            # One byte past the cap: the action refuses an oversize file unread.
            content=upload.read(MAX_UPLOAD_BYTES + 1) if upload else b"",
            expected_version=data["version"],
        )

    return _post(
        request, pk, RemediationReportForm, "report_form", run, _("Đã gửi báo cáo khắc phục.")
    )


@login_required
@require_POST
def request_evaluate(request, pk):
    def run(user, req, form):
        data = form.cleaned_data
        remediation_actions.evaluate(
            user,
            req,
            evaluated_on=data["evaluated_on"],
            effective=data["effective"],
            note=data["note"],
            expected_version=data["version"],
        )

    return _post(request, pk, EvaluationForm, "evaluation_form", run, _("Đã ghi đánh giá."))


@login_required
@require_POST
def request_close(request, pk):
    def run(user, req, form):
        data = form.cleaned_data
        remediation_actions.close(user, req, date=data["date"], expected_version=data["version"])

    return _post(request, pk, CloseForm, "close_form", run, _("Đã xác nhận hoàn thành khắc phục."))


@login_required
@require_GET
def evidence_download(request, pk):
    rep = RemediationReport.objects.filter(pk=pk).first()
    if rep is None or not rep.file:
        raise Http404
    request_or_404(request.user, rep.request_id)
    return download(rep.file, filename=rep.original_name, content_type=rep.content_type)
