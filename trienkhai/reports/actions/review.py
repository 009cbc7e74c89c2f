"""The requesting unit reviews a report sent up: accepts it, or returns it with a reason (the
unit edits and sends it again). Who: a coordinator of the requesting unit."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.core.actions import ActionError, record, snapshot
from trienkhai.reports.actions.drafting import _lock
from trienkhai.reports.models import ReportState, UnitReport


def _reviewable(actor, report: UnitReport, expected_version) -> UnitReport:
    report = _lock(report, expected_version)
    require(actor, Role.COORDINATOR, report.request.unit)
    if report.state != ReportState.SUBMITTED:
        raise ActionError(
            _("Chỉ xem xét được báo cáo đã gửi; báo cáo này ở trạng thái “%(state)s”.")
            % {"state": report.get_state_display()}
        )
    return report


@transaction.atomic
def accept(actor, report: UnitReport, *, expected_version=None) -> UnitReport:
    report = _reviewable(actor, report, expected_version)
    before = snapshot(report)
    report.state = ReportState.ACCEPTED
    report.reviewed_by = actor if getattr(actor, "pk", None) else None
    report.reviewed_at = timezone.now()
    report.version += 1
    report.save(update_fields=["state", "reviewed_by", "reviewed_at", "version"])
    record(actor, "reports.accept", report, unit=report.unit, before=before, after=snapshot(report))
    return report


@transaction.atomic
def return_report(actor, report: UnitReport, *, reason: str, expected_version=None) -> UnitReport:
    report = _reviewable(actor, report, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise ActionError(_("Hãy nêu lý do trả lại báo cáo."), field="reason")
    if len(reason) > 5000:
        raise ActionError(_("Lý do quá dài (tối đa 5.000 ký tự)."), field="reason")
    before = snapshot(report)
    report.state = ReportState.RETURNED
    report.return_reason = reason
    report.reviewed_by = actor if getattr(actor, "pk", None) else None
    report.reviewed_at = timezone.now()
    report.version += 1
    report.save(update_fields=["state", "return_reason", "reviewed_by", "reviewed_at", "version"])
    record(actor, "reports.return", report, unit=report.unit, before=before, after=snapshot(report))
    return report
