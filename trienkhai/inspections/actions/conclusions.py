"""What the notice concludes per inspected unit: findings, remediation requests, and the
recommendations the inspected side sends upward with their answers."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from trienkhai.accounts.scope import reaches_unit
from trienkhai.core.actions import ActionError, PermissionRefused, check_version, record, snapshot
from trienkhai.inspections.actions.common import (
    INSPECTING_ROLES,
    can_inspect,
    can_report_for,
    need_date,
    need_text,
    require_inspecting,
)
from trienkhai.inspections.actions.inspections import _inside_on, lock
from trienkhai.inspections.models import (
    Finding,
    FindingKind,
    InspectedUnit,
    Recommendation,
    RemediationRequest,
    State,
)

FINDINGS_FROM = (State.VERIFYING, State.CONCLUDED, State.REMEDIATION)
REQUESTS_FROM = (State.CONCLUDED, State.REMEDIATION)


def _part(part: InspectedUnit) -> InspectedUnit:
    return InspectedUnit.objects.select_related("unit", "inspection").get(pk=part.pk)


@transaction.atomic
def add_finding(
    actor,
    part: InspectedUnit,
    *,
    kind: str,
    text: str,
    cause: str = "",
    responsibility: str = "",
    area: str = "",
) -> Finding:
    part = _part(part)
    inspection = lock(part.inspection)
    require_inspecting(actor, inspection)
    if inspection.state not in FINDINGS_FROM:
        raise ActionError(_("Chỉ ghi kết luận từ bước thẩm tra, xác minh đến trước khi kết thúc."))
    if kind not in FindingKind.values:
        raise ActionError(_("Loại kết luận không hợp lệ."), field="kind")
    finding = Finding.objects.create(
        part=part,
        kind=kind,
        text=need_text(text, "text", _("Nội dung là bắt buộc.")),
        cause=(cause or "").strip(),
        responsibility=(responsibility or "").strip(),
        area=(area or "").strip(),
        order=part.findings.count() + 1,
    )
    record(actor, "inspections.finding", finding, unit=part.unit, after=snapshot(finding))
    return finding


def finding_removal_refusal(inspection) -> str | None:
    """Why findings of `inspection` can no longer be removed (None: they can)."""
    if inspection.state == State.CLOSED:
        return _("Cuộc kiểm tra đã kết thúc: không xóa kết luận được nữa.")
    if inspection.state not in FINDINGS_FROM:
        return _("Chỉ xóa kết luận từ bước thẩm tra, xác minh đến trước khi kết thúc.")
    return None


@transaction.atomic
def remove_finding(actor, finding: Finding) -> None:
    part = _part(finding.part)
    inspection = lock(part.inspection)
    require_inspecting(actor, inspection)
    refusal = finding_removal_refusal(inspection)
    if refusal:
        raise ActionError(refusal)
    record(actor, "inspections.finding_remove", finding, unit=part.unit, before=snapshot(finding))
    finding.delete()


@transaction.atomic
def add_request(
    actor,
    part: InspectedUnit,
    *,
    text: str,
    deadline: datetime.date,
    owner=None,
) -> RemediationRequest:
    """A request to remedy, owned by the inspected unit or a unit inside it, issued on the
    notice's date."""
    part = _part(part)
    inspection = lock(part.inspection)
    require_inspecting(actor, inspection)
    if inspection.state not in REQUESTS_FROM:
        raise ActionError(
            _("Yêu cầu khắc phục được ghi sau khi có thông báo kết luận và trước khi kết thúc.")
        )
    text = need_text(text, "text", _("Nội dung yêu cầu là bắt buộc."))
    need_date(deadline, "deadline", _("Thời hạn là bắt buộc."))
    if deadline < inspection.concluded_on:
        raise ActionError(_("Thời hạn phải sau ngày thông báo kết luận."), field="deadline")
    issued_on = inspection.concluded_on
    # Read afresh: the unit may have closed since the caller loaded it.
    named = type(owner).objects.get(pk=owner.pk) if owner is not None else part.unit
    top = part.unit
    # A unit closed since is judged as the tree was on its last day.
    inside_on = (
        min(issued_on, named.valid_to - datetime.timedelta(days=1)) if named.valid_to else issued_on
    )
    if named.pk != top.pk and not _inside_on(top, named, inside_on):
        raise ActionError(
            _("“%(owner)s” không thuộc “%(unit)s”.") % {"owner": named.name, "unit": top.name},
            field="owner",
        )
    owner, operation = work_heir_on(named, issued_on)
    req = RemediationRequest.objects.create(
        part=part,
        inspection=inspection,
        owner=owner,
        text=text,
        deadline=deadline,
        issued_on=issued_on,
    )
    record(actor, "inspections.request", req, unit=owner, after=snapshot(req))
    if owner.pk != named.pk:
        # Like the handover on closure: the work goes to the heir, and the log says from whom.
        record(
            actor,
            "inspections.request_forwarded",
            req,
            unit=owner,
            before={"owner": named.pk},
            after={"owner": owner.pk, "operation": operation.pk},
        )
    return req


def work_heir_on(unit, date: datetime.date):
    """(the unit that does `unit`'s work on `date`, the last reorganisation that moved it there).

    A unit closed on or before `date` handed its open work to the successor marked `takes_work`
    when it closed; that successor may itself have closed since, so the chain is followed.
    Refuses when a closed unit in the chain named no successor (dissolved without heir).
    """
    from trienkhai.units.models import ReorganisationLink

    current, operation, seen = unit, None, set()
    while current.valid_to is not None and current.valid_to <= date:
        seen.add(current.pk)
        link = (
            ReorganisationLink.objects.filter(
                predecessor=current, takes_work=True, successor__isnull=False
            )
            .exclude(successor=current)
            .select_related("successor", "operation")
            .order_by("-operation__date", "-operation_id")
            .first()
        )
        if link is None or link.successor_id in seen:
            raise ActionError(
                _(
                    "“%(unit)s” đã kết thúc hoạt động từ ngày %(date)s và không có đơn vị kế "
                    "thừa: hãy ghi mã đơn vị thực hiện yêu cầu."
                )
                % {"unit": current.name, "date": current.valid_to.strftime("%d/%m/%Y")},
                field="owner",
            )
        current, operation = link.successor, link.operation
    return current, operation


@transaction.atomic
def add_recommendation(
    actor, part: InspectedUnit, *, text: str, addressed_to=None
) -> Recommendation:
    """The inspected side (or the team writing it down) records a recommendation upward."""
    part = _part(part)
    inspection = lock(part.inspection)
    if not (can_report_for(actor, part.unit) or can_inspect(actor, inspection)):
        raise PermissionRefused(
            _("Bạn không có quyền thực hiện thao tác này tại đơn vị “%(unit)s”.")
            % {"unit": part.unit.name}
        )
    if inspection.state == State.CLOSED:
        raise ActionError(_("Cuộc kiểm tra đã kết thúc."))
    addressed_to = addressed_to or inspection.unit
    if not part.unit.path.startswith(addressed_to.path) or addressed_to.pk == part.unit_id:
        raise ActionError(_("Kiến nghị chỉ gửi lên cấp trên của đơn vị."), field="addressed_to")
    rec = Recommendation.objects.create(
        part=part,
        text=need_text(text, "text", _("Nội dung là bắt buộc.")),
        addressed_to=addressed_to,
    )
    record(actor, "inspections.recommendation", rec, unit=part.unit, after=snapshot(rec))
    return rec


@transaction.atomic
def respond_recommendation(
    actor, rec: Recommendation, *, response: str, responded_on, expected_version=None
) -> Recommendation:
    rec = Recommendation.objects.select_for_update().select_related("addressed_to").get(pk=rec.pk)
    part = _part(rec.part)
    allowed = can_inspect(actor, part.inspection) or (
        actor is not None
        and any(reaches_unit(actor, rec.addressed_to, r) for r in INSPECTING_ROLES)
    )
    if not allowed:
        raise PermissionRefused(
            _("Bạn không có quyền thực hiện thao tác này tại đơn vị “%(unit)s”.")
            % {"unit": rec.addressed_to.name}
        )
    check_version(rec, expected_version, snapshot(rec), ("inspections.recommendation_response",))
    before = snapshot(rec)
    rec.response = need_text(response, "response", _("Nội dung trả lời là bắt buộc."))
    rec.responded_on = need_date(responded_on, "responded_on")
    rec.version += 1
    rec.save()
    record(
        actor,
        "inspections.recommendation_response",
        rec,
        unit=rec.addressed_to,
        before=before,
        after=snapshot(rec),
    )
    return rec
