"""The good-practice register as an XLSX workbook, built from the rows the page read."""

from django.utils.translation import gettext as _

from trienkhai.conferences.exports import document_symbol
from trienkhai.core.xlsx import COUNT_FORMAT, workbook

__all__ = ["practice_list"]


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
    return workbook(_("Mô hình, cách làm hay"), caption, headers, rows, {6: COUNT_FORMAT})
