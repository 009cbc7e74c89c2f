"""The steps of an inspection, each a dated action with its own StepLog row and log entry.

planned → decided → announced → self-reports received → verifying → concluded → remediation
→ closed. A step needs what the procedure needs (the decision, every self-report, the notice,
every request closed); dates never go backwards and never pass today.
"""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import max_clearance, reaches_unit
from trienkhai.core.actions import ActionError, check_version, record
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType
from trienkhai.inspections.actions.common import need_date, require_inspecting
from trienkhai.inspections.actions.inspections import _VERSIONED, _log_step, lock, values
from trienkhai.inspections.models import Inspection, RequestState, State


def _last_date(inspection: Inspection) -> datetime.date | None:
    """The latest step date; the planned row only records when the plan was entered."""
    return inspection.steps.exclude(to_state=State.PLANNED).aggregate(d=Max("date"))["d"]


@transaction.atomic
def _step(
    actor,
    inspection: Inspection,
    *,
    to_state: str,
    allowed_from: tuple,
    date,
    note: str = "",
    expected_version=None,
    check=None,
    **fields,
) -> Inspection:
    inspection = lock(inspection)
    require_inspecting(actor, inspection)
    check_version(inspection, expected_version, values(inspection), _VERSIONED)
    if inspection.state not in allowed_from:
        raise ActionError(
            _("Không thể chuyển từ bước “%(from)s” sang “%(to)s”.")
            % {"from": State(inspection.state).label, "to": State(to_state).label}
        )
    if check is not None:
        check(inspection)
    need_date(date, "date", _("Ngày là bắt buộc."))
    if date > timezone.localdate():
        raise ActionError(_("Ngày không được sau hôm nay."), field="date")
    last = _last_date(inspection)
    if last is not None and date < last:
        raise ActionError(
            _("Ngày phải từ %(date)s trở đi (ngày của bước trước).")
            % {"date": last.strftime("%d/%m/%Y")},
            field="date",
        )
    before = values(inspection)
    previous = inspection.state
    inspection.state = to_state
    for key, value in fields.items():
        setattr(inspection, key, value)
    inspection.version += 1
    inspection.save()
    _log_step(actor, inspection, previous, to_state, date, note)
    after = values(inspection)
    after["step_date"] = date.isoformat()
    record(actor, "inspections.step", inspection, unit=inspection.unit, before=before, after=after)
    return inspection


def _issued_by_side(inspection: Inspection, document, doc_type: str, field: str) -> None:
    if document is None:
        raise ActionError(_("Hãy chọn văn bản."), field=field)
    if document.doc_type != doc_type:
        raise ActionError(
            _("Văn bản %(symbol)s không phải là %(type)s.")
            % {"symbol": document.symbol, "type": DocType(doc_type).label},
            field=field,
        )
    if document.issuing_unit_id not in (inspection.unit_id, inspection.acting_body_id):
        raise ActionError(
            _("Văn bản %(symbol)s không do cấp kiểm tra ban hành.") % {"symbol": document.symbol},
            field=field,
        )


def decide(actor, inspection, *, decision, date=None, note="", expected_version=None):
    """The decision establishing the team (a registered QĐ) is signed."""

    def check(i):
        doc_actions.require_readable(actor, [decision], field="decision")
        _issued_by_side(i, decision, DocType.DECISION, "decision")

    return _step(
        actor,
        inspection,
        to_state=State.DECIDED,
        allowed_from=(State.PLANNED,),
        date=date or (decision.date if decision is not None else None),
        note=note,
        expected_version=expected_version,
        check=check,
        decision=decision,
    )


def announce(actor, inspection, *, date, note="", expected_version=None):
    return _step(
        actor,
        inspection,
        to_state=State.ANNOUNCED,
        allowed_from=(State.DECIDED,),
        date=date,
        note=note,
        expected_version=expected_version,
    )


def receive_self_reports(actor, inspection, *, date, note="", expected_version=None):
    """Every inspected unit has filed its self-report."""

    def check(i):
        missing = list(
            i.parts.filter(self_reports__isnull=True)
            .order_by("order", "pk")
            .values_list("unit__name", flat=True)
        )
        if missing:
            raise ActionError(
                _("Chưa có báo cáo tự kiểm tra của: %(units)s.") % {"units": ", ".join(missing)}
            )

    return _step(
        actor,
        inspection,
        to_state=State.SELF_REPORTS,
        allowed_from=(State.ANNOUNCED,),
        date=date,
        note=note,
        expected_version=expected_version,
        check=check,
    )


def start_verification(actor, inspection, *, date, note="", expected_version=None):
    return _step(
        actor,
        inspection,
        to_state=State.VERIFYING,
        allowed_from=(State.SELF_REPORTS,),
        date=date,
        note=note,
        expected_version=expected_version,
    )


def conclude(actor, inspection, *, notice, date=None, note="", expected_version=None):
    """The notice of conclusions (a registered TB) is issued; requests may now be recorded."""

    def check(i):
        doc_actions.require_readable(actor, [notice], field="notice")
        _issued_by_side(i, notice, DocType.NOTICE, "notice")

    date = date or (notice.date if notice is not None else None)
    return _step(
        actor,
        inspection,
        to_state=State.CONCLUDED,
        allowed_from=(State.VERIFYING,),
        date=date,
        note=note,
        expected_version=expected_version,
        check=check,
        notice=notice,
        concluded_on=date,
    )


def start_remediation(actor, inspection, *, date, note="", expected_version=None):
    def check(i):
        if not i.requests.exists():
            raise ActionError(
                _("Chưa có yêu cầu khắc phục nào: có thể kết thúc cuộc kiểm tra ngay.")
            )

    return _step(
        actor,
        inspection,
        to_state=State.REMEDIATION,
        allowed_from=(State.CONCLUDED,),
        date=date,
        note=note,
        expected_version=expected_version,
        check=check,
    )


def close_inspection(actor, inspection, *, date, note="", expected_version=None):
    """Closed only when every request has been verified as remedied."""

    def check(i):
        still = i.requests.exclude(state=RequestState.CLOSED).count()
        if still:
            raise ActionError(
                _("Còn %(n)s yêu cầu khắc phục chưa được xác nhận hoàn thành.") % {"n": still}
            )

    return _step(
        actor,
        inspection,
        to_state=State.CLOSED,
        allowed_from=(State.CONCLUDED, State.REMEDIATION),
        date=date,
        note=note,
        expected_version=expected_version,
        check=check,
    )


STEPS = {
    State.DECIDED: decide,
    State.ANNOUNCED: announce,
    State.SELF_REPORTS: receive_self_reports,
    State.VERIFYING: start_verification,
    State.CONCLUDED: conclude,
    State.REMEDIATION: start_remediation,
    State.CLOSED: close_inspection,
}
NEXT = {
    State.PLANNED: State.DECIDED,
    State.DECIDED: State.ANNOUNCED,
    State.ANNOUNCED: State.SELF_REPORTS,
    State.SELF_REPORTS: State.VERIFYING,
    State.VERIFYING: State.CONCLUDED,
    State.CONCLUDED: State.REMEDIATION,
    State.REMEDIATION: State.CLOSED,
}


@transaction.atomic
def register_side_document(
    actor,
    inspection: Inspection,
    *,
    doc_type: str,
    symbol: str,
    date: datetime.date,
    subject: str,
    term: str,
    classification: int = 0,
):
    """Register the team's decision or notice in the registry, in the inspecting side's name.

    An inspector is not the registry's coordinator, so when the actor cannot register at the
    issuing unit the registry records the system, and this app's log records who asked.
    """
    inspection = lock(inspection)
    require_inspecting(actor, inspection)
    if doc_type not in (DocType.DECISION, DocType.NOTICE):
        raise ValueError(doc_type)
    issuing = inspection.issuing_unit
    registrar = (
        actor if actor is not None and reaches_unit(actor, issuing, Role.COORDINATOR) else None
    )
    if registrar is None and actor is not None and int(classification or 0) > max_clearance(actor):
        # The registry checks its registrar's clearance; filed in the system's name, the
        # inspector who asked is held to the same rule here.
        raise ActionError(_("Độ mật vượt quá mức bạn được phép xem."), field="classification")
    doc = doc_actions.register_document(
        registrar,
        symbol=symbol,
        doc_type=doc_type,
        issuing_unit=issuing,
        term=term,
        date=date,
        subject=subject,
        classification=classification,
    )
    record(
        actor,
        "inspections.register_document",
        inspection,
        unit=inspection.unit,
        after={"document": doc.pk, "doc_type": doc_type, "symbol": doc.symbol},
    )
    return doc
