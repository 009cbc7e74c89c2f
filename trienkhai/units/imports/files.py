"""Reading unit import files (CSV or XLSX) and writing the downloadable templates.

`read_rows` turns an uploaded file into plain dicts keyed by the template's column names, each
with its line number, so the web view, the job, the CLI and the benchmarks share one parser. It
judges no value: `units.imports.actions.import_units` validates every row.

A file is measured before it is read (`inspect_file`): its size, its row count while reading, and
for an XLSX the sizes its zip directory declares, so that a huge or "zip bomb" file is refused
before it can fill the memory. `zipfile` never inflates a part beyond its declared size, so the
directory check bounds what openpyxl can unpack.
"""

import csv
import datetime
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from trienkhai.core import xlsx
from trienkhai.core.actions import ActionError
from trienkhai.core.text import fold
from trienkhai.tree.kinds import UnitKind

COLUMNS = ["ma", "ten", "ten_ngan", "loai", "ma_don_vi_cap_tren", "hieu_luc_tu"]
REQUIRED_COLUMNS = ["ma", "ten", "loai"]
LINE = "line"
XLSX_MAX_PARTS = 1000  # a workbook has a few dozen parts; a zip of thousands is not a workbook
RATIO_CHECKED_FROM = 1024 * 1024  # small parts (styles, themes) may compress very well
PROGRESS_EVERY = 5000  # rows read between two progress reports

COLUMN_HELP = [
    ("ma", N_("Mã đơn vị (duy nhất, bắt buộc)")),
    ("ten", N_("Tên đơn vị (bắt buộc)")),
    ("ten_ngan", N_("Tên ngắn (không bắt buộc)")),
    ("loai", N_("Loại đơn vị: mã hoặc tên loại trong danh sách dưới đây (bắt buộc)")),
    ("ma_don_vi_cap_tren", N_("Mã đơn vị cấp trên: đơn vị đã có hoặc một dòng của cùng tệp")),
    ("hieu_luc_tu", N_("Hiệu lực từ ngày, dạng dd/mm/yyyy (bắt buộc)")),
]


class ImportFileError(ActionError):
    """The file as a whole cannot be read (format, encoding, missing columns, too big)."""


@dataclass(frozen=True)
class Limits:
    """What an import file may weigh; from the TRIENKHAI_IMPORT_* settings unless given."""

    max_bytes: int
    max_rows: int
    max_unpacked: int
    max_ratio: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            max_bytes=settings.TRIENKHAI_IMPORT_MAX_BYTES,
            max_rows=settings.TRIENKHAI_IMPORT_MAX_ROWS,
            max_unpacked=settings.TRIENKHAI_IMPORT_MAX_UNPACKED,
            max_ratio=settings.TRIENKHAI_IMPORT_MAX_RATIO,
        )


@dataclass(frozen=True)
class FileInfo:
    kind: str  # "csv" or "xlsx"
    size: int  # bytes as uploaded
    unpacked: int  # bytes once unzipped (the size itself for a CSV)


def too_big_message(limits: Limits) -> str:
    return _("Tệp quá lớn: chỉ nhận tệp đến %(max)s.") % {"max": filesizeformat(limits.max_bytes)}


def _size_of(f) -> int:
    size = getattr(f, "size", None)
    if size is None:
        f.seek(0, 2)
        size = f.tell()
    return int(size)


def _check_archive(f, limits: Limits) -> int:
    """Total unpacked size of an XLSX, after refusing what would unpack to too much."""
    try:
        with zipfile.ZipFile(f) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(_("Không đọc được tệp XLSX.")) from exc
    if len(parts) > XLSX_MAX_PARTS:
        raise ImportFileError(_("Tệp XLSX có cấu trúc bất thường, không thể đọc."))
    unpacked = sum(p.file_size for p in parts)
    if unpacked > limits.max_unpacked:
        raise ImportFileError(
            _("Tệp XLSX khi giải nén lớn tới %(size)s, vượt giới hạn %(max)s.")
            % {"size": filesizeformat(unpacked), "max": filesizeformat(limits.max_unpacked)}
        )
    for p in parts:
        if p.file_size >= RATIO_CHECKED_FROM and p.file_size > limits.max_ratio * max(
            p.compress_size, 1
        ):
            raise ImportFileError(
                _("Tệp XLSX bị nén bất thường (tỷ lệ nén quá %(ratio)s lần), không thể đọc.")
                % {"ratio": limits.max_ratio}
            )
    return unpacked


def inspect_file(uploaded_file, limits: Limits | None = None) -> FileInfo:
    """Kind and sizes of a file, refusing one too big to read; the file is left at its start."""
    limits = limits or Limits.from_settings()
    name = (getattr(uploaded_file, "name", "") or "").lower()
    size = _size_of(uploaded_file)
    if size > limits.max_bytes:
        raise ImportFileError(too_big_message(limits))
    uploaded_file.seek(0)
    head = uploaded_file.read(4)
    uploaded_file.seek(0)
    if isinstance(head, str):
        head = head.encode("utf-8")
    if head[:2] == b"PK" or name.endswith(".xlsx"):
        unpacked = _check_archive(uploaded_file, limits)
        uploaded_file.seek(0)
        return FileInfo("xlsx", size, unpacked)
    if name and not name.endswith((".csv", ".txt")):
        raise ImportFileError(_("Chỉ nhận tệp CSV hoặc XLSX."))
    return FileInfo("csv", size, size)


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


def _rows_from_table(table, line_of, limits: Limits, progress) -> list[dict]:
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
        if len(rows) >= limits.max_rows:
            raise ImportFileError(
                _("Tệp có hơn %(max)s dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn.")
                % {"max": number_format(limits.max_rows, force_grouping=True)}
            )
        row = {col: "" for col in COLUMNS}
        for key, value in zip(header, values, strict=False):
            if key in row:
                row[key] = value
        row[LINE] = line_of(index)
        rows.append(row)
        if progress is not None and len(rows) % PROGRESS_EVERY == 0:
            progress(len(rows))
    if header is None:
        raise ImportFileError(_("Tệp không có dữ liệu."))
    return rows


def _read_csv(f, limits: Limits, progress) -> list[dict]:
    """Line by line: each physical line is decoded on its own, so an encoding error names it."""
    fed = 0

    def lines():
        nonlocal fed
        for raw in iter(f.readline, b""):
            if isinstance(raw, str):
                raw = raw.encode("utf-8")
            try:
                text = raw.decode("utf-8-sig" if fed == 0 else "utf-8")
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    _("Tệp CSV phải được lưu với bảng mã UTF-8 (dòng %(line)s không đọc được).")
                    % {"line": fed + 1}
                ) from exc
            fed += 1
            yield text

    source = lines()
    first = next(source, "")
    delimiter = ";" if first.count(";") > first.count(",") else ","

    def all_lines():
        if first:
            yield first
        yield from source

    reader = csv.reader(all_lines(), delimiter=delimiter)
    numbers: list[int] = []

    def table():
        for cells in reader:
            numbers.append(reader.line_num)
            yield cells

    try:
        return _rows_from_table(table(), lambda index: numbers[index], limits, progress)
    except csv.Error as exc:
        raise ImportFileError(
            _("Tệp CSV bị lỗi ở dòng %(line)s.") % {"line": reader.line_num}
        ) from exc


def _read_xlsx(f, limits: Limits, progress) -> list[dict]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(f, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(_("Không đọc được tệp XLSX.")) from exc
    try:
        sheet = book.worksheets[0]
        # In read-only mode openpyxl stops at the sheet's declared dimension (<dimension ref>),
        # which a generator may write too small; forget it and read every row there is.
        sheet.reset_dimensions()
        table = sheet.iter_rows(values_only=True)
        return _rows_from_table(table, lambda index: index + 1, limits, progress)
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet fails while it is being read
        raise ImportFileError(_("Không đọc được tệp XLSX.")) from exc
    finally:
        book.close()


def read_rows(
    uploaded_file,
    *,
    limits: Limits | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[dict]:
    """Rows of an uploaded CSV (UTF-8, with or without BOM, "," or ";") or XLSX file.

    Each row has every column of `COLUMNS` (text, or a date from a spreadsheet) and `line`, the
    line number a person sees in the file (the header is line 1). Empty lines are skipped. A
    file over the limits is refused (ImportFileError) before or while it is read, never after.
    `progress(rows_read)` is called every few thousand rows.
    """
    limits = limits or Limits.from_settings()
    info = inspect_file(uploaded_file, limits)
    if info.kind == "xlsx":
        return _read_xlsx(uploaded_file, limits, progress)
    return _read_csv(uploaded_file, limits, progress)


def template_csv() -> bytes:
    """The CSV template: the header row, UTF-8 with BOM so spreadsheet programs read it right."""
    out = io.StringIO()
    csv.writer(out).writerow(COLUMNS)
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """The XLSX template: the header on the first sheet, column and kind help on a second one."""
    help_rows = [[col, _(text)] for col, text in COLUMN_HELP]
    help_rows += [[], [_("Mã loại"), _("Tên loại")]]
    help_rows += [[kind.value, str(kind.label)] for kind in UnitKind]
    return xlsx.workbook_of(
        xlsx.Sheet(
            "don_vi", None, list(COLUMNS), [], widths=dict.fromkeys(range(len(COLUMNS)), 24)
        ),
        xlsx.Sheet("huong_dan", None, [_("Cột"), _("Ý nghĩa")], help_rows, widths={0: 24, 1: 70}),
    )
