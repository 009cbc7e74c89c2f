"""A unit's report page: the draft (texts per outline section, figures with both values), its
files, sending it up; the requester's review; the consolidation of the reports below; passing a
request from above down; issuing the report as a BC."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import reaches_unit
from trienkhai.core.actions import ActionError, StaleEdit
from trienkhai.core.dates import today
from trienkhai.core.files import download
from trienkhai.reports import queries
from trienkhai.reports.actions import drafting, issue, review
from trienkhai.reports.actions import requests as request_actions
from trienkhai.reports.forms import FileForm, IssueForm, PassDownForm, ReviewForm
from trienkhai.reports.models import ReportFile, ReportRequest, ReportState


def _report_or_404(user, pk):
    report = queries.get_report(user, pk)
    if report is None:
        raise Http404
    return report


def _issue_initial(report) -> dict:
    day = today()
    proposal = issue.proposal(report, day)
    return {
        "version": report.version,
        "symbol": proposal.symbol,
        "term": proposal.term,
        "date": day,
        "place": report.unit.short_name or report.unit.name,
        "authority": "T/M BAN THƯỜNG VỤ",
        "recipients": "\n".join(
            [f"- {report.request.unit.name}" if not report.own else "", "- Lưu Văn phòng"]
        ).strip(),
    }


def context_of(request, report, *, forms=None, error=None) -> dict:
    user, forms = request.user, forms or {}
    editable = report.state in drafting.EDITABLE and report.document_id is None
    can_edit = editable and reaches_unit(user, report.unit, Role.REPORTER)
    coordinates_unit = reaches_unit(user, report.unit, Role.COORDINATOR)
    sub_request = ReportRequest.objects.filter(answers=report).exclude(pk=report.request_id)
    sub_request = sub_request.first()
    texts = list(report.texts.select_related("section").order_by("section__order"))
    values = list(report.figures.select_related("indicator").order_by("indicator__order"))
    has_children = queries.children_of(report).exists()
    names = queries.unit_names({k for v in values for k in (v.breakdown or {})})
    for v in values:
        v.children = [(names.get(int(k), k), figure) for k, figure in (v.breakdown or {}).items()]
        v.children.sort(key=lambda pair: str(pair[0]))
    context = {
        "report": report,
        "req": report.request,
        "directives": list(report.request.directives.all()),
        "texts": texts,
        "values": values,
        "files": list(report.files.all()),
        "can_edit": can_edit,
        "error": error,
        "can_review": report.state == ReportState.SUBMITTED
        and reaches_unit(user, report.request.unit, Role.COORDINATOR),
        "review_form": forms.get("review") or ReviewForm(initial={"version": report.version}),
        "sub_request": sub_request,
        "file_form": forms.get("file") or FileForm(),
        "today": today(),
    }
    if has_children:
        context["consolidation"] = queries.consolidate(report, today())
    if (
        coordinates_unit
        and not report.own
        and sub_request is None
        and editable
        and report.unit.children.exists()
    ):
        context["pass_down_form"] = forms.get("pass_down") or PassDownForm(
            initial={"deadline": report.due}
        )
    if (
        coordinates_unit
        and report.document_id is None
        and report.prefilled_at is not None
        and (report.own or report.sent)
    ):
        context["issue_form"] = forms.get("issue") or IssueForm(initial=_issue_initial(report))
    return context


@login_required
@require_GET
def report_detail(request, pk):
    report = _report_or_404(request.user, pk)
    return render(request, "reports/report.html", context_of(request, report))


def _back(report, anchor="") -> str:
    return reverse("reports-report", args=[report.pk]) + (f"#{anchor}" if anchor else "")


def _refused(request, report, exc, *, forms=None):
    status = 409 if isinstance(exc, StaleEdit) else 400
    if isinstance(exc, StaleEdit):
        report = _report_or_404(request.user, report.pk)
    context = context_of(request, report, forms=forms, error=str(exc.message))
    return render(request, "reports/report.html", context, status=status)


@login_required
@require_POST
def open_draft(request, pk):
    report = _report_or_404(request.user, pk)
    try:
        drafting.prefill(request.user, report, expected_version=request.POST.get("version"))
    except ActionError as exc:
        return _refused(request, report, exc)
    messages.success(request, _("Đã điền số liệu và gợi ý nội dung từ dữ liệu của hệ thống."))
    return redirect(_back(report, "draft"))


def _posted_figures(request, report) -> dict:
    out = {}
    for value in report.figures.all():
        key = f"figure-{value.indicator_id}"
        if key in request.POST:
            out[value.indicator_id] = (
                request.POST.get(key, ""),
                request.POST.get(f"reason-{value.indicator_id}", ""),
            )
    return out


@login_required
@require_POST
def save(request, pk):
    report = _report_or_404(request.user, pk)
    texts = {
        key.removeprefix("text-"): value
        for key, value in request.POST.items()
        if key.startswith("text-") and key.removeprefix("text-").isdigit()
    }
    try:
        saved = drafting.save_draft(
            request.user,
            report,
            texts=texts,
            figures_entered=_posted_figures(request, report),
            expected_version=request.POST.get("version"),
        )
        if request.POST.get("then") == "submit":
            drafting.submit(request.user, saved, expected_version=saved.version)
            messages.success(
                request,
                _("Đã gửi báo cáo tới %(unit)s.") % {"unit": report.request.unit.name},
            )
            return redirect(_back(report))
    except ActionError as exc:
        return _refused(request, report, exc)
    messages.success(request, _("Đã lưu bản nháp."))
    return redirect(_back(report, "draft"))


@login_required
@require_POST
def review_report(request, pk):
    report = _report_or_404(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _refused(request, report, ActionError(_("Yêu cầu không hợp lệ.")))
    d = form.cleaned_data
    try:
        if d["decision"] == "accept":
            review.accept(request.user, report, expected_version=d["version"])
            messages.success(request, _("Đã chấp nhận báo cáo."))
        else:
            review.return_report(
                request.user, report, reason=d["reason"], expected_version=d["version"]
            )
            messages.success(request, _("Đã trả lại báo cáo."))
    except ActionError as exc:
        return _refused(request, report, exc, forms={"review": form})
    return redirect(_back(report))


@login_required
@require_POST
def pass_down(request, pk):
    report = _report_or_404(request.user, pk)
    if not reaches_unit(request.user, report.unit, Role.COORDINATOR):
        raise PermissionDenied
    form = PassDownForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            made = request_actions.pass_down(
                request.user, report, deadline=d["deadline"], rule=d["rule"], kinds=d["kinds"]
            )
        except ActionError as exc:
            return _refused(request, report, exc, forms={"pass_down": form})
        messages.success(request, _("Đã chuyển yêu cầu báo cáo xuống các đơn vị cấp dưới."))
        return redirect("reports-request", made.pk)
    return _refused(
        request, report, ActionError(_("Hãy kiểm tra các ô đã nhập.")), forms={"pass_down": form}
    )


@login_required
@require_POST
def issue_report(request, pk):
    report = _report_or_404(request.user, pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        return _refused(
            request, report, ActionError(_("Hãy kiểm tra các ô đã nhập.")), forms={"issue": form}
        )
    d = form.cleaned_data
    try:
        issue.issue(
            request.user,
            report,
            symbol=d["symbol"],
            term=d["term"],
            date=d["date"],
            place=d["place"],
            signer=d["signer"],
            position=d["position"],
            authority=d["authority"],
            recipients=d["recipients"],
            expected_version=d["version"],
        )
    except ActionError as exc:
        return _refused(request, report, exc, forms={"issue": form})
    messages.success(request, _("Đã ban hành báo cáo và ghi vào sổ văn bản."))
    return redirect(_back(report, "documents"))


@login_required
@require_POST
def upload(request, pk):
    report = _report_or_404(request.user, pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        f = form.cleaned_data["file"]
        try:
            drafting.attach_file(request.user, report, name=f.name, content=f.read())
        except ActionError as exc:
            return _refused(request, report, exc, forms={"file": form})
        messages.success(request, _("Đã đính kèm tệp."))
        return redirect(_back(report, "files"))
    return _refused(request, report, ActionError(_("Hãy chọn tệp.")), forms={"file": form})


@login_required
@require_GET
def file_download(request, pk, file_pk):
    report = _report_or_404(request.user, pk)
    stored = ReportFile.objects.filter(report=report, pk=file_pk).first()
    if stored is None:
        raise Http404
    return download(stored, filename=stored.original_name, content_type=stored.content_type)
