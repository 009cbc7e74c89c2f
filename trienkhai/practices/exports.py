"""The good-practice register as an XLSX workbook, built from the rows the page read."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from trienkhai.conferences.exports import document_symbol, save_workbook, sheet
from trienkhai.tracking.exports import response  # noqa: F401  (same download headers)


def practice_list(practices, caption: str) -> bytes:
    headers = [
        _("Năm"),
        _("Đơn vị"),
        _("Mã đơn vị"),
        _("Tên mô hình, cách làm"),
        _("Nội dung"),
        _("Văn bản liên quan"),
        _("Số đơn vị áp dụng (trong phạm vi)"),
        _("Nguồn"),
    ]
    rows = [
        [
            p.year,
            p.unit.name,
            p.unit.code,
            p.title,
            p.description,
            ", ".join(document_symbol(d) for d in p.directives.all()),
            p.adoption_count,
            p.source,
        ]
        for p in practices
    ]
    wb = Workbook()
    sheet(wb.active, _("Mô hình, cách làm hay"), caption, headers, rows)
    return save_workbook(wb)
