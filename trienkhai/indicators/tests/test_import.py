import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from trienkhai.core.actions import PermissionRefused
from trienkhai.indicators import imports
from trienkhai.indicators.models import Indicator, IndicatorSet, Target


def workbook(indicators, targets) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.title = "chi_tieu"
    ws.append(imports.INDICATOR_COLUMNS)
    for row in indicators:
        ws.append(row)
    t = wb.create_sheet("chi_tieu_giao")
    t.append(imports.TARGET_COLUMNS)
    for row in targets:
        t.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("bo.xlsx", out.getvalue())


GOOD = [
    ["KT-01", "Tỷ lệ xã kết nối", "", "%", "more", "rate", "quarter", ""],
    ["KT-02", "Số hội nghị", "", "hội nghị", "more", "sum", "month", "conferences"],
]


def _args(w):
    return {"document": w["nq57"], "unit": w["prov_a"], "name": "Bộ nhập", "year": 2026}


def test_a_good_file_creates_the_set_indicators_and_targets(world):
    w = world
    f = workbook(GOOD, [["KT-01", "C-a", 90], ["KT-01", "C-a2", "85,5"], ["KT-02", "P-a", 12]])
    s = imports.import_set(w["coord_a"], f, **_args(w))
    assert [i.code for i in s.indicators.all()] == ["KT-01", "KT-02"]
    assert s.indicators.get(code="KT-02").source == "conferences"
    assert Target.objects.get(indicator__code="KT-01", unit=w["commune_a2"]).value == 85.5


def test_a_bad_file_is_refused_whole_with_errors_per_row(world):
    w = world
    bad_indicators = GOOD + [
        ["KT-01", "Trùng mã", "", "%", "more", "rate", "month", ""],
        ["KT-03", "", "", "%", "more", "rate", "month", ""],
        ["KT-04", "Kỳ sai", "", "%", "more", "rate", "week", ""],
    ]
    bad_targets = [
        ["KT-01", "C-a", 90],
        ["KT-09", "C-a", 1],
        ["KT-01", "KHONG-CO", 1],
        ["KT-01", "C-b", 1],
        ["KT-01", "C-a2", "nhiều"],
        ["KT-01", "C-a3", 130],
        ["KT-01", "C-a", 91],
    ]
    before = (IndicatorSet.objects.count(), Indicator.objects.count(), Target.objects.count())
    with pytest.raises(imports.ImportRefused) as info:
        imports.import_set(w["coord_a"], workbook(bad_indicators, bad_targets), **_args(w))
    lines = [(e.sheet, e.line) for e in info.value.errors]
    assert lines == [
        ("chi_tieu", 4),
        ("chi_tieu", 5),
        ("chi_tieu", 6),
        ("chi_tieu_giao", 3),
        ("chi_tieu_giao", 4),
        ("chi_tieu_giao", 5),
        ("chi_tieu_giao", 6),
        ("chi_tieu_giao", 7),
        ("chi_tieu_giao", 8),
    ]
    messages = [e.message for e in info.value.errors]
    assert "trùng với dòng 2" in messages[0]
    assert "week" in messages[2]
    assert "KHONG-CO" in messages[4]
    assert "100%" in messages[7]
    assert (
        IndicatorSet.objects.count(),
        Indicator.objects.count(),
        Target.objects.count(),
    ) == before


def test_only_a_coordinator_of_the_unit_imports(world):
    w = world
    with pytest.raises(PermissionRefused):
        imports.import_set(w["coord_b"], workbook(GOOD, []), **_args(w))


def test_the_template_reads_back(world):
    book = load_workbook(io.BytesIO(imports.template()))
    assert book.sheetnames == ["chi_tieu", "chi_tieu_giao", "huong_dan"]
    assert [c.value for c in book["chi_tieu"][1]] == imports.INDICATOR_COLUMNS


def test_not_a_workbook(world):
    from trienkhai.units.imports.files import ImportFileError

    with pytest.raises(ImportFileError):
        imports.import_set(
            world["coord_a"], SimpleUploadedFile("x.xlsx", b"PK not a zip"), **_args(world)
        )
