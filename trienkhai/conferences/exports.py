"""The conference list and roll-up as XLSX workbooks, built from what the page read.

Vietnamese headers, real Excel dates shown dd/mm/yyyy, counts as numbers, text that a
spreadsheet would take for a formula kept as text.
"""

from django.utils.translation import gettext as _

from trienkhai.conferences.timing import Timing, participation_rate, timing_of
from trienkhai.core.xlsx import COUNT_FORMAT, DECIMAL_FORMAT, Sheet, workbook_of

__all__ = ["conference_list", "document_symbol", "rollup"]


def document_symbol(doc) -> str:
    """A document as the list shows it: a classified one the reader may not read is no symbol."""
    return doc.symbol if getattr(doc, "readable", False) else _("Văn bản mật")


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
    counts = {i: COUNT_FORMAT for i in (6, 7, 8, 9, 11)}
    return workbook_of(Sheet(_("Hội nghị"), caption, headers, rows, {**counts, 10: DECIMAL_FORMAT}))


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
    doc_headers = [_("Văn bản"), *headers[1:3], headers[3], headers[5], headers[6], headers[7]]
    doc_rows = [
        [d.label, d.held, d.on_time, d.late, d.conferences, d.points, d.attendees]
        for d in documents
    ]
    return workbook_of(
        Sheet(_("Theo đơn vị"), caption, headers, data, _counts(headers)),
        Sheet(_("Theo văn bản"), caption, doc_headers, doc_rows, _counts(doc_headers)),
    )


def _counts(headers) -> dict:
    """Every column but the first holds counts."""
    return {i: COUNT_FORMAT for i in range(1, len(headers))}
