"""The inspections list and the requests list as XLSX: exactly the rows the page shows."""

from django.utils.translation import gettext as _

from trienkhai.core.xlsx import workbook

MAX_ROWS = 10_000


def inspections(rows, caption: str) -> bytes:
    headers = [
        _("Tên đoàn"),
        _("Nội dung"),
        _("Loại"),
        _("Cấp kiểm tra"),
        _("Đối tượng"),
        _("Năm"),
        _("Làm việc từ"),
        _("đến"),
        _("Bước"),
        _("Ngày kết luận"),
    ]
    data = [
        [
            i.team_name,
            i.title,
            i.get_kind_display(),
            i.unit.name,
            "; ".join(p.unit.name for p in i.parts.all()),
            i.year,
            i.work_from,
            i.work_to,
            i.get_state_display(),
            i.concluded_on,
        ]
        for i in rows
    ]
    return workbook(_("Kiểm tra, giám sát"), caption, headers, data)


def requests(rows, caption: str) -> bytes:
    headers = [
        _("Yêu cầu khắc phục"),
        _("Đơn vị thực hiện"),
        _("Mã đơn vị"),
        _("Cuộc kiểm tra"),
        _("Cấp kiểm tra"),
        _("Ngày yêu cầu"),
        _("Thời hạn"),
        _("Tình trạng"),
        _("Số ngày quá hạn"),
        _("Ngày kết thúc"),
    ]
    data = [
        [
            r.text,
            r.owner.name,
            r.owner.code,
            str(r.inspection),
            r.inspection.unit.name,
            r.issued_on,
            r.deadline,
            r.get_state_display(),
            r.days_overdue or None,
            r.closed_on,
        ]
        for r in rows
    ]
    return workbook(_("Yêu cầu khắc phục"), caption, headers, data)
