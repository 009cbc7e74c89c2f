"""A unit drafts its report: pre-filled from its data, edited, given files, and sent up.

Opening a report the first time (`prefill`) writes every computed figure as of the period's end
for the unit's subtree (with its breakdown by child unit), the figure each hand-entered line is
checked against, and for each outline section the starting text the system writes from what it
holds. The drafter edits the text and the hand-entered figures and may override a computed
figure only with a reason; both values are kept. Every save carries the version the page was
opened at: a stale edit is refused with the other person's change shown (`check_version`).
Who: reporters of the unit draft and send; a report sent is not edited until it is returned.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.core.actions import ActionError, check_version, record, snapshot
from trienkhai.core.files import check_upload, store_content
from trienkhai.reports import facts, figures
from trienkhai.reports.actions.requests import reach_root
from trienkhai.reports.models import (
    FigureValue,
    ReportFile,
    ReportState,
    SectionText,
    UnitReport,
)

EDITABLE = (ReportState.NOT_STARTED, ReportState.DRAFT, ReportState.RETURNED)
MAX_TEXT = 50_000
MAX_NUMBER = Decimal("1000000000000")
SAVES = ("reports.prefill", "reports.save_draft", "reports.submit", "reports.return")


def _lock(report: UnitReport, expected_version=None) -> UnitReport:
    report = (
        UnitReport.objects.select_for_update(of=("self",))
        .select_related("request", "unit")
        .get(pk=report.pk)
    )
    check_version(report, expected_version, snapshot(report), SAVES)
    return report


def _editable(report: UnitReport) -> None:
    if report.state not in EDITABLE:
        raise ActionError(
            _("Báo cáo ở trạng thái “%(state)s”, không sửa được.")
            % {"state": report.get_state_display()}
        )


def compute_figures(report: UnitReport, user=None) -> dict:
    """{form indicator id: (value, breakdown)} of the report's computed and checked lines, for
    the unit's subtree over the request's period, as of its end."""
    request = report.request
    lines = [i for i in request.indicators.all() if i.figure or i.check_against]
    codes = sorted({i.figure or i.check_against for i in lines})
    if not codes:
        return {}
    table = figures.compute(
        codes,
        unit=reach_root(report.unit),
        start=request.period_start,
        end=request.period_end,
        directives=list(request.directives.all()),
        user=user,
    )
    out = {}
    for line in lines:
        code = line.figure or line.check_against
        got = table.get(code) or {}
        out[line.pk] = (got.get("total"), got.get("children") or {})
    return out


def _as_decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.0001"))


def _write_figures(report: UnitReport, user=None) -> None:
    computed = compute_figures(report, user)
    existing = {f.indicator_id: f for f in report.figures.all()}
    for line in report.request.indicators.all():
        value, breakdown = computed.get(line.pk, (None, {}))
        row = existing.get(line.pk) or FigureValue(report=report, indicator=line)
        row.computed = _as_decimal(value)
        row.breakdown = {
            str(k): (str(_as_decimal(v)) if v is not None else None) for k, v in breakdown.items()
        }
        row.save()


def _write_texts(report: UnitReport, user=None) -> None:
    request = report.request
    existing = {t.section_id: t for t in report.texts.all()}
    for section in request.sections.all():
        suggested = ""
        if section.facts:
            suggested = facts.text(
                section.facts,
                unit=reach_root(report.unit),
                start=request.period_start,
                end=request.period_end,
                directives=list(request.directives.all()),
                user=user,
            )
        row = existing.get(section.pk)
        if row is None:
            SectionText.objects.create(
                report=report, section=section, text=suggested, suggested=suggested
            )
        else:
            row.suggested = suggested
            row.save(update_fields=["suggested"])


@transaction.atomic
def prefill(actor, report: UnitReport, *, expected_version=None) -> UnitReport:
    """Write (or refresh) the computed figures and the starting texts; a text already edited
    keeps the drafter's words (the new suggestion is kept beside it)."""
    report = _lock(report, expected_version)
    require(actor, Role.REPORTER, report.unit)
    _editable(report)
    before = snapshot(report)
    _write_figures(report)
    _write_texts(report)
    report.prefilled_at = timezone.now()
    if report.state == ReportState.NOT_STARTED:
        report.state = ReportState.DRAFT
    report.version += 1
    report.save(update_fields=["prefilled_at", "state", "version"])
    record(
        actor, "reports.prefill", report, unit=report.unit, before=before, after=snapshot(report)
    )
    return report


def parse_figure(value, field: str) -> Decimal | None:
    """A figure typed the Vietnamese way ("1.234", "97,55"), or empty."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip().replace(" ", "").replace("%", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
        text = text.replace(".", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ActionError(
            _("“%(value)s” không phải là số (ví dụ: 1.234 hoặc 97,55).") % {"value": value},
            field=field,
        ) from None
    if not number.is_finite() or number < 0 or number > MAX_NUMBER:
        raise ActionError(_("Hãy nhập một số không âm."), field=field)
    return number.quantize(Decimal("0.0001"))


@transaction.atomic
def save_draft(
    actor, report: UnitReport, *, texts=None, figures_entered=None, expected_version=None
) -> UnitReport:
    """`texts` {section id: text}; `figures_entered` {form indicator id: (value, reason)}, a
    value typed for a computed line being an override that needs its reason."""
    report = _lock(report, expected_version)
    require(actor, Role.REPORTER, report.unit)
    _editable(report)
    if report.prefilled_at is None:
        raise ActionError(_("Hãy mở bản nháp trước khi lưu."))
    before = snapshot(report)
    rows = {t.section_id: t for t in report.texts.all()}
    for section_id, text in (texts or {}).items():
        row = rows.get(int(section_id))
        if row is None:
            raise ActionError(_("Mục không thuộc đề cương của báo cáo."), field="texts")
        text = str(text or "")
        if len(text) > MAX_TEXT:
            raise ActionError(_("Nội dung một mục quá dài (tối đa 50.000 ký tự)."), field="texts")
        if row.text != text:
            row.text = text
            row.save(update_fields=["text"])
    values = {f.indicator_id: f for f in report.figures.select_related("indicator")}
    for indicator_id, (value, reason) in (figures_entered or {}).items():
        row = values.get(int(indicator_id))
        if row is None:
            raise ActionError(_("Chỉ tiêu không thuộc biểu mẫu của báo cáo."), field="figures")
        field = f"figure-{row.indicator_id}"
        number = parse_figure(value, field)
        reason = str(reason or "").strip()[:2000]
        if row.indicator.computed and number is not None and number != row.computed and not reason:
            raise ActionError(
                _(
                    "Số liệu “%(label)s” khác số hệ thống tính (%(computed)s): hãy ghi lý do "
                    "điều chỉnh."
                )
                % {"label": row.indicator.label, "computed": _shown(row.computed)},
                field=field,
            )
        if row.indicator.computed and number == row.computed:
            number, reason = None, ""  # the same as the data: no override
        row.entered, row.reason = number, reason if number is not None else ""
        row.save(update_fields=["entered", "reason"])
    report.state = ReportState.DRAFT if report.state == ReportState.NOT_STARTED else report.state
    report.version += 1
    report.save(update_fields=["state", "version"])
    record(
        actor, "reports.save_draft", report, unit=report.unit, before=before, after=snapshot(report)
    )
    return report


def _shown(value) -> str:
    from trienkhai.reports.numbers import figure_text

    return figure_text(value)


@transaction.atomic
def attach_file(actor, report: UnitReport, *, name: str, content: bytes) -> ReportFile:
    report = _lock(report)
    require(actor, Role.REPORTER, report.unit)
    _editable(report)
    content_type = check_upload(name, content, field="file")
    stored = ReportFile(report=report, uploaded_by=actor if getattr(actor, "pk", None) else None)
    store_content(stored, name, content, content_type)
    stored.save()
    record(actor, "reports.attach_file", stored, unit=report.unit, after=snapshot(stored))
    return stored


@transaction.atomic
def submit(actor, report: UnitReport, *, expected_version=None, today=None) -> UnitReport:
    """Send the report up: every hand-entered line needs its figure."""
    report = _lock(report, expected_version)
    require(actor, Role.REPORTER, report.unit)
    _editable(report)
    if report.own:
        raise ActionError(
            _("Báo cáo tổng hợp của đơn vị yêu cầu không gửi duyệt: hãy ban hành báo cáo.")
        )
    if report.prefilled_at is None:
        raise ActionError(_("Báo cáo chưa được soạn."))
    missing = [
        f.indicator.label
        for f in report.figures.select_related("indicator")
        if not f.indicator.computed and f.entered is None
    ]
    if missing:
        raise ActionError(
            _("Chưa nhập số liệu: %(names)s.") % {"names": "; ".join(missing[:5])},
            field="figures",
        )
    before = snapshot(report)
    report.state = ReportState.SUBMITTED
    report.submitted_on = today or timezone.localdate()
    report.submitted_by = actor if getattr(actor, "pk", None) else None
    report.return_reason = ""
    report.version += 1
    report.save(update_fields=["state", "submitted_on", "submitted_by", "return_reason", "version"])
    record(actor, "reports.submit", report, unit=report.unit, before=before, after=snapshot(report))
    return report
