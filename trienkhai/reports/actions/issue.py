"""A unit issues its report as a Party document: registered in the document registry as a BC
with the next number of the unit's BC sequence for the term (proposed; the person may change
it and the registry refuses a number already taken), related to each directive it reports on.
Who: a coordinator of the unit (issuing documents is the committee office's work). A report
sent up may be issued once sent; the requester's own consolidated report once drafted."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.core.actions import ActionError, record, snapshot
from trienkhai.documents import actions as document_actions
from trienkhai.documents.models import DocType, RelationKind
from trienkhai.documents.sequence import propose_number
from trienkhai.reports.actions.drafting import _lock
from trienkhai.reports.models import ReportState, UnitReport


def proposal(report: UnitReport, day: datetime.date):
    return propose_number(report.unit, DocType.REPORT, day)


@transaction.atomic
def issue(
    actor,
    report: UnitReport,
    *,
    symbol: str,
    term: str,
    date: datetime.date,
    place: str = "",
    signer: str = "",
    position: str = "",
    authority: str = "",
    recipients: str = "",
    expected_version=None,
) -> UnitReport:
    report = _lock(report, expected_version)
    require(actor, Role.COORDINATOR, report.unit)
    if report.document_id is not None:
        raise ActionError(_("Báo cáo đã được ban hành."))
    if report.prefilled_at is None:
        raise ActionError(_("Báo cáo chưa được soạn."))
    if not report.own and report.state not in (ReportState.SUBMITTED, ReportState.ACCEPTED):
        raise ActionError(_("Hãy gửi báo cáo trước khi ban hành."))
    if len(recipients or "") > 3000:
        raise ActionError(_("Danh sách nơi nhận quá dài."), field="recipients")
    before = snapshot(report)
    document = document_actions.register_document(
        actor,
        symbol=symbol,
        doc_type=DocType.REPORT,
        issuing_unit=report.unit,
        term=term,
        date=date,
        subject=report.request.title,
        place=(place or "").strip()[:100],
        signer=(signer or "").strip()[:150],
        signer_position=(position or "").strip()[:150],
        authority=(authority or "").strip()[:32],
    )
    if document.type_code != "BC":
        raise ActionError(
            _("Số ký hiệu của báo cáo phải có loại BC, ví dụ 12-BC/ĐU."), field="symbol"
        )
    for directive in report.request.directives.all():
        document_actions.relate(actor, document, directive, RelationKind.REPORTS_ON)
    report.document = document
    report.signer = (signer or "").strip()[:120]
    report.position = (position or "").strip()[:120]
    report.authority = (authority or "").strip()[:120]
    report.recipients = (recipients or "").strip()
    report.version += 1
    report.save(
        update_fields=["document", "signer", "position", "authority", "recipients", "version"]
    )
    record(actor, "reports.issue", report, unit=report.unit, before=before, after=snapshot(report))
    return report
