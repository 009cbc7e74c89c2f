"""Programmes, inspections, their team, inspected units, outline and self-reports."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.core.actions import ActionError, check_version, record, snapshot
from trienkhai.core.dates import check_date, check_dates, check_year
from trienkhai.core.files import store_content
from trienkhai.core.text import fold
from trienkhai.documents.actions import require_readable, unreadable_by
from trienkhai.inspections.actions.common import (
    bump,
    check_file,
    file_snapshot,
    need_date,
    need_text,
    require_inspecting,
    require_inspecting_unit,
    require_open_on,
    require_reporter,
)
from trienkhai.inspections.models import (
    InspectedUnit,
    Inspection,
    InspectionKind,
    MemberRole,
    OutlineFile,
    SelfReport,
    State,
    StepLog,
    TeamMember,
)
from trienkhai.tree.kinds import SUPPORT_KINDS
from trienkhai.tree.paths import UPPER

EDITABLE = (
    "kind",
    "title",
    "team_name",
    "period_from",
    "period_to",
    "work_from",
    "work_to",
    "work_extended_to",
    "note",
    "programme",
)
# Until the notice is out the inspected organisations and the team may still change.
OPEN_FOR_SETUP = (State.PLANNED, State.DECIDED, State.ANNOUNCED, State.SELF_REPORTS)


def _check_acting_body(unit, acting_body) -> None:
    if acting_body is None:
        return
    if acting_body.parent_id != unit.pk or acting_body.kind not in SUPPORT_KINDS:
        raise ActionError(
            _("“%(body)s” không phải cơ quan giúp việc của “%(unit)s”.")
            % {"body": acting_body.name, "unit": unit.name},
            field="acting_body",
        )


def _valid_on(unit, date: datetime.date) -> bool:
    return unit.valid_from <= date and (unit.valid_to is None or unit.valid_to > date)


def _inside_on(top, unit, date: datetime.date) -> bool:
    """Whether `unit` was below `top` on `date` (the tree as it was: units move and close)."""
    if top.path <= unit.path < top.path + UPPER:
        return True
    from trienkhai.units.queries import state_on

    current, seen = unit, set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        state = state_on(current, date)
        current = state.parent if state is not None else None
        if current is not None and current.pk == top.pk:
            return True
    return False


def _check_inspected(inspection: Inspection, unit) -> None:
    """An inspected unit lies strictly inside the inspecting unit's subtree and existed then
    (as the tree was on the first working day: a district closed since is still accepted)."""
    top = inspection.unit
    on = inspection.work_from or timezone.localdate()
    if unit.pk == top.pk or not _inside_on(top, unit, on):
        raise ActionError(
            _("“%(unit)s” không thuộc phạm vi của “%(top)s”: không thể là đối tượng kiểm tra.")
            % {"unit": unit.name, "top": top.name},
            field="inspected_units",
        )
    if not _valid_on(unit, on):
        raise ActionError(
            _("“%(unit)s” không hoạt động vào ngày %(date)s.")
            % {"unit": unit.name, "date": on.strftime("%d/%m/%Y")},
            field="inspected_units",
        )


def _check_dates(values: dict) -> None:
    check_dates(**values)
    pairs = (
        ("period_from", "period_to", _("Thời kỳ kiểm tra: ngày kết thúc phải sau ngày bắt đầu.")),
        ("work_from", "work_to", _("Thời gian làm việc: ngày kết thúc phải sau ngày bắt đầu.")),
        ("work_to", "work_extended_to", _("Ngày gia hạn phải sau ngày kết thúc dự kiến.")),
    )
    for start, end, message in pairs:
        a, b = values.get(start), values.get(end)
        if a and b and b < a:
            raise ActionError(message, field=end)
    if values.get("work_extended_to") and not values.get("work_to"):
        raise ActionError(
            _("Chỉ gia hạn được khi đã có ngày kết thúc dự kiến."), field="work_extended_to"
        )


def _check_kind(kind) -> None:
    if kind not in InspectionKind.values:
        raise ActionError(_("Loại kiểm tra, giám sát không hợp lệ."), field="kind")


def _log_step(actor, inspection, from_state, to_state, date, note="") -> StepLog:
    return StepLog.objects.create(
        inspection=inspection,
        from_state=from_state,
        to_state=to_state,
        date=date,
        note=(note or "").strip(),
        user=actor if getattr(actor, "pk", None) else None,
    )


def lock(inspection: Inspection) -> Inspection:
    return (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("unit", "acting_body")
        .get(pk=inspection.pk)
    )


def values(inspection: Inspection) -> dict:
    return {
        **snapshot(inspection, exclude=("title_folded",)),
        "directives": sorted(inspection.directives.values_list("pk", flat=True)),
    }


# --- inspections ------------------------------------------------------------------------


@transaction.atomic
def create_inspection(
    actor,
    *,
    kind: str,
    unit,
    title: str,
    acting_body=None,
    programme=None,
    team_name: str = "",
    directives=(),
    inspected_units=(),
    period_from=None,
    period_to=None,
    work_from=None,
    work_to=None,
    work_extended_to=None,
    year: int | None = None,
    note: str = "",
    planned_on: datetime.date | None = None,
) -> Inspection:
    """A planned inspection of one or more units inside `unit`'s subtree."""
    require_inspecting_unit(actor, unit)
    _check_kind(kind)
    _check_acting_body(unit, acting_body)
    title = need_text(title, "title", _("Nội dung kiểm tra, giám sát là bắt buộc."))
    if programme is not None and programme.unit_id != unit.pk:
        raise ActionError(
            _("Chương trình này không phải của “%(unit)s”.") % {"unit": unit.name},
            field="programme",
        )
    dates = {
        "period_from": period_from,
        "period_to": period_to,
        "work_from": work_from,
        "work_to": work_to,
        "work_extended_to": work_extended_to,
    }
    _check_dates(dates)
    directives = list(directives)
    require_readable(actor, directives, field="directives")
    planned_on = check_date(planned_on, "planned_on") or timezone.localdate()
    year = check_year(
        year
        or (work_from or (programme and datetime.date(programme.year, 1, 1)) or planned_on).year,
        "year",
    )
    inspection = Inspection(
        kind=kind,
        unit=unit,
        acting_body=acting_body,
        programme=programme,
        team_name=(team_name or "").strip(),
        title=title,
        title_folded=fold(f"{team_name} {title}"),
        year=year,
        note=(note or "").strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
        **dates,
    )
    inspection.save()
    inspection.directives.set(list(directives))
    units = list(inspected_units)
    if not units:
        raise ActionError(_("Hãy chọn ít nhất một đối tượng kiểm tra."), field="inspected_units")
    for order, u in enumerate(units):
        _check_inspected(inspection, u)
        if InspectedUnit.objects.filter(inspection=inspection, unit=u).exists():
            continue
        InspectedUnit.objects.create(inspection=inspection, unit=u, order=order)
    _log_step(actor, inspection, "", State.PLANNED, planned_on)
    after = values(inspection)
    after["inspected_units"] = [u.pk for u in units]
    record(actor, "inspections.create", inspection, unit=unit, after=after)
    return inspection


@transaction.atomic
def update_inspection(
    actor, inspection: Inspection, *, expected_version=None, directives=None, **fields
) -> Inspection:
    inspection = lock(inspection)
    require_inspecting(actor, inspection)
    check_version(inspection, expected_version, values(inspection), _VERSIONED)
    if inspection.state == State.CLOSED:
        raise ActionError(_("Cuộc kiểm tra đã kết thúc: không sửa được nữa."))
    before = values(inspection)
    for key, value in fields.items():
        if key not in EDITABLE:
            raise ValueError(f"field {key} is not editable")
        setattr(inspection, key, value.strip() if isinstance(value, str) else value)
    _check_kind(inspection.kind)
    inspection.title = need_text(inspection.title, "title", _("Nội dung là bắt buộc."))
    if inspection.programme is not None and inspection.programme.unit_id != inspection.unit_id:
        raise ActionError(_("Chương trình không thuộc cấp ủy này."), field="programme")
    _check_dates({k: getattr(inspection, k) for k in EDITABLE if k.startswith(("period", "work"))})
    inspection.title_folded = fold(f"{inspection.team_name} {inspection.title}")
    if directives is not None:
        # Directives the actor may not read stay linked: the form never showed them.
        hidden = unreadable_by(actor, inspection.directives.all())
        directives = list(dict.fromkeys([*directives, *hidden]))
        require_readable(actor, directives, field="directives", kept=hidden)
    inspection.version += 1
    inspection.save()
    if directives is not None:
        inspection.directives.set(directives)
    record(
        actor,
        "inspections.update",
        inspection,
        unit=inspection.unit,
        before=before,
        after=values(inspection),
    )
    return inspection


_VERSIONED = ("inspections.update", "inspections.step")


@transaction.atomic
def add_inspected_unit(actor, inspection: Inspection, unit) -> InspectedUnit:
    inspection = lock(inspection)
    require_inspecting(actor, inspection)
    if inspection.state not in OPEN_FOR_SETUP:
        raise ActionError(_("Đã có kết luận: không thêm đối tượng kiểm tra được nữa."))
    _check_inspected(inspection, unit)
    order = inspection.parts.count()
    try:
        with transaction.atomic():
            part = InspectedUnit.objects.create(inspection=inspection, unit=unit, order=order)
    except IntegrityError:
        raise ActionError(
            _("“%(unit)s” đã là đối tượng của cuộc kiểm tra này.") % {"unit": unit.name},
            field="inspected_units",
        ) from None
    record(actor, "inspections.add_unit", part, unit=inspection.unit, after=snapshot(part))
    return part


def part_removal_refusal(inspection: Inspection, part: InspectedUnit) -> str | None:
    """Why `part` can no longer be taken off `inspection` (None: it can). The detail page
    shows the remove button only when this is None; the action refuses with the same text."""
    if inspection.state not in OPEN_FOR_SETUP:
        return _("Đã có kết luận: không bớt đối tượng kiểm tra được nữa.")
    if part.self_reports.exists():
        return _("“%(unit)s” đã gửi báo cáo tự kiểm tra: không bớt đối tượng này được nữa.") % {
            "unit": part.unit.name
        }
    if part.findings.exists():
        return _("Đã có kết luận về “%(unit)s”: không bớt đối tượng này được nữa.") % {
            "unit": part.unit.name
        }
    if part.recommendations.exists():
        return _("“%(unit)s” đã có kiến nghị: không bớt đối tượng này được nữa.") % {
            "unit": part.unit.name
        }
    if inspection.parts.count() <= 1:
        return _("Cuộc kiểm tra phải có ít nhất một đối tượng.")
    return None


@transaction.atomic
def remove_inspected_unit(actor, part: InspectedUnit) -> None:
    part = InspectedUnit.objects.select_related("unit").get(pk=part.pk)
    inspection = lock(part.inspection)
    require_inspecting(actor, inspection)
    refusal = part_removal_refusal(inspection, part)
    if refusal:
        raise ActionError(refusal)
    record(actor, "inspections.remove_unit", part, unit=inspection.unit, before=snapshot(part))
    part.delete()


# --- team -------------------------------------------------------------------------------


@transaction.atomic
def add_member(
    actor, inspection: Inspection, *, name: str, position: str = "", role=MemberRole.MEMBER
) -> TeamMember:
    inspection = lock(inspection)
    require_inspecting(actor, inspection)
    if inspection.state == State.CLOSED:
        raise ActionError(_("Cuộc kiểm tra đã kết thúc."))
    name = need_text(name, "name", _("Họ và tên là bắt buộc."))
    if role not in MemberRole.values:
        raise ActionError(_("Vai trò không hợp lệ."), field="role")
    if role == MemberRole.LEADER and inspection.members.filter(role=MemberRole.LEADER).exists():
        raise ActionError(_("Đoàn đã có trưởng đoàn."), field="role")
    member = TeamMember.objects.create(
        inspection=inspection,
        name=name,
        position=(position or "").strip(),
        role=role,
        order=inspection.members.count() + 1,
    )
    record(actor, "inspections.add_member", member, unit=inspection.unit, after=snapshot(member))
    return member


@transaction.atomic
def remove_member(actor, member: TeamMember) -> None:
    inspection = lock(member.inspection)
    require_inspecting(actor, inspection)
    if inspection.state == State.CLOSED:
        raise ActionError(_("Cuộc kiểm tra đã kết thúc."))
    record(
        actor, "inspections.remove_member", member, unit=inspection.unit, before=snapshot(member)
    )
    member.delete()


# --- outline and self-reports -----------------------------------------------------------


@transaction.atomic
def set_outline(
    actor, inspection: Inspection, *, name: str = "", content: bytes = b"", document=None
) -> Inspection:
    """The outline the inspected units follow: an uploaded file, a registered document, or both."""
    inspection = lock(inspection)
    require_inspecting(actor, inspection)
    if inspection.state not in OPEN_FOR_SETUP:
        raise ActionError(_("Đã có kết luận: không thay đề cương được nữa."))
    if not name and document is None:
        raise ActionError(_("Hãy chọn tệp đề cương hoặc văn bản đề cương."), field="file")
    kept = [inspection.outline_document] if inspection.outline_document_id else []
    require_readable(actor, [document], field="document", kept=kept)
    before = values(inspection)
    if name:
        content_type = check_file(name, content)
        outline = OutlineFile.objects.filter(inspection=inspection).first()
        if outline is None:
            outline = OutlineFile(inspection=inspection)
        store_content(outline, name, content, content_type)
        outline.save()
    if document is not None:
        inspection.outline_document = document
    bump(inspection, ["outline_document"])
    after = values(inspection)
    after["outline_file"] = name or None
    record(
        actor, "inspections.outline", inspection, unit=inspection.unit, before=before, after=after
    )
    return inspection


@transaction.atomic
def upload_self_report(
    actor,
    part: InspectedUnit,
    *,
    submitted_on: datetime.date,
    name: str = "",
    content: bytes = b"",
    note: str = "",
    document=None,
) -> SelfReport:
    """The inspected unit files its self-report (its own unit only); earlier ones are kept."""
    part = InspectedUnit.objects.select_related("unit", "inspection").get(pk=part.pk)
    inspection = lock(part.inspection)
    require_reporter(actor, part.unit)
    if inspection.state in (State.PLANNED, State.DECIDED):
        raise ActionError(_("Cuộc kiểm tra chưa được công bố: chưa nhận báo cáo tự kiểm tra."))
    if inspection.state in (State.CONCLUDED, State.REMEDIATION, State.CLOSED):
        raise ActionError(_("Đã có kết luận: không nhận thêm báo cáo tự kiểm tra."))
    need_date(submitted_on, "submitted_on", _("Ngày gửi là bắt buộc."))
    if submitted_on > timezone.localdate():
        raise ActionError(_("Ngày gửi không được sau hôm nay."), field="submitted_on")
    require_open_on(part.unit, submitted_on, "submitted_on")
    if not name and document is None:
        raise ActionError(_("Hãy chọn tệp báo cáo tự kiểm tra."), field="file")
    require_readable(actor, [document], field="document")
    content_type = check_file(name, content) if name else ""
    number = (
        part.self_reports.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    report = SelfReport(
        part=part,
        number=number,
        submitted_on=submitted_on,
        note=(note or "").strip(),
        document=document,
        submitted_by=actor if getattr(actor, "pk", None) else None,
    )
    if name:
        store_content(report, name, content, content_type)
    report.save()
    record(actor, "inspections.self_report", report, unit=part.unit, after=file_snapshot(report))
    return report
