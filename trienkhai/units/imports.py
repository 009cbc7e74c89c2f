"""Reading unit import files (CSV or XLSX) and writing the downloadable templates.

`read_rows` turns an uploaded file into plain dicts keyed by the template's column names, each
with its line number, so the web view, the CLI and the benchmarks share one parser. It judges
no value: `units.import_actions.import_units` validates every row.
"""

import csv
import datetime
import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from trienkhai.core.actions import ActionError
from trienkhai.core.text import fold
from trienkhai.units.kinds import UnitKind

COLUMNS = ["ma", "ten", "ten_ngan", "loai", "ma_don_vi_cap_tren", "hieu_luc_tu"]
REQUIRED_COLUMNS = ["ma", "ten", "loai"]
LINE = "line"

COLUMN_HELP = [
    ("ma", N_("Mã đơn vị (duy nhất, bắt buộc)")),
    ("ten", N_("Tên đơn vị (bắt buộc)")),
    ("ten_ngan", N_("Tên ngắn (không bắt buộc)")),
    ("loai", N_("Loại đơn vị: mã hoặc tên loại trong danh sách dưới đây (bắt buộc)")),
    ("ma_don_vi_cap_tren", N_("Mã đơn vị cấp trên: đơn vị đã có hoặc một dòng của cùng tệp")),
    ("hieu_luc_tu", N_("Hiệu lực từ ngày, dạng dd/mm/yyyy (bắt buộc)")),
]


class ImportFileError(ActionError):
    """The file as a whole cannot be read (format, encoding, missing columns)."""


def _header_key(value) -> str:
    return fold(str(value or "")).replace(" ", "_").replace("-", "_")


def _cell(value) -> str | datetime.date:
    """A cell as text, or a date when the spreadsheet stored one."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from_table(table, line_of) -> list[dict]:
    """`table` yields rows of cells; the first non-empty one is the header."""
    header = None
    rows = []
    for index, cells in enumerate(table):
        values = [_cell(c) for c in cells]
        if not any(v != "" for v in values):
            continue
        if header is None:
            header = [_header_key(v) for v in values]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise ImportFileError(
                    _("Tệp thiếu cột bắt buộc: %(cols)s. Hãy dùng tệp mẫu.")
                    % {"cols": ", ".join(missing)}
                )
            continue
        row = {col: "" for col in COLUMNS}
        for key, value in zip(header, values, strict=False):
            if key in row:
                row[key] = value
        row[LINE] = line_of(index)
        rows.append(row)
    if header is None:
        raise ImportFileError(_("Tệp không có dữ liệu."))
    return rows


def _read_csv(data: bytes) -> list[dict]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("Tệp CSV phải được lưu với bảng mã UTF-8 (dòng %(line)s không đọc được).")
            % {"line": data[: exc.start].count(b"\n") + 1}
        ) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    lines: list[int] = []

    def table():
        for cells in reader:
            lines.append(reader.line_num)
            yield cells

    try:
        return _rows_from_table(table(), lambda index: lines[index])
    except csv.Error as exc:
        raise ImportFileError(
            _("Tệp CSV bị lỗi ở dòng %(line)s.") % {"line": reader.line_num}
        ) from exc


def _read_xlsx(data: bytes) -> list[dict]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(_("Không đọc được tệp XLSX.")) from exc
    try:
        sheet = book.worksheets[0]
        return _rows_from_table(sheet.iter_rows(values_only=True), lambda index: index + 1)
    finally:
        book.close()


def read_rows(uploaded_file) -> list[dict]:
    """Rows of an uploaded CSV (UTF-8, with or without BOM, "," or ";") or XLSX file.

    Each row has every column of `COLUMNS` (text, or a date from a spreadsheet) and `line`, the
    line number a person sees in the file (the header is line 1). Empty lines are skipped.
    """
    name = (getattr(uploaded_file, "name", "") or "").lower()
    data = uploaded_file.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    if data[:2] == b"PK" or name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name and not name.endswith((".csv", ".txt")):
        raise ImportFileError(_("Chỉ nhận tệp CSV hoặc XLSX."))
    return _read_csv(data)


def template_csv() -> bytes:
    """The CSV template: the header row, UTF-8 with BOM so spreadsheet programs read it right."""
    out = io.StringIO()
    csv.writer(out).writerow(COLUMNS)
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """The XLSX template: the header on the first sheet, column and kind help on a second one."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "don_vi"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.number_format = "@"
    for letter in "ABCDEF":
        sheet.column_dimensions[letter].width = 24
    help_sheet = book.create_sheet("huong_dan")
    help_sheet.append([_("Cột"), _("Ý nghĩa")])
    for col, text in COLUMN_HELP:
        help_sheet.append([col, _(text)])
    help_sheet.append([])
    help_sheet.append([_("Mã loại"), _("Tên loại")])
    for kind in UnitKind:
        help_sheet.append([kind.value, str(kind.label)])
    help_sheet.column_dimensions["A"].width = 24
    help_sheet.column_dimensions["B"].width = 70
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
