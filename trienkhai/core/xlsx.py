"""The one XLSX writer of the product: every export builds its workbook here.

A sheet is a caption (A1), a header row and the body rows. Every string cell, caption and
headers included, passes one rule (`text`) so a spreadsheet never reads a unit's name as a
formula; dates are real Excel dates shown dd/mm/yyyy; numbers take the number format of their
column, declared by the caller, so nobody has to re-open the bytes to fix a format.
"""

import datetime
import decimal
import io
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
PERCENT_FORMAT = "0.0%"  # a share (0.975) shown as 97.5%
COUNT_FORMAT = "#,##0"  # a count, with thousands grouped
DECIMAL_FORMAT = "0.00"
SCORE_FORMAT = "0.0"

# What Excel, LibreOffice and Google Sheets may take as the start of a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text(value: str) -> str:
    """A string as a cell holds it: a leading apostrophe before anything that could start a
    formula, and no control character XML cannot carry (openpyxl would refuse the cell)."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell_value(value):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return text(value)
    return value


@dataclass
class Sheet:
    """One sheet: `formats` maps a 0-based column to the number format of its numbers; a sheet
    without a caption starts with its header row (a template a person fills in and sends back);
    `widths` maps a column to its width where the header's length is not the right guide."""

    title: str
    caption: str | None
    headers: list
    rows: list
    formats: dict = field(default_factory=dict)
    widths: dict = field(default_factory=dict)


def _fill(ws, sheet: Sheet) -> None:
    ws.title = str(sheet.title)[:31]
    if sheet.caption is not None:
        ws.append([_cell_value(sheet.caption)])
        ws["A1"].font = Font(bold=True)
    ws.append([_cell_value(h) for h in sheet.headers])
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        ws.append([_cell_value(v) for v in row])
        for index, cell in enumerate(ws[ws.max_row]):
            value = cell.value
            if isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
            elif isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
                number_format = sheet.formats.get(index)
                if number_format:
                    cell.number_format = number_format
    for index, header in enumerate(sheet.headers):
        letter = ws.cell(row=header_row, column=index + 1).column_letter
        width = sheet.widths.get(index) or max(12, min(60, len(str(header)) + 4))
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = f"A{header_row + 1}"


def workbook_of(*sheets: Sheet) -> bytes:
    """The bytes of a workbook holding `sheets`, in order."""
    wb = Workbook()
    for index, sheet in enumerate(sheets):
        _fill(wb.active if index == 0 else wb.create_sheet(), sheet)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def workbook(title: str, caption: str, headers: list, rows, formats=None) -> bytes:
    """The bytes of a one-sheet workbook."""
    return workbook_of(Sheet(title, caption, headers, list(rows), dict(formats or {})))


def response(content: bytes, filename: str) -> HttpResponse:
    """An XLSX download."""
    resp = HttpResponse(content, content_type=XLSX)
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp["X-Content-Type-Options"] = "nosniff"
    return resp
