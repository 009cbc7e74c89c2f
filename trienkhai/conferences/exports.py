"""The conference list and roll-up as XLSX workbooks, built from what the page read.

Vietnamese headers, real Excel dates shown dd/mm/yyyy, counts as numbers, text that a
spreadsheet would take for a formula kept as text.
"""

import datetime
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from trienkhai.conferences.timing import Timing, participation_rate, timing_of
from trienkhai.tracking.exports import response  # noqa: F401  (same download headers)

DATE_FORMAT = "DD/MM/YYYY"
NUMBER_FORMAT = "#,##0"
RATE_FORMAT = "0.00"


def _safe(value):
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def document_symbol(doc) -> str:
    """A document as the list shows it: a classified one the reader may not read is no symbol."""
    return doc.symbol if getattr(doc, "readable", False) else _("Văn bản mật")


def sheet(ws, title: str, caption: str, headers: list[str], rows) -> None:
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
                cell.number_format = RATE_FORMAT
            elif isinstance(cell.value, int):
                cell.number_format = NUMBER_FORMAT
    for column, header in zip(ws.iter_cols(min_row=2, max_row=2), headers, strict=False):
        ws.column_dimensions[column[0].column_letter].width = max(12, min(60, len(header) + 4))
    ws.freeze_panes = "A3"


def save_workbook(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def conference_list(conferences, caption: str) -> bytes:
    headers = [
        _("Ngày tổ chức"),
        _("Đơn vị tổ chức"),
        _("Mã đơn vị"),
        _("Tên hội nghị"),
        _("Hình thức"),
        _("Văn bản được quán triệt"),
        _("Số điểm cầu"),
        _("Số đại biểu"),
        _("Đảng viên phải tham gia"),
        _("Đảng viên tham gia"),
        _("Tỷ lệ tham gia (%)"),
        _("Lượt quần chúng"),
        _("Thời hạn"),
        _("Đúng hạn / muộn"),
        _("Ghi chú"),
    ]
    rows = []
    for c in conferences:
        rate = participation_rate(c.members_expected, c.members_attending)
        rows.append(
            [
                c.date,
                c.host.name,
                c.host.code,
                c.title,
                c.get_format_display(),
                ", ".join(document_symbol(d) for d in c.documents.all()),
                c.total_points,
                c.total_attendees,
                c.members_expected,
                c.members_attending,
                round(rate, 2) if rate is not None else None,
                c.non_member_attendances,
                c.deadline,
                str(Timing.LABELS[timing_of(c.date, c.deadline)]),
                c.note,
            ]
        )
    wb = Workbook()
    sheet(wb.active, _("Hội nghị"), caption, headers, rows)
    return save_workbook(wb)


def rollup(rows, total, documents, caption: str) -> bytes:
    headers = [
        _("Đơn vị"),
        _("Số đơn vị đã tổ chức"),
        _("Đúng hạn"),
        _("Muộn"),
        _("Không có thời hạn"),
        _("Số hội nghị"),
        _("Số điểm cầu"),
        _("Số đại biểu"),
    ]

    def line(name, r):
        return [
            name,
            r.held,
            r.on_time,
            r.late,
            r.no_deadline,
            r.conferences,
            r.points,
            r.attendees,
        ]

    data = [line(r.name, r) for r in rows] + [line(_("Cộng"), total)]
    wb = Workbook()
    sheet(wb.active, _("Theo đơn vị"), caption, headers, data)
    doc_headers = [_("Văn bản"), *headers[1:3], headers[3], headers[5], headers[6], headers[7]]
    doc_rows = [
        [d.label, d.held, d.on_time, d.late, d.conferences, d.points, d.attendees]
        for d in documents
    ]
    sheet(wb.create_sheet(), _("Theo văn bản"), caption, doc_headers, doc_rows)
    return save_workbook(wb)
