"""One unit's assignment: its status, progress reports (file, accept, return), explanation
requests and answers, and evidence downloads.

Who sees which form follows the roles (reporter of the assigned unit, coordinator of the
assigning unit); the actions check again and their refusals are shown on the page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trienkhai.accounts.classified import readable_log
from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import reaches_unit
from trienkhai.core.actions import ActionError, StaleEdit
from trienkhai.core.dates import today
from trienkhai.core.files import download
from trienkhai.core.forms import answer_status, form_error
from trienkhai.core.queries import history_for
from trienkhai.documents import queries as doc_queries
from trienkhai.tracking import queries
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.forms import (
    ExplanationAnswerForm,
    ExplanationRequestForm,
    ReportForm,
    ReviewForm,
)
from trienkhai.tracking.models import (
    Assignment,
    Evidence,
    ExplanationRequest,
    ProgressReport,
    ReportState,
)
from trienkhai.tracking.status import is_late
from trienkhai.tracking.views.common import assignment_or_404, with_status
from trienkhai.tracking.views.plans import _current_items

REPORTS_SHOWN = 20


def _context(request, assignment, **extra):
    user = request.user
    with_status([assignment], today())
    can_report = reaches_unit(user, assignment.unit, Role.REPORTER)
    can_review = reaches_unit(user, assignment.assigned_by, Role.COORDINATOR)
    rows = assignment.reports.select_related("submitted_by", "reviewed_by").prefetch_related(
        "evidence", Prefetch("documents", queryset=doc_queries.visible_documents(user))
    )
    # The latest reports, all of them on request: a task reported on every week for years
    # would otherwise make the page ever longer (the review queue lists every waiting one).
    if request.GET.get("reports") == "all":
        reports = list(rows)
        total = len(reports)
    else:
        reports = list(rows[: REPORTS_SHOWN + 1])  # one more: is there anything beyond?
        total = len(reports)
        if total > REPORTS_SHOWN:
            reports = reports[:REPORTS_SHOWN]
            total = assignment.reports.count()
    context = {
        "a": assignment,
        "task": assignment.task,
        "reports": reports,
        "reports_total": total,
        "explanations": assignment.explanations.select_related("requested_by", "answered_by"),
        "can_report": can_report,
        "can_review": can_review,
        "target_text": queries.reached_text(assignment.reached, assignment.target),
        "pending_text": queries.amount_text(assignment.reached_pending),
        # A completed period, or one awaiting review, takes no more reports (until a return
        # reopens it).
        "report_form": ReportForm(initial=ReportForm.initial_for(assignment, today()))
        if can_report and assignment.completed_on is None and assignment.claimed_on is None
        else None,
        "review_errors": None,
        # Only late work is asked to explain itself (the action enforces the same rule).
        "explain_form": ExplanationRequestForm()
        if can_review and is_late(assignment, today())
        else None,
        "answer_form": ExplanationAnswerForm() if can_report else None,
        "history": readable_log(request.user, history_for(assignment)[:50]),
        "conflict": None,
        "submitted": ReportState.SUBMITTED,
    }
    context.update(extra)
    return context


def _render(request, assignment, status=200, **extra):
    return render(
        request, "tracking/assignment.html", _context(request, assignment, **extra), status=status
    )


@login_required
@require_GET
def assignment_detail(request, pk):
    return _render(request, assignment_or_404(request.user, pk))


def _linked_documents(user, form):
    docs = []
    for symbol in form.cleaned_data["documents"]:
        found = list(doc_queries.find_by_symbol(user, symbol)[:1])
        if not found:
            form.add_error(
                "documents",
                _("Không tìm thấy văn bản %(symbol)s trong phạm vi của bạn.") % {"symbol": symbol},
            )
        else:
            docs.append(found[0])
    return docs


@login_required
@require_POST
def assignment_report(request, pk):
    user = request.user
    assignment = assignment_or_404(user, pk)
    form = ReportForm(request.POST, request.FILES)
    conflict = None
    if form.is_valid():
        data = form.cleaned_data
        docs = _linked_documents(user, form)
        if not form.errors:
            try:
                report_actions.report_progress(
                    user,
                    assignment,
                    reported_on=data["reported_on"],
                    percent=data["percent"],
                    done=data["state"] == "done",
                    narrative=data["narrative"].strip(),
                    target_reached=data["target_reached"],
                    documents=docs,
                    files=[(f.name, f.read()) for f in data["files"]],
                    expected_version=data["version"],
                )
            except StaleEdit as exc:
                conflict = _current_items(exc.current, Assignment)
                form_error(form, exc)
                assignment = assignment_or_404(user, pk)
                posted = request.POST.copy()
                posted["version"] = assignment.version
                form.data = posted
            except ActionError as exc:
                form_error(form, exc, {"file": "files", "reported_on": "reported_on"})
            else:
                messages.success(request, _("Đã gửi báo cáo."))
                return redirect("tracking-assignment", pk=assignment.pk)
    return _render(
        request,
        assignment,
        status=answer_status(request, conflict),
        report_form=form,
        conflict=conflict,
    )


def _report_or_404(user, pk):
    report = ProgressReport.objects.filter(pk=pk).select_related("assignment").first()
    if report is None:
        raise Http404
    assignment = assignment_or_404(user, report.assignment_id)
    return report, assignment


@login_required
@require_POST
def report_review(request, pk):
    user = request.user
    report, assignment = _report_or_404(user, pk)
    form = ReviewForm(request.POST)
    errors = None
    conflict = None
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            report_actions.review_report(
                user,
                report,
                accept=accept,
                reason=form.cleaned_data["reason"].strip(),
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as exc:
            conflict = _current_items(exc.current, ProgressReport)
            errors = [str(exc.message)]
        except ActionError as exc:
            errors = [str(exc.message)]
        else:
            messages.success(
                request, _("Đã chấp nhận báo cáo.") if accept else _("Đã trả lại báo cáo.")
            )
            if request.POST.get("next") == "queue":
                query = request.POST.get("query", "")[:2000]
                return redirect(reverse("tracking-review-queue") + (f"?{query}" if query else ""))
            return redirect("tracking-assignment", pk=assignment.pk)
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
    assignment = assignment_or_404(user, assignment.pk)
    return _render(
        request,
        assignment,
        status=answer_status(request, conflict),
        review_errors=errors,
        review_report_id=report.pk,
        conflict=conflict,
    )


@login_required
@require_POST
def explanation_request(request, pk):
    user = request.user
    assignment = assignment_or_404(user, pk)
    form = ExplanationRequestForm(request.POST)
    if form.is_valid():
        try:
            report_actions.request_explanation(
                user,
                assignment,
                question=form.cleaned_data["question"].strip(),
                answer_by=form.cleaned_data.get("answer_by"),
            )
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Đã gửi yêu cầu giải trình."))
            return redirect("tracking-assignment", pk=assignment.pk)
    return _render(request, assignment, status=400, explain_form=form)


@login_required
@require_POST
def explanation_answer(request, pk):
    user = request.user
    req = ExplanationRequest.objects.filter(pk=pk).first()
    if req is None:
        raise Http404
    assignment = assignment_or_404(user, req.assignment_id)
    form = ExplanationAnswerForm(request.POST)
    if form.is_valid():
        try:
            report_actions.answer_explanation(user, req, answer=form.cleaned_data["answer"].strip())
        except ActionError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Đã gửi nội dung giải trình."))
            return redirect("tracking-assignment", pk=assignment.pk)
    return _render(request, assignment, status=400, answer_form=form, answer_request_id=req.pk)


@login_required
@require_GET
def evidence_download(request, pk):
    """Always a download with its stored type and nosniff: never rendered by the browser."""
    evidence = Evidence.objects.filter(pk=pk).select_related("report").first()
    if evidence is None:
        raise Http404
    assignment_or_404(request.user, evidence.report.assignment_id)
    return download(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )
