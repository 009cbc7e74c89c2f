"""What the notice concludes per inspected unit: findings, remediation requests, and the
recommendations the inspected side sends upward with their answers."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from trienkhai.accounts.permissions import PermissionRefused
from trienkhai.accounts.scope import reaches_unit
from trienkhai.core.actions import ActionError, record, snapshot
from trienkhai.inspections.actions_common import (
    INSPECTING_ROLES,
    can_inspect,
    can_report_for,
    check_version,
    need_date,
    need_text,
    require_inspecting,
)
from trienkhai.inspections.actions_inspections import _inside_on, lock
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


@transaction.atomic
def remove_finding(actor, finding: Finding) -> None:
    part = _part(finding.part)
    inspection = lock(part.inspection)
    require_inspecting(actor, inspection)
    if inspection.state not in FINDINGS_FROM:
        raise ActionError(_("Cuộc kiểm tra đã kết thúc: không sửa kết luận được nữa."))
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
    owner = owner or part.unit
    top = part.unit
    if owner.pk != top.pk and not _inside_on(top, owner, inspection.concluded_on):
        raise ActionError(
            _("“%(owner)s” không thuộc “%(unit)s”.") % {"owner": owner.name, "unit": top.name},
            field="owner",
        )
    req = RemediationRequest.objects.create(
        part=part,
        inspection=inspection,
        owner=owner,
        text=text,
        deadline=deadline,
        issued_on=inspection.concluded_on,
    )
    record(actor, "inspections.request", req, unit=owner, after=snapshot(req))
    return req


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
