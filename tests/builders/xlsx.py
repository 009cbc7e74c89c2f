"""Checks for exported workbooks: a unit named like a formula must stay text everywhere."""

import io

from openpyxl import load_workbook

from trienkhai.units.models import Unit, UnitState

FORMULA_NAME = '=HYPERLINK("http://x","y")'


def name_like_a_formula(*units, name=FORMULA_NAME) -> None:
    """Give `units` a name a spreadsheet would run, in every dated state too."""
    pks = [u.pk for u in units]
    Unit.objects.filter(pk__in=pks).update(name=name)
    UnitState.objects.filter(unit_id__in=pks).update(name=name)


def assert_kept_as_text(content: bytes, name: str = FORMULA_NAME, caption=True) -> None:
    """No cell of any sheet is a formula nor starts like one; `name` shows in A1 (when
    `caption`) and starts a body cell, behind the apostrophe."""
    book = load_workbook(io.BytesIO(content))
    body = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@\t\r":
                    raise AssertionError(f"{ws.title}!{cell.coordinate}: {cell.value!r}")
        if caption:
            assert name in ws["A1"].value, f"{ws.title}!A1: {ws['A1'].value!r}"
        body += [c.value for row in ws.iter_rows(min_row=3) for c in row]
    assert any(isinstance(v, str) and v.startswith("'" + name) for v in body), body
