"""Remediation requests: open → in progress (only with an action plan) → reported → closed
(only after an evaluation that says the remedy worked; an ineffective one sends it back).

Every write carries the request's version: a stale one is refused with what is stored now.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.core.actions import ActionError, check_version, record, snapshot
from trienkhai.core.files import store_content
from trienkhai.documents.actions import require_readable
from trienkhai.inspections.actions.common import (
    check_file,
    file_snapshot,
    need_date,
    need_text,
    require_inspecting,
    require_open_on,
    require_reporter,
)
from trienkhai.inspections.models import (
    Evaluation,
    RemediationReport,
    RemediationRequest,
    RequestState,
)

VERSIONED = (
    "inspections.action_plan",
    "inspections.request_start",
    "inspections.remediation_report",
    "inspections.evaluation",
    "inspections.request_close",
    "inspections.handover",
)


def _lock(req: RemediationRequest, expected_version) -> RemediationRequest:
    req = (
        RemediationRequest.objects.select_for_update(of=("self",))
        .select_related("owner", "inspection", "inspection__unit", "inspection__acting_body")
        .get(pk=req.pk)
    )
    check_version(req, expected_version, snapshot(req), VERSIONED)
    return req


def _not_future(date, field):
    need_date(date, field)
    if date > timezone.localdate():
        raise ActionError(_("Ngày không được sau hôm nay."), field=field)
    return date


def _save(actor, action, req, before, unit=None):
    req.version += 1
    req.save()
    record(actor, action, req, unit=unit or req.owner, before=before, after=snapshot(req))
    return req


@transaction.atomic
def file_action_plan(
    actor,
    req: RemediationRequest,
    *,
    text: str,
    document=None,
    date: datetime.date | None = None,
    expected_version=None,
) -> RemediationRequest:
    """The owner unit states how it will remedy (text, optionally a registered plan).

    `date` (today when omitted) is when the plan was adopted: it goes into the change log and
    must fall while the owner unit exists, so history entered late stays coherent."""
    req = _lock(req, expected_version)
    require_reporter(actor, req.owner)
    if req.state == RequestState.CLOSED:
        raise ActionError(_("Yêu cầu đã được xác nhận khắc phục xong."))
    date = _not_future(date or timezone.localdate(), "date")
    if date < req.issued_on:
        raise ActionError(_("Ngày lập kế hoạch phải sau ngày yêu cầu."), field="date")
    require_open_on(req.owner, date, "date")
    before = snapshot(req)
    req.action_plan = need_text(text, "action_plan", _("Nội dung kế hoạch khắc phục là bắt buộc."))
    if document is not None:
        kept = [req.action_plan_document] if req.action_plan_document_id else []
        require_readable(actor, [document], field="document", kept=kept)
        req.action_plan_document = document
    req.version += 1
    req.save()
    record(
        actor,
        "inspections.action_plan",
        req,
        unit=req.owner,
        before=before,
        after={**snapshot(req), "date": date.isoformat()},
    )
    return req


@transaction.atomic
def start(actor, req: RemediationRequest, *, date: datetime.date, expected_version=None):
    """Open → in progress: refused while there is no action plan."""
    req = _lock(req, expected_version)
    require_reporter(actor, req.owner)
    if req.state != RequestState.OPEN:
        raise ActionError(_("Yêu cầu này đã bắt đầu khắc phục."))
    if not req.action_plan.strip() and req.action_plan_document_id is None:
        raise ActionError(
            _("Chưa có kế hoạch khắc phục: hãy lập kế hoạch trước khi bắt đầu."),
            field="action_plan",
        )
    _not_future(date, "date")
    if date < req.issued_on:
        raise ActionError(_("Ngày bắt đầu phải sau ngày yêu cầu."), field="date")
    require_open_on(req.owner, date, "date")
    before = snapshot(req)
    req.state = RequestState.IN_PROGRESS
    req.started_on = date
    return _save(actor, "inspections.request_start", req, before)


@transaction.atomic
def report(
    actor,
    req: RemediationRequest,
    *,
    reported_on: datetime.date,
    text: str,
    name: str = "",
    content: bytes = b"",
    expected_version=None,
) -> RemediationReport:
    """The owner unit reports what it has done, with evidence; the request awaits evaluation."""
    req = _lock(req, expected_version)
    require_reporter(actor, req.owner)
    if req.state == RequestState.OPEN:
        raise ActionError(_("Hãy lập kế hoạch khắc phục và bắt đầu thực hiện trước khi báo cáo."))
    if req.state == RequestState.CLOSED:
        raise ActionError(_("Yêu cầu đã được xác nhận khắc phục xong."))
    _not_future(reported_on, "reported_on")
    if req.started_on and reported_on < req.started_on:
        raise ActionError(_("Ngày báo cáo phải sau ngày bắt đầu khắc phục."), field="reported_on")
    require_open_on(req.owner, reported_on, "reported_on")
    text = need_text(text, "text", _("Nội dung báo cáo là bắt buộc."))
    content_type = check_file(name, content) if name else ""
    rep = RemediationReport(
        request=req,
        reported_on=reported_on,
        text=text,
        submitted_by=actor if getattr(actor, "pk", None) else None,
    )
    if name:
        store_content(rep, name, content, content_type)
    rep.save()
    before = snapshot(req)
    req.state = RequestState.REPORTED
    _save(actor, "inspections.remediation_report", req, before)
    record(
        actor, "inspections.remediation_report_file", rep, unit=req.owner, after=file_snapshot(rep)
    )
    return rep


@transaction.atomic
def evaluate(
    actor,
    req: RemediationRequest,
    *,
    evaluated_on: datetime.date,
    effective: bool,
    note: str = "",
    expected_version=None,
) -> Evaluation:
    """The inspecting side judges the reported remedy; not effective sends it back to work."""
    req = _lock(req, expected_version)
    require_inspecting(actor, req.inspection)
    if req.state != RequestState.REPORTED:
        raise ActionError(_("Chỉ đánh giá được khi đơn vị đã báo cáo khắc phục."))
    _not_future(evaluated_on, "evaluated_on")
    last = req.reports.order_by("-reported_on").values_list("reported_on", flat=True).first()
    if last and evaluated_on < last:
        raise ActionError(_("Ngày đánh giá phải sau ngày báo cáo."), field="evaluated_on")
    if not effective and not (note or "").strip():
        raise ActionError(_("Đánh giá chưa hiệu quả cần ghi rõ nhận xét."), field="note")
    ev = Evaluation.objects.create(
        request=req,
        evaluated_on=evaluated_on,
        effective=bool(effective),
        note=(note or "").strip(),
        evaluated_by=actor if getattr(actor, "pk", None) else None,
    )
    before = snapshot(req)
    if not effective:
        req.state = RequestState.IN_PROGRESS
    _save(actor, "inspections.evaluation", req, before, unit=req.owner)
    record(actor, "inspections.evaluation_file", ev, unit=req.owner, after=snapshot(ev))
    return ev


@transaction.atomic
def close(actor, req: RemediationRequest, *, date: datetime.date, expected_version=None):
    """Closed only on an evaluation, after the last report, that the remedy worked."""
    req = _lock(req, expected_version)
    require_inspecting(actor, req.inspection)
    if req.state == RequestState.CLOSED:
        raise ActionError(_("Yêu cầu đã được xác nhận khắc phục xong."))
    latest = req.evaluations.order_by("-evaluated_on", "-id").first()
    if req.state != RequestState.REPORTED or latest is None or not latest.effective:
        raise ActionError(
            _("Chưa có đánh giá xác nhận khắc phục có hiệu quả: chưa thể kết thúc yêu cầu.")
        )
    _not_future(date, "date")
    if date < latest.evaluated_on:
        raise ActionError(_("Ngày kết thúc phải sau ngày đánh giá."), field="date")
    before = snapshot(req)
    req.state = RequestState.CLOSED
    req.closed_on = date
    return _save(actor, "inspections.request_close", req, before)
