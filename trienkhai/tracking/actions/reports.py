"""Progress reports, their review, and explanation requests (giải trình)."""

import datetime
import decimal

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.core.actions import ActionError, check_version, record, snapshot
from trienkhai.core.dates import check_date
from trienkhai.core.files import check_upload, store_content
from trienkhai.documents.queries import readable_documents
from trienkhai.tracking.models import (
    Assignment,
    Evidence,
    ExplanationRequest,
    ProgressReport,
    ReportState,
)
from trienkhai.tracking.status import Status, assignment_status, is_late


def _check_file(name: str, content: bytes) -> str:
    return check_upload(name, content, field="files")


def _store_evidence(report: ProgressReport, name: str, content: bytes, content_type: str):
    """Stored once under its sha256 (the same file sent twice is kept once); a download only."""
    evidence = Evidence(report=report)
    store_content(evidence, name, content, content_type)
    evidence.save()
    return evidence


def _assignment_values(a: Assignment) -> dict:
    return snapshot(a)


def _percent(value) -> int:
    try:
        percent = int(value)
    except (TypeError, ValueError):
        raise ActionError(_("Tiến độ phải là số từ 0 đến 100."), field="percent") from None
    if not 0 <= percent <= 100:
        raise ActionError(_("Tiến độ phải là số từ 0 đến 100."), field="percent")
    return percent


def _decimal(value):
    if value in (None, ""):
        return None
    try:
        return decimal.Decimal(str(value).replace(",", "."))
    except decimal.InvalidOperation:
        raise ActionError(_("Chỉ tiêu đạt được phải là một số."), field="target_reached") from None


@transaction.atomic
def report_progress(
    actor,
    assignment: Assignment,
    *,
    reported_on: datetime.date,
    percent,
    done: bool,
    narrative: str = "",
    target_reached=None,
    documents=(),
    files=(),
    expected_version=None,
) -> ProgressReport:
    """The assigned unit reports; a "done" report claims completion on `reported_on`, which
    counts once the assigning unit accepts it (see `tracking.status`)."""
    a = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("unit", "assigned_by")
        .get(pk=assignment.pk)
    )
    require(actor, Role.REPORTER, a.unit)
    check_version(
        a,
        expected_version,
        _assignment_values(a),
        ("tracking.progress", "tracking.plan_obligation_met", "tracking.handover"),
    )
    if a.completed_on is not None:
        raise ActionError(
            _("Kỳ này đã hoàn thành ngày %(date)s: không nhận thêm báo cáo.")
            % {"date": a.completed_on.strftime("%d/%m/%Y")}
        )
    if a.claimed_on is not None:
        raise ActionError(
            _(
                "Báo cáo hoàn thành ngày %(date)s đang chờ duyệt: không nhận thêm báo cáo cho "
                "đến khi báo cáo đó được chấp nhận hoặc trả lại."
            )
            % {"date": a.claimed_on.strftime("%d/%m/%Y")}
        )
    if not isinstance(reported_on, datetime.date):
        raise ActionError(_("Ngày báo cáo là bắt buộc."), field="reported_on")
    check_date(reported_on, "reported_on")
    if reported_on > timezone.localdate():
        raise ActionError(_("Ngày báo cáo không được sau hôm nay."), field="reported_on")
    percent = 100 if done else _percent(percent)
    target_reached = _decimal(target_reached)
    documents = list(documents)
    if documents and actor is not None and not getattr(actor, "is_superuser", False):
        readable = readable_documents(actor).filter(pk__in=[d.pk for d in documents]).count()
        if readable != len({d.pk for d in documents}):
            raise ActionError(_("Không tìm thấy văn bản được dẫn chứng."), field="documents")
    checked = [(name, content, _check_file(name, content)) for name, content in files]
    report = ProgressReport.objects.create(
        assignment=a,
        assigner_path=a.assigned_by.path,
        reported_on=reported_on,
        done=bool(done),
        percent=percent,
        narrative=(narrative or "").strip(),
        target_reached=target_reached,
        submitted_by=actor if getattr(actor, "pk", None) else None,
    )
    report.documents.set(documents)
    evidence = [_store_evidence(report, *f) for f in checked]
    record(
        actor,
        "tracking.report",
        report,
        unit=a.unit,
        after={
            **snapshot(report),
            "documents": [d.pk for d in documents],
            "evidence": [e.sha256 for e in evidence],
        },
    )
    before = _assignment_values(a)
    a.started_on = min(a.started_on, reported_on) if a.started_on else reported_on
    a.percent = percent
    if done:
        a.claimed_on = reported_on
    if target_reached is not None:
        a.reached_pending = target_reached  # counts once accepted (see `reached_amounts`)
    a.version += 1
    a.save(update_fields=["started_on", "percent", "claimed_on", "reached_pending", "version"])
    record(actor, "tracking.progress", a, unit=a.unit, before=before, after=_assignment_values(a))
    return report


def reached_amounts(a: Assignment) -> None:
    """The amount reached to date and the one awaiting review, from the reports standing.

    A report's amount is cumulative to date ("đã kết nạp 30 đảng viên"), not an increment: the
    unit's figure is that of its latest accepted report giving one. Done means accepted, so a
    later report still submitted is kept apart (`reached_pending`, shown as awaiting review)
    and never counted; a returned report counts nowhere."""
    given = a.reports.filter(target_reached__isnull=False).order_by("-reported_on", "-id")
    accepted = given.filter(state=ReportState.ACCEPTED).first()
    a.reached = accepted.target_reached if accepted else None
    waiting = given.filter(state=ReportState.SUBMITTED).first()
    newer = waiting is not None and (
        accepted is None or (waiting.reported_on, waiting.pk) > (accepted.reported_on, accepted.pk)
    )
    a.reached_pending = waiting.target_reached if newer else None


def _recompute(a: Assignment) -> None:
    """Completion, claim and percent from the reports still standing (returned ones do not
    count): an accepted "done" report (or the plan that fulfils the obligation) completes the
    share on the date it reports; a submitted one claims completion, awaiting review."""
    standing = a.reports.exclude(state=ReportState.RETURNED)
    done = standing.filter(done=True)
    dates = [done.filter(state=ReportState.ACCEPTED).aggregate(first=Min("reported_on"))["first"]]
    if a.fulfilled_by_id:
        dates.append(a.fulfilled_by.date)
    dates = [d for d in dates if d is not None]
    a.completed_on = min(dates) if dates else None
    a.claimed_on = (
        None
        if a.completed_on is not None
        else done.filter(state=ReportState.SUBMITTED).aggregate(first=Min("reported_on"))["first"]
    )
    latest = standing.order_by("-reported_on", "-id").first()
    if a.completed_on is not None or a.claimed_on is not None:
        a.percent = 100
    else:
        a.percent = latest.percent if latest else 0
    reached_amounts(a)


@transaction.atomic
def review_report(
    actor, report: ProgressReport, *, accept: bool, reason: str = "", expected_version=None
) -> ProgressReport:
    """The assigning unit accepts a report, or returns it with a reason (the report stays)."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    a = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("assigned_by", "unit")
        .get(pk=report.assignment_id)
    )
    require(actor, Role.COORDINATOR, a.assigned_by)
    check_version(
        report,
        expected_version,
        snapshot(report),
        ("tracking.accept_report", "tracking.return_report"),
    )
    if report.state != ReportState.SUBMITTED:
        raise ActionError(
            _("Báo cáo này đã được xem xét (%(state)s).") % {"state": report.get_state_display()}
        )
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ActionError(_("Hãy nêu lý do trả lại báo cáo."), field="reason")
    before = snapshot(report)
    report.state = ReportState.ACCEPTED if accept else ReportState.RETURNED
    report.return_reason = "" if accept else reason
    report.reviewed_by = actor if getattr(actor, "pk", None) else None
    report.reviewed_at = timezone.now()
    report.version += 1
    report.save()
    action = "tracking.accept_report" if accept else "tracking.return_report"
    record(actor, action, report, unit=a.assigned_by, before=before, after=snapshot(report))
    before = _assignment_values(a)
    _recompute(a)
    after = _assignment_values(a)
    if after != before:
        a.version += 1
        a.save(
            update_fields=[
                "completed_on",
                "claimed_on",
                "percent",
                "reached",
                "reached_pending",
                "version",
            ]
        )
        record(actor, "tracking.progress", a, unit=a.unit, before=before, after=snapshot(a))
    return report


EXPLANATION_DAYS = 7  # the default time to answer


@transaction.atomic
def request_explanation(
    actor, assignment: Assignment, *, question: str, answer_by: datetime.date | None = None
) -> ExplanationRequest:
    """Ask a unit that is overdue, or finished late, to explain why, by `answer_by` (a week
    from today when not given)."""
    a = Assignment.objects.select_related("assigned_by", "unit").get(pk=assignment.pk)
    require(actor, Role.COORDINATOR, a.assigned_by)
    question = (question or "").strip()
    if not question:
        raise ActionError(_("Hãy nêu nội dung yêu cầu giải trình."), field="question")
    day = timezone.localdate()
    if answer_by is None:
        answer_by = day + datetime.timedelta(days=EXPLANATION_DAYS)
    if not isinstance(answer_by, datetime.date):
        raise ActionError(_("Hạn giải trình không hợp lệ."), field="answer_by")
    check_date(answer_by, "answer_by")
    if answer_by < day:
        raise ActionError(_("Hạn giải trình không được trước hôm nay."), field="answer_by")
    status = assignment_status(a, timezone.localdate())
    if not is_late(a, timezone.localdate()):
        raise ActionError(
            _(
                "Chỉ yêu cầu giải trình với nhiệm vụ quá hạn hoặc hoàn thành quá hạn; nhiệm vụ "
                "này đang ở trạng thái “%(status)s”."
            )
            % {"status": Status.LABELS[status]}
        )
    request = ExplanationRequest.objects.create(
        assignment=a,
        question=question,
        answer_by=answer_by,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    record(actor, "tracking.request_explanation", request, unit=a.unit, after=snapshot(request))
    return request


@transaction.atomic
def answer_explanation(actor, request: ExplanationRequest, *, answer: str) -> ExplanationRequest:
    """The asked unit answers once; the exchange stays on the assignment."""
    request = (
        ExplanationRequest.objects.select_for_update(of=("self",))
        .select_related("assignment__unit")
        .get(pk=request.pk)
    )
    unit = request.assignment.unit
    require(actor, Role.REPORTER, unit)
    if request.answered_at is not None:
        raise ActionError(_("Yêu cầu giải trình này đã được trả lời."))
    answer = (answer or "").strip()
    if not answer:
        raise ActionError(_("Hãy nhập nội dung giải trình."), field="answer")
    before = snapshot(request)
    request.answer = answer
    request.answered_by = actor if getattr(actor, "pk", None) else None
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_by", "answered_at"])
    record(
        actor,
        "tracking.answer_explanation",
        request,
        unit=unit,
        before=before,
        after=snapshot(request),
    )
    return request
