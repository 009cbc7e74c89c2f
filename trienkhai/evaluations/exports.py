"""The classification table and the distribution as XLSX, from exactly what the page showed."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from trienkhai.core.xlsx import PERCENT_FORMAT, SCORE_FORMAT, workbook
from trienkhai.evaluations import rules
from trienkhai.evaluations.models import LEVEL_ORDER, Level

__all__ = ["classification", "distribution"]


def _num(value):
    return float(value) if value is not None else None


def classification(period, decider, rows, cap, as_of) -> bytes:
    values = {
        "period": period.name,
        "unit": decider.name,
        "date": date_format(as_of, "SHORT_DATE_FORMAT"),
    }
    if cap is None:  # the reader does not reach the deciding unit
        caption = _("%(period)s — %(unit)s — cảnh báo tính đến %(date)s") % values
    else:
        caption = _("%(period)s — %(unit)s — %(cap)s — cảnh báo tính đến %(date)s") % {
            **values,
            "cap": cap.text,
        }
    headers = [
        _("Tổ chức đảng"),
        _("Mã"),
        _("Tự chấm"),
        _("Mức tự xếp loại"),
        _("Điểm đề xuất"),
        _("Mức đề xuất"),
        _("Điểm quyết định"),
        _("Mức quyết định"),
        _("Ngày quyết định"),
        _("Lý do vượt tỷ lệ"),
        _("Trạng thái"),
        _("Cảnh báo"),
        _("Đảng viên HTXSNV"),
        _("Đảng viên HTTNV"),
        _("Đảng viên HTNV"),
        _("Đảng viên KHTNV"),
        _("Đảng viên chưa xếp loại"),
    ]
    data = [
        [
            ev.unit.name,
            ev.unit.code,
            _num(ev.self_total),
            rules.label(ev.self_level) if ev.self_level else "",
            _num(ev.review_total),
            rules.label(ev.review_level) if ev.review_level else "",
            _num(ev.final_total),
            rules.label(ev.decided_level) if ev.decided_level else "",
            ev.decided_on,
            ev.cap_override_reason,
            str(ev.get_state_display()),
            "; ".join(f.text for f in ev.flags),
            ev.members_excellent,
            ev.members_good,
            ev.members_complete,
            ev.members_not_complete,
            ev.members_not_rated,
        ]
        for ev in rows
    ]
    scores = {2: SCORE_FORMAT, 4: SCORE_FORMAT, 6: SCORE_FORMAT}
    return workbook(_("Xếp loại"), caption, headers, data, scores)


def distribution(period, unit, rows, total) -> bytes:
    caption = _("%(period)s — %(unit)s — phân bố mức xếp loại đã quyết định") % {
        "period": period.name,
        "unit": unit.name,
    }
    headers = [_("Đơn vị")]
    for level in LEVEL_ORDER:
        headers += [str(Level(level).label), _("Tỷ lệ")]
    headers += [_("Chưa quyết định"), _("Tổng số"), _("Vượt tỷ lệ xuất sắc")]
    data = []
    for row in [*rows, total]:
        line = [row.name if row is not total else _("Tổng cộng")]
        for level in LEVEL_ORDER:
            line += [row.counts[level], row.counts[level] / row.decided if row.decided else None]
        line += [row.undecided, row.total, _("Có") if row.over_cap else ""]
        data.append(line)
    rates = {2 + 2 * i: PERCENT_FORMAT for i in range(len(LEVEL_ORDER))}
    return workbook(_("Phân bố"), caption, headers, data, rates)
