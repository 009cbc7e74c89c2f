"""The one XLSX writer: one escaping rule for every string cell, number formats per column."""

import datetime
import io

from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from trienkhai.core import xlsx

EVIL = '=HYPERLINK("http://x","y")'


def sheets(content):
    return load_workbook(io.BytesIO(content)).worksheets


def test_caption_headers_and_body_are_all_kept_as_text():
    content = xlsx.workbook(
        "t", EVIL, [EVIL, "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"], [[EVIL, "ok", "-x"]]
    )
    (ws,) = sheets(content)
    assert ws["A1"].value == "'" + EVIL and ws["A1"].data_type == "s"
    headers = [c.value for c in ws[2]]
    # XML reads a carriage return back as a line feed; the apostrophe is what matters.
    assert headers[:5] == ["'" + EVIL, "'+1", "'-1", "'@SUM(A1)", "'\t=1"]
    assert headers[5] in ("'\r=1", "'\n=1")
    assert [c.value for c in ws[3]][:3] == ["'" + EVIL, "ok", "'-x"]
    assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_control_characters_are_dropped_rather_than_refused():
    (ws,) = sheets(xlsx.workbook("t", "a\x00b", ["h\x07"], [["x\x1fy", gettext_lazy("Cộng")]]))
    assert (ws["A1"].value, ws["A2"].value, ws["A3"].value, ws["B3"].value) == (
        "ab",
        "h",
        "xy",
        "Cộng",
    )


def test_numbers_take_their_columns_format_and_dates_are_dates():
    content = xlsx.workbook_of(
        xlsx.Sheet(
            "one",
            "c",
            ["rate", "count", "plain", "day"],
            [[0.5, 1500, 2022, datetime.date(2022, 3, 31)], ["-", "x", None, None]],
            {0: xlsx.PERCENT_FORMAT, 1: xlsx.COUNT_FORMAT},
        ),
        xlsx.Sheet("two", "c2", ["score"], [[92.5]], {0: xlsx.SCORE_FORMAT}),
    )
    one, two = sheets(content)
    assert one.title == "one" and two.title == "two"
    assert [c.number_format for c in one[3]] == ["0.0%", "#,##0", "General", "DD/MM/YYYY"]
    assert one["A4"].value == "'-"
    assert two["A3"].value == 92.5 and two["A3"].number_format == "0.0"
    assert one.freeze_panes == "A3" and one["A1"].font.b and one["A2"].font.b


def test_response_is_a_download():
    resp = xlsx.response(b"PK", "a.xlsx")
    assert resp["Content-Type"] == xlsx.XLSX
    assert resp["Content-Disposition"] == 'attachment; filename="a.xlsx"'
    assert resp["X-Content-Type-Options"] == "nosniff"
