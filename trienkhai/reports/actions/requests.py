"""A unit asks the units below it for a report, or passes a request from above down.

Who: a coordinator of the requesting unit (a support body — an organisation commission — acts
for its committee, as a plan does: its recipients are found under the committee). Every
recipient unit gets its `UnitReport` in the same transaction (one INSERT for thousands of
units); the requester gets its own consolidating report unless the request answers one of its
reports on a request from above. One change-log entry names the request; its hand-off tells the
recipients' reporters (`reports.handoffs`).
"""

import datetime
import re

from django.db import transaction
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.core.actions import ActionError, record, snapshot
from trienkhai.core.dates import check_date
from trienkhai.core.dates import today as current_day
from trienkhai.reports import figures
from trienkhai.reports.models import (
    Facts,
    FormIndicator,
    OutlineSection,
    RecipientRule,
    ReportKind,
    ReportRequest,
    UnitReport,
)
from trienkhai.tree.kinds import SUPPORT_KINDS, UnitKind
from trienkhai.tree.paths import subtree_q
from trienkhai.units.models import Unit

MAX_SECTIONS = 40
MAX_INDICATORS = 80
CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,32}$")


def reach_root(unit: Unit) -> Unit:
    """Whose subtree a request reaches: a support body (Ban Tổ chức …) acts for its committee."""
    if unit.is_support and unit.parent_id is not None:
        return unit.parent
    return unit


def recipients(unit: Unit, rule: str, kinds):
    """The open units a request of `unit` goes to."""
    root = reach_root(unit)
    base = Unit.objects.filter(subtree_q(root.path), valid_to__isnull=True).exclude(pk=unit.pk)
    if rule == RecipientRule.CHILDREN:
        return base.filter(parent=root).exclude(kind__in=sorted(SUPPORT_KINDS))
    if rule == RecipientRule.KINDS:
        return base.filter(kind__in=_kinds(kinds)).exclude(pk=root.pk)
    raise ActionError(_("Hãy chọn đơn vị được yêu cầu báo cáo."), field="rule")


def _kinds(kinds) -> list[str]:
    wanted = sorted({k for k in (kinds or ()) if k})
    if not wanted or any(k not in UnitKind.values for k in wanted):
        raise ActionError(_("Hãy chọn ít nhất một loại đơn vị."), field="kinds")
    return wanted


def _check_period(start, end, deadline) -> None:
    for field, value in (("period_start", start), ("period_end", end), ("deadline", deadline)):
        if not isinstance(value, datetime.date):
            raise ActionError(_("Ngày không hợp lệ."), field=field)
        check_date(value, field)
    if end < start:
        raise ActionError(_("Kỳ báo cáo phải kết thúc sau ngày bắt đầu."), field="period_end")
    if deadline < start:
        raise ActionError(_("Hạn gửi báo cáo không được trước kỳ báo cáo."), field="deadline")


def _clean_sections(sections) -> list[dict]:
    out = []
    for index, s in enumerate(sections or ()):
        number = str(s.get("number") or "").strip()[:12]
        title = str(s.get("title") or "").strip()
        if not title:
            continue
        facts = s.get("facts") or ""
        if facts not in Facts.values:
            raise ActionError(_("Loại số liệu gợi ý không hợp lệ."), field="sections")
        if len(title) > 300:
            raise ActionError(_("Tiêu đề mục quá dài (tối đa 300 ký tự)."), field="sections")
        out.append(
            {
                "number": number or str(index + 1),
                "title": title,
                "guidance": str(s.get("guidance") or "").strip()[:5000],
                "facts": facts,
                "order": index,
            }
        )
    if not out:
        raise ActionError(_("Đề cương cần ít nhất một mục."), field="sections")
    if len(out) > MAX_SECTIONS:
        raise ActionError(_("Đề cương quá dài (tối đa 40 mục)."), field="sections")
    return out


def _clean_indicators(codes, manual) -> list[dict]:
    out = []
    for code in codes or ():
        figure = figures.FIGURES.get(code)
        if figure is None:
            raise ActionError(
                _("Chỉ tiêu “%(code)s” không có trong hệ thống.") % {"code": code},
                field="figures",
            )
        out.append(
            {
                "code": code,
                "label": str(figure.label),
                "measure": str(figure.measure),
                "definition": str(figure.definition),
                "figure": code,
                "check_against": "",
            }
        )
    for row in manual or ():
        code = str(row.get("code") or "").strip()
        label = str(row.get("label") or "").strip()
        if not code and not label:
            continue
        if not CODE.match(code) or not label:
            raise ActionError(
                _(
                    "Chỉ tiêu nhập tay cần mã (chữ, số, dấu chấm, gạch; tối đa 32 ký tự) và tên: "
                    "“%(code)s”."
                )
                % {"code": code or label},
                field="manual",
            )
        check = str(row.get("check_against") or "")
        if check and check not in figures.FIGURES:
            raise ActionError(_("Chỉ tiêu đối chiếu không hợp lệ."), field="manual")
        out.append(
            {
                "code": code,
                "label": label[:300],
                "measure": str(row.get("measure") or "").strip()[:40],
                "definition": str(row.get("definition") or "").strip()[:2000],
                "figure": "",
                "check_against": check,
            }
        )
    codes_seen = [r["code"] for r in out]
    if len(set(codes_seen)) != len(codes_seen):
        raise ActionError(_("Mỗi chỉ tiêu trong biểu mẫu cần một mã riêng."), field="manual")
    if len(out) > MAX_INDICATORS:
        raise ActionError(_("Biểu mẫu quá dài (tối đa 80 chỉ tiêu)."), field="figures")
    return [{**r, "order": i} for i, r in enumerate(out)]


def _directives(directives) -> list:
    directives = [d for d in (directives or ()) if d is not None]
    if not directives:
        raise ActionError(_("Hãy chọn văn bản được báo cáo."), field="directives")
    return directives


@transaction.atomic
def create_request(
    actor,
    *,
    unit: Unit,
    title: str,
    kind: str,
    directives,
    period_start: datetime.date,
    period_end: datetime.date,
    deadline: datetime.date,
    rule: str,
    kinds=(),
    sections=(),
    figure_codes=(),
    manual=(),
    answers: UnitReport | None = None,
    today=None,
) -> ReportRequest:
    """`today`: the day the request is made (the system recording one made earlier)."""
    require(actor, Role.COORDINATOR, unit)
    title = (title or "").strip()
    if not title:
        raise ActionError(_("Hãy nhập tên báo cáo."), field="title")
    if len(title) > 300:
        raise ActionError(_("Tên báo cáo quá dài (tối đa 300 ký tự)."), field="title")
    if kind not in ReportKind.values:
        raise ActionError(_("Loại báo cáo không hợp lệ."), field="kind")
    directives = _directives(directives)
    _check_period(period_start, period_end, deadline)
    if deadline < (today or current_day()) and answers is None:
        raise ActionError(_("Hạn gửi báo cáo không được trước hôm nay."), field="deadline")
    sections = _clean_sections(sections)
    indicators = _clean_indicators(figure_codes, manual)
    if answers is not None and answers.unit_id != unit.pk:
        raise ActionError(_("Chỉ đơn vị được yêu cầu mới chuyển yêu cầu xuống cấp dưới."))
    units = recipients(unit, rule, kinds)
    kinds = _kinds(kinds) if rule == RecipientRule.KINDS else []
    if not units.exists():
        raise ActionError(
            _("Không có đơn vị nào đang hoạt động nhận yêu cầu theo cách đã chọn."), field="rule"
        )
    request = ReportRequest.objects.create(
        unit=unit,
        unit_path=unit.path,
        title=title,
        kind=kind,
        period_start=period_start,
        period_end=period_end,
        deadline=deadline,
        rule=rule,
        kinds=kinds,
        answers=answers,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    request.directives.set(directives)
    OutlineSection.objects.bulk_create(OutlineSection(request=request, **s) for s in sections)
    FormIndicator.objects.bulk_create(FormIndicator(request=request, **i) for i in indicators)
    rows = [
        UnitReport(request=request, unit_id=pk, unit_path=path, due=deadline)
        for pk, path in units.values_list("pk", "path").iterator(chunk_size=5000)
    ]
    UnitReport.objects.bulk_create(rows, batch_size=2000)
    if answers is None:
        own = UnitReport.objects.create(
            request=request, unit=unit, unit_path=unit.path, due=deadline, own=True
        )
        request.answers = own
        request.save(update_fields=["answers"])
    after = snapshot(request)
    after["recipients"] = len(rows)
    record(actor, "reports.create_request", request, unit=unit, after=after)
    return request


@transaction.atomic
def pass_down(
    actor, report: UnitReport, *, deadline: datetime.date, rule: str, kinds=()
) -> ReportRequest:
    """The unit asked for `report` asks the units below it for theirs, with the same outline,
    form, directives and period, so its own report can consolidate them."""
    report = UnitReport.objects.select_related("request", "unit").get(pk=report.pk)
    if report.own:
        raise ActionError(_("Báo cáo này đã tổng hợp từ yêu cầu của chính đơn vị."))
    if ReportRequest.objects.filter(answers=report).exists():
        raise ActionError(_("Đơn vị đã chuyển yêu cầu này xuống cấp dưới."))
    if deadline is not None and deadline > report.due:
        raise ActionError(
            _("Hạn của cấp dưới nên trước hạn gửi lên cấp trên (%(due)s).")
            % {"due": report.due.strftime("%d/%m/%Y")},
            field="deadline",
        )
    parent = report.request
    return create_request(
        actor,
        unit=report.unit,
        title=parent.title,
        kind=parent.kind,
        directives=list(parent.directives.all()),
        period_start=parent.period_start,
        period_end=parent.period_end,
        deadline=deadline,
        rule=rule,
        kinds=kinds,
        sections=[
            {"number": s.number, "title": s.title, "guidance": s.guidance, "facts": s.facts}
            for s in parent.sections.all()
        ],
        figure_codes=[i.figure for i in parent.indicators.all() if i.figure],
        manual=[
            {
                "code": i.code,
                "label": i.label,
                "measure": i.measure,
                "definition": i.definition,
                "check_against": i.check_against,
            }
            for i in parent.indicators.all()
            if not i.figure
        ],
        answers=report,
    )
