"""The statistical annex (biểu mẫu) of a report as an XLSX laid out like a printed form.

Title rows (the form's name, the reporting unit, the period), a two-level header — "STT" and
"Đơn vị" merged down both rows, each group of figures merged across its columns above the
figures' labels and units — one row per unit below, the total row, and the source under the
table; A4 landscape, fitted to the page width, the header rows repeated on every page.

The rows are the reports the report consolidates (each unit's figures as it stated them, a
cell that disagrees with the unit's own data filled and commented with both numbers; a unit
that has not sent its report marked so), or, for a report with none below it, the breakdown of
its computed figures by child unit. The total row is the report's own: computed figures over
the whole subtree, hand-entered ones as summed from the reports sent.
"""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from trienkhai.core.dates import today
from trienkhai.core.xlsx import COUNT_FORMAT, text
from trienkhai.reports import figures as figure_registry
from trienkhai.reports import queries
from trienkhai.reports.models import FigureValue, UnitReport
from trienkhai.reports.numbers import figure_text

GROUPS = {
    "plans": "Ban hành kế hoạch",
    "tasks": "Thực hiện nhiệm vụ",
    "conferences": "Hội nghị học tập, quán triệt",
    "inspections": "Kiểm tra, giám sát",
    "findings": "Kiểm tra, giám sát",
    "remediation": "Khắc phục sau kiểm tra, giám sát",
    "practices": "Mô hình, cách làm hay",
    "ratings": "Xếp loại chất lượng",
    "": "Chỉ tiêu đơn vị báo cáo",
}
RATE_FORMAT = "0.00"
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(name="Times New Roman", bold=True, size=12)
PLAIN = Font(name="Times New Roman", size=12)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
MISMATCH = PatternFill("solid", fgColor="FFE699")
MISSING = PatternFill("solid", fgColor="F4CCCC")
FIRST_ROW = 5  # title, unit, period, blank, then the header


def _group(indicator) -> str:
    code = indicator.figure or ""
    figure = figure_registry.FIGURES.get(code)
    return GROUPS.get(figure.source if figure else "", GROUPS[""])


def _columns(report: UnitReport):
    """The form's lines, grouped in order of first appearance: [(group, [indicator, …])]."""
    groups: list[tuple[str, list]] = []
    for indicator in report.request.indicators.all():
        name = _group(indicator)
        if not groups or groups[-1][0] != name:
            groups.append((name, []))
        groups[-1][1].append(indicator)
    return groups


def _is_rate(indicator) -> bool:
    figure = figure_registry.FIGURES.get(indicator.figure or indicator.check_against)
    return (figure is not None and figure.is_rate and bool(indicator.figure)) or (
        indicator.measure.strip() == "%"
    )


def _number(value):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _rows(report: UnitReport, indicators):
    """[(unit name, {indicator id: (value, data or None)}, sent)] — one per unit below."""
    children = list(queries.children_of(report).select_related("unit").order_by("unit_path", "id"))
    if children:
        values: dict[int, dict] = {}
        rows = FigureValue.objects.filter(report__in=[c.pk for c in children]).values_list(
            "report_id", "indicator__code", "entered", "computed"
        )
        codes = {i.code: i.pk for i in indicators}
        for report_id, code, entered, computed in rows:
            if code not in codes:
                continue
            stated = entered if entered is not None else computed
            differs = entered is not None and computed is not None and entered != computed
            values.setdefault(report_id, {})[codes[code]] = (stated, computed if differs else None)
        return [(c.unit.name, values.get(c.pk, {}), c.sent) for c in children]
    own = {f.indicator_id: f for f in report.figures.all()}
    names = queries.unit_names({k for f in own.values() for k in (f.breakdown or {})})
    by_child: dict[str, dict] = {}
    for indicator_id, f in own.items():
        for child, value in (f.breakdown or {}).items():
            by_child.setdefault(child, {})[indicator_id] = (
                Decimal(value) if value is not None else None,
                None,
            )
    return [
        (names.get(int(child), child), by_child[child], True)
        for child in sorted(by_child, key=lambda c: str(names.get(int(c), c)))
    ]


def _write_header(ws, report: UnitReport, groups) -> int:
    width = 2 + sum(len(items) for _g, items in groups)
    last = get_column_letter(width)
    request = report.request
    titles = [
        text(f"Biểu số 01: {request.title}"),
        text(f"Đơn vị báo cáo: {report.unit.name}"),
        text(
            f"Kỳ báo cáo: từ ngày {request.period_start:%d/%m/%Y} "
            f"đến ngày {request.period_end:%d/%m/%Y}"
        ),
    ]
    for row, title in enumerate(titles, 1):
        ws.cell(row=row, column=1, value=title).font = BOLD if row == 1 else PLAIN
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.cell(row=row, column=1).alignment = CENTRE
    top, bottom = FIRST_ROW, FIRST_ROW + 1
    for column, label in ((1, "STT"), (2, "Đơn vị")):
        ws.cell(row=top, column=column, value=label)
        ws.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)
    column = 3
    for name, items in groups:
        ws.cell(row=top, column=column, value=text(name))
        if len(items) > 1:
            ws.merge_cells(
                start_row=top, start_column=column, end_row=top, end_column=column + len(items) - 1
            )
        for indicator in items:
            label = indicator.label + (f" ({indicator.measure})" if indicator.measure else "")
            ws.cell(row=bottom, column=column, value=text(label))
            ws.column_dimensions[get_column_letter(column)].width = 14
            column += 1
    for row in (top, bottom):
        for col in range(1, width + 1):
            cell = ws.cell(row=row, column=col)
            cell.font, cell.alignment, cell.border = BOLD, CENTRE, BOX
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    ws.row_dimensions[bottom].height = 60
    return width


def _total(indicator, line):
    """The report's own figure: computed over the whole subtree; a hand-entered one summed from
    the reports sent below, else as the unit entered it."""
    if line is None:
        return None
    if indicator.figure:
        return line.own.computed if line.own else None
    if line.reporting:
        return line.children_total
    return line.own.entered if line.own else None


def build_annex(report: UnitReport) -> bytes:
    groups = _columns(report)
    indicators = [i for _g, items in groups for i in items]
    rates = {i.pk for i in indicators if _is_rate(i)}
    wb = Workbook()
    ws = wb.active
    ws.title = "Bieu 01"
    width = _write_header(ws, report, groups)
    row = FIRST_ROW + 2
    for index, (name, values, sent) in enumerate(_rows(report, indicators), 1):
        ws.cell(row=row, column=1, value=index).alignment = CENTRE
        unit_cell = ws.cell(row=row, column=2, value=text(name))
        if not sent:
            unit_cell.fill = MISSING
            unit_cell.comment = Comment("Chưa gửi báo cáo", "Triển khai")
        for column, indicator in enumerate(indicators, 3):
            stated, data = values.get(indicator.pk, (None, None))
            cell = ws.cell(row=row, column=column, value=_number(stated))
            cell.number_format = RATE_FORMAT if indicator.pk in rates else COUNT_FORMAT
            if data is not None:
                cell.fill = MISMATCH
                cell.comment = Comment(
                    f"Đơn vị báo cáo {figure_text(stated)}; dữ liệu hệ thống {figure_text(data)}",
                    "Triển khai",
                )
        for col in range(1, width + 1):
            c = ws.cell(row=row, column=col)
            c.border = BOX
            c.font = PLAIN
        row += 1
    totals = {line.code: line for line in queries.consolidate(report, today()).lines}
    ws.cell(row=row, column=2, value="Tổng cộng")
    for column, indicator in enumerate(indicators, 3):
        line = totals.get(indicator.code)
        value = _total(indicator, line)
        cell = ws.cell(row=row, column=column, value=_number(value))
        cell.number_format = RATE_FORMAT if indicator.pk in rates else COUNT_FORMAT
    for col in range(1, width + 1):
        c = ws.cell(row=row, column=col)
        c.border, c.font = BOX, BOLD
    note = (
        f"Nguồn: số liệu trên hệ thống Triển khai, tính đến ngày "
        f"{report.request.period_end:%d/%m/%Y}. Ô tô màu vàng: số đơn vị báo cáo khác dữ liệu "
        "của chính đơn vị (xem ghi chú của ô); tên tô màu đỏ: đơn vị chưa gửi báo cáo."
    )
    ws.cell(row=row + 2, column=1, value=text(note)).font = PLAIN
    ws.merge_cells(start_row=row + 2, start_column=1, end_row=row + 2, end_column=width)
    ws.freeze_panes = ws.cell(row=FIRST_ROW + 2, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{FIRST_ROW}:{FIRST_ROW + 1}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
