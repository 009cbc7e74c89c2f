"""The dashboard's tables as XLSX workbooks: Vietnamese headers, real Excel dates (dd/mm/yyyy).

Each function takes what `tracking.queries` returned for the page, so the file always holds
exactly what the user saw (already scoped), never a second, differently filtered read.
"""

import datetime
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from trienkhai.accounts.classified import mask
from trienkhai.tracking.deadlines import occurrence_label
from trienkhai.tracking.status import Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
PERCENT_FORMAT = "0.0%"


def _safe(value):
    """Text that a spreadsheet would read as a formula is prefixed, so it stays text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def workbook(title: str, caption: str, headers: list[str], rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([caption])
    ws["A1"].font = Font(bold=True)
    ws.append(headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_safe(v) for v in row])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, float):
                cell.number_format = PERCENT_FORMAT
    for column, header in zip(ws.iter_cols(min_row=2, max_row=2), headers, strict=False):
        ws.column_dimensions[column[0].column_letter].width = max(12, min(60, len(header) + 4))
    ws.freeze_panes = "A3"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def response(content: bytes, filename: str) -> HttpResponse:
    resp = HttpResponse(content, content_type=XLSX)
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


def _status_headers() -> list[str]:
    return [str(Status.LABELS[s]) for s in Status.ORDER]


def rollup(rows, caption: str) -> bytes:
    headers = [_("Đơn vị"), *_status_headers(), _("Tổng số"), _("Tỷ lệ đúng hạn")]
    data = [
        [row.name, *[row.counts[s] for s in Status.ORDER], row.total, row.on_time_rate]
        for row in rows
    ]
    return workbook(_("Theo đơn vị"), caption, headers, data)


def ranking(rows, caption: str) -> bytes:
    headers = [_("Hạng"), _("Đơn vị"), _("Tỷ lệ đúng hạn"), *_status_headers(), _("Tổng số")]
    data = [
        [i, row.name, row.on_time_rate, *[row.counts[s] for s in Status.ORDER], row.total]
        for i, row in enumerate(rows, 1)
    ]
    return workbook(_("Xếp hạng"), caption, headers, data)


def coverage(cov, caption: str) -> bytes:
    """Per child line, then the units that have not issued their plan."""
    headers = [
        _("Đơn vị"),
        _("Số đơn vị phải ban hành"),
        _("Đã ban hành"),
        _("Ban hành muộn"),
        _("Chưa ban hành"),
        _("Tỷ lệ"),
    ]
    data = [
        [
            line.unit.name if line.unit else line.path,
            line.total,
            line.met,
            line.late,
            line.total - line.met,
            line.met / line.total if line.total else None,
        ]
        for line in cov.lines
    ]
    data.append([])
    data.append([_("Đơn vị chưa ban hành kế hoạch"), _("Mã"), _("Hạn")])
    for m in cov.missing:
        data.append([m.full_path, m.unit.code, m.due])
    return workbook(_("Ban hành kế hoạch"), caption, headers, data)


def overdue(rows, caption: str) -> bytes:
    headers = [
        _("Đơn vị"),
        _("Mã đơn vị"),
        _("Nhiệm vụ"),
        _("Kỳ"),
        _("Hạn"),
        _("Số ngày quá hạn"),
        _("Tiến độ (%)"),
    ]
    data = [
        [
            r.full_path,
            r.assignment.unit.code,
            mask(r.assignment, "task.title"),
            occurrence_label(r.assignment.occurrence),
            r.assignment.due,
            r.days,
            r.assignment.percent,
        ]
        for r in rows
    ]
    return workbook(_("Quá hạn"), caption, headers, data)
