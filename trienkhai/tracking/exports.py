"""The dashboard's tables as XLSX workbooks: Vietnamese headers, real Excel dates (dd/mm/yyyy).

Each function takes what `tracking.queries` returned for the page, so the file always holds
exactly what the user saw (already scoped), never a second, differently filtered read.
"""

from django.utils.translation import gettext as _

from trienkhai.accounts.classified import mask
from trienkhai.core.xlsx import PERCENT_FORMAT, workbook
from trienkhai.tracking.deadlines import occurrence_label
from trienkhai.tracking.status import Status


def _status_headers() -> list[str]:
    return [str(Status.LABELS[s]) for s in Status.ORDER]


def rollup(rows, caption: str) -> bytes:
    headers = [_("Đơn vị"), *_status_headers(), _("Tổng số"), _("Tỷ lệ đúng hạn")]
    data = [
        [row.name, *[row.counts[s] for s in Status.ORDER], row.total, row.on_time_rate]
        for row in rows
    ]
    rate = len(headers) - 1
    return workbook(_("Theo đơn vị"), caption, headers, data, {rate: PERCENT_FORMAT})


def ranking(rows, caption: str) -> bytes:
    headers = [
        _("Hạng"),
        _("Đơn vị"),
        _("Tỷ lệ đúng hạn"),
        *_status_headers(),
        _("Tổng số"),
        _("Yêu cầu giải trình"),
        _("Đã giải trình"),
        _("Giải trình quá hạn"),
        _("Chưa giải trình"),
    ]
    data = []
    for i, row in enumerate(rows, 1):
        x = getattr(row, "explanations", None)
        figures = [x.requested, x.answered, x.answered_late, x.unanswered] if x else [None] * 4
        data.append(
            [
                i,
                row.name,
                row.on_time_rate,
                *[row.counts[s] for s in Status.ORDER],
                row.total,
                *figures,
            ]
        )
    return workbook(_("Xếp hạng"), caption, headers, data, {2: PERCENT_FORMAT})


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
    return workbook(_("Ban hành kế hoạch"), caption, headers, data, {5: PERCENT_FORMAT})


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


def targets(found, caption: str) -> bytes:
    """Reached against target: a line per task and child unit, then the task's total."""
    headers = [
        _("Nhiệm vụ"),
        _("Kỳ"),
        _("Đơn vị"),
        _("Đơn vị tính"),
        _("Chỉ tiêu"),
        _("Đạt được"),
        _("Tỷ lệ đạt"),
        _("Đơn vị đã báo cáo"),
        _("Đơn vị được giao"),
        _("Chờ duyệt"),
    ]
    data = []
    for item in found:
        task = item["task"]
        label = occurrence_label(item["period"])
        for line in [*item["lines"], item["total"]]:
            name = (
                line.name
                if line is not item["total"]
                else _("Tổng: %(unit)s") % {"unit": line.unit.name}
            )
            data.append(
                [
                    mask(task, "title"),
                    label,
                    name,
                    task.target_unit,
                    float(line.target) if line.target is not None else None,
                    float(line.reached),
                    line.ratio,
                    line.reported,
                    line.units,
                    float(line.pending) if line.pending is not None else None,
                ]
            )
    return workbook(_("Chỉ tiêu"), caption, headers, data, {6: PERCENT_FORMAT})
