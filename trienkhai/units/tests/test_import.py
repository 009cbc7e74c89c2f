"""Unit import: CSV/XLSX parsing, all-or-nothing checks, upsert by code, idempotent re-import."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.context import acting_as
from trienkhai.core.models import ChangeLogEntry
from trienkhai.tree.paths import subtree_q
from trienkhai.units import actions as unit_actions
from trienkhai.units.imports.actions import import_units
from trienkhai.units.imports.files import COLUMNS, read_rows
from trienkhai.units.models import Reorganisation, Unit, UnitImport, UnitState

GOOD = [
    # children before parents on purpose: order in the file must not matter
    ["CB-x1", "Chi bộ Thôn 1", "", "Chi bộ trực thuộc", "G-x", "01/07/2025"],
    ["G-x", "Đảng bộ Trường THCS Đầm Hà", "ĐB THCS", "to chuc co so dang", "X-dh", "01/07/2025"],
    ["X-dh", "Đảng bộ xã Đầm Hà", "", "commune", "P-a", "01/07/2025"],
    ["X-qh", "Đảng bộ phường Quảng Hà", "", "PHƯỜNG", "P-a", "01/07/2025"],
]


def csv_bytes(rows, *, sep=",", bom=False, header=COLUMNS):
    text = "\n".join(sep.join(r) for r in [header, *rows]) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def upload(data: bytes, name="don_vi.csv"):
    return SimpleUploadedFile(name, data)


def xlsx_bytes(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def prov_admin(tree):
    return factories.user("admin-a", (Role.ADMINISTRATOR, tree["prov_a"]))


def run(actor, rows, **kw):
    return import_units(actor, read_rows(upload(csv_bytes(rows, **kw))))


def test_read_rows_csv_semicolon_bom_and_line_numbers():
    data = csv_bytes([GOOD[0], ["", "", "", "", "", ""], GOOD[1]], sep=";", bom=True)
    rows = read_rows(upload(data))
    assert [r["line"] for r in rows] == [2, 4]
    assert rows[0]["ma"] == "CB-x1" and rows[1]["ten_ngan"] == "ĐB THCS"


def test_read_rows_accepts_vietnamese_headers_and_xlsx_dates():
    book = Workbook()
    book.active.append(["Mã", "Tên", "Tên ngắn", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ"])
    book.active.append(["A1", "Xã A", None, "xa", "P-a", datetime.datetime(2025, 7, 1)])
    out = io.BytesIO()
    book.save(out)
    rows = read_rows(upload(out.getvalue(), "units.xlsx"))
    assert rows == [
        {
            "ma": "A1",
            "ten": "Xã A",
            "ten_ngan": "",
            "loai": "xa",
            "ma_don_vi_cap_tren": "P-a",
            "hieu_luc_tu": datetime.date(2025, 7, 1),
            "line": 2,
        }
    ]


def test_good_csv_creates_units_in_any_order_with_paths_states_and_log(tree, prov_admin):
    result = run(prov_admin, GOOD)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    prov = Unit.objects.get(code="P-a")
    cell, org, commune = (Unit.objects.get(code=c) for c in ("CB-x1", "G-x", "X-dh"))
    assert cell.parent == org and org.parent == commune and commune.parent == prov
    assert cell.path.startswith(org.path) and org.path.startswith(commune.path)
    assert cell.depth == prov.depth + 3 and org.child_seq == 1
    assert org.kind == "grassroots" and Unit.objects.get(code="X-qh").kind == "ward"
    inside = set(Unit.objects.filter(subtree_q(prov.path)).values_list("code", flat=True))
    assert {"CB-x1", "G-x", "X-dh", "X-qh", "C-a"} <= inside
    assert UnitState.objects.get(unit=org).parent == commune
    entry = ChangeLogEntry.objects.get(action="units.create", object_id=str(org.pk))
    assert entry.user == prov_admin and entry.unit == org and entry.after["code"] == "G-x"
    # a later ordinary create under the same parent gets a fresh path segment
    later = factories.unit(prov, "commune", "Xã sau")
    assert Unit.objects.filter(path=later.path).count() == 1


def test_reimport_writes_nothing(tree, prov_admin):
    assert run(prov_admin, GOOD).ok
    logs, states, units = (
        ChangeLogEntry.objects.count(),
        UnitState.objects.count(),
        Unit.objects.count(),
    )
    result = run(prov_admin, GOOD, sep=";", bom=True)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert ChangeLogEntry.objects.count() == logs
    assert UnitState.objects.count() == states and Unit.objects.count() == units


def test_changed_name_renames_and_changed_parent_moves(tree, prov_admin):
    assert run(prov_admin, GOOD).ok
    rows = [list(r) for r in GOOD]
    rows[1][1] = "Đảng bộ Trường THCS Đầm Hà mới"
    rows[1][4] = "X-qh"  # move the grassroots organisation to the ward
    rows[1][5] = "01/01/2026"
    result = run(prov_admin, rows)
    assert result.ok and (result.created, result.updated, result.unchanged) == (0, 1, 3)
    org = Unit.objects.get(code="G-x")
    ward = Unit.objects.get(code="X-qh")
    assert org.name.endswith("mới") and org.parent == ward and org.path.startswith(ward.path)
    cell = Unit.objects.get(code="CB-x1")
    assert cell.path.startswith(org.path)
    assert set(Reorganisation.objects.values_list("kind", flat=True)) == {"rename", "move"}
    current = UnitState.objects.get(unit=org, valid_to__isnull=True)
    assert current.valid_from == datetime.date(2026, 1, 1) and current.parent == ward


def test_bad_rows_change_nothing_and_each_line_is_reported(tree, prov_admin):
    rows = [
        GOOD[2],  # line 2: fine
        ["X-dh", "Trùng mã", "", "commune", "P-a", "01/07/2025"],  # 3: duplicate code
        ["Y1", "", "", "commune", "P-a", "01/07/2025"],  # 4: no name
        ["Y2", "Xã Y2", "", "huyện lỵ", "P-a", "01/07/2025"],  # 5: unknown kind
        ["Y3", "Xã Y3", "", "commune", "P-a", "31/02/2025"],  # 6: bad date
        ["Y4", "Xã Y4", "", "commune", "NOPE", "01/07/2025"],  # 7: unknown parent
        ["Y5", "Chi bộ Y5", "", "cell", "P-a", "01/07/2025"],  # 8: cell under a province
        ["Y6", "Xã Y6", "", "commune", "P-b", "01/07/2025"],  # 9: outside admin scope
        ["Y7", "ĐB Y7", "", "grassroots", "G-a", "01/07/2025"],  # 10: under a grassroots
        ["C-a", "Xã a", "", "grassroots", "P-a", "01/07/2025"],  # 11: kind change
    ]
    before = (Unit.objects.count(), ChangeLogEntry.objects.count())
    result = run(prov_admin, rows)
    assert not result.ok
    by_line = {e.line: e.message for e in result.errors}
    assert "trùng với dòng 2" in by_line[3]
    assert "Thiếu tên" in by_line[4]
    assert "Loại đơn vị" in by_line[5]
    assert "Ngày hiệu lực" in by_line[6]
    assert "Không tìm thấy đơn vị cấp trên" in by_line[7]
    assert "Không thể đặt" in by_line[8]
    # Province B is outside the reach: "not found", exactly as for a code that exists nowhere.
    assert by_line[9] == by_line[7].replace("NOPE", "P-b")
    assert "Không thể đặt" in by_line[10]
    assert "đổi loại" in by_line[11]
    assert 2 not in by_line
    assert (Unit.objects.count(), ChangeLogEntry.objects.count()) == before


def test_cycles_are_reported(tree, prov_admin, monkeypatch):
    """Kind rules already forbid most loops; the cycle check stands behind them."""
    monkeypatch.setattr("trienkhai.units.imports.actions.can_live_under", lambda *a: True)
    rows = [
        ["Y7", "ĐB Y7", "", "grassroots", "Y8", "01/07/2025"],
        ["Y8", "ĐB Y8", "", "grassroots", "Y7", "01/07/2025"],
        ["C-a", "Xã a", "", "commune", "CB-a", "01/07/2025"],  # under its own descendant
        ["X-ok", "Xã ok", "", "commune", "P-a", "01/07/2025"],
    ]
    result = run(prov_admin, rows)
    assert {e.line for e in result.errors} == {2, 3, 4}
    assert all("vòng lặp" in e.message for e in result.errors)
    assert not Unit.objects.filter(code="X-ok").exists()


def test_superuser_imports_a_root_and_a_non_admin_cannot(tree, admin_user):
    viewer = factories.user("viewer-a", (Role.VIEWER, tree["prov_a"]))
    rows = [["X-new", "Xã mới", "", "commune", "P-a", "01/07/2025"]]
    result = run(viewer, rows)
    assert not result.ok and not Unit.objects.filter(code="X-new").exists()
    assert run(admin_user, rows).ok


def test_import_page_xlsx_upload_and_result_counts(client, tree, prov_admin):
    client.force_login(prov_admin)
    response = client.post(
        reverse("unit-import"), {"file": upload(xlsx_bytes(GOOD), "don_vi.xlsx")}
    )
    record = UnitImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("unit-import-detail", args=[record.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-count="created">4<' in body
    assert Unit.objects.filter(code__in=["CB-x1", "G-x", "X-dh", "X-qh"]).count() == 4
    # the bulk-written log entries carry the request's id, like every action's record()
    entries = ChangeLogEntry.objects.filter(action="units.create", user=prov_admin)
    assert {e.request_id for e in entries} == {response["X-Request-ID"]}
    # a small file is imported within the request, and its upload is not kept afterwards
    assert record.state == UnitImport.State.DONE and not record.file


def test_import_page_reports_bad_lines(client, tree, prov_admin):
    client.force_login(prov_admin)
    data = csv_bytes([GOOD[2], ["Y4", "Xã Y4", "", "commune", "NOPE", "01/07/2025"]])
    response = client.post(reverse("unit-import"), {"file": upload(data)}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<td class="num">3</td>' in body and "NOPE" in body
    assert "Chưa có thay đổi nào được ghi" in body
    assert not Unit.objects.filter(code="X-dh").exists()
    assert UnitImport.objects.get().state == UnitImport.State.REFUSED


def test_import_page_rejects_unreadable_file(client, tree, prov_admin):
    client.force_login(prov_admin)
    response = client.post(
        reverse("unit-import"),
        {"file": upload("ma,ten\nA,Tên".encode("cp1258") + b"\xff")},
        follow=True,
    )
    assert response.status_code == 200
    assert "thiếu cột" in response.content.decode().lower() or "UTF-8" in response.content.decode()
    response = client.post(
        reverse("unit-import"), {"file": upload(b"\xff\xfe\x00bad")}, follow=True
    )
    assert "UTF-8" in response.content.decode()


def test_template_downloads_have_the_columns(client, tree, prov_admin):
    client.force_login(prov_admin)
    csv_response = client.get(reverse("unit-import-template-csv"))
    assert csv_response.status_code == 200
    assert csv_response.content.decode("utf-8-sig").strip() == ",".join(COLUMNS)
    xlsx_response = client.get(reverse("unit-import-template-xlsx"))
    assert xlsx_response.status_code == 200
    book = load_workbook(io.BytesIO(xlsx_response.content))
    assert [c.value for c in book.worksheets[0][1]] == COLUMNS
    # the template read back is a valid, empty import
    assert read_rows(upload(xlsx_response.content, "mau.xlsx")) == []


def test_units_outside_the_reach_are_only_not_found(tree, prov_admin):
    """Province A's administrator learns neither the kind nor the dates of province B's units:
    every row touching one reads like a row naming no unit at all."""
    office_b = factories.unit(tree["prov_b"], "office", "Văn phòng Tỉnh ủy Bình", "VP-b")
    from trienkhai.units import actions as unit_actions

    unit_actions.dissolve_unit(None, tree["cell_b"], date=datetime.date(2024, 1, 1))
    rows = [
        ["VP-b", "Xã mới", "", "commune", "P-a", "01/07/2025"],  # 2: kind of an outside unit
        ["Y1", "Chi bộ Y1", "", "cell", "CB-b", "01/07/2025"],  # 3: closed parent outside
        ["Y2", "Xã Y2", "", "commune", "NOPE", "01/07/2025"],  # 4: no such parent
        ["Y3", "Chi bộ Y3", "", "cell", "VP-b", "01/07/2025"],  # 5: parent outside, in the file
        ["C-b", "Xã b", "", "commune", "P-b", "01/07/2020"],  # 6: an unchanged outside unit
    ]
    result = run(prov_admin, rows)
    by_line = {e.line: e.message for e in result.errors}
    text = " ".join(by_line.values())
    for secret in (office_b.get_kind_display(), "Văn phòng", "01/01/2024", "kết thúc"):
        assert secret not in text
    assert by_line[3] == by_line[4].replace("NOPE", "CB-b")
    assert by_line[5] == by_line[4].replace("NOPE", "VP-b")
    assert by_line[2] == by_line[6].replace("C-b", "VP-b")
    assert "không tìm thấy" in by_line[2].lower() and "phạm vi của bạn" in by_line[2]
    assert not Unit.objects.filter(code__in=["Y1", "Y2", "Y3"]).exists()


def test_a_row_with_a_nul_character_is_refused_with_its_line(client, tree, prov_admin):
    """PostgreSQL refuses NUL in text: the row gets an error on the import's result page, and
    the import is refused as a whole, never a 500."""
    client.force_login(prov_admin)
    rows = [GOOD[2], ["Y\x001", "Xã\x00 Y1", "", "commune", "P-a", "01/07/2025"]]
    response = client.post(reverse("unit-import"), {"file": upload(csv_bytes(rows))}, follow=True)
    assert response.status_code == 200
    assert UnitImport.objects.get().state == UnitImport.State.REFUSED
    body = response.content.decode()
    assert '<td class="num">3</td>' in body and "NUL" in body and "\x00" not in body
    assert not Unit.objects.filter(code="X-dh").exists()


def test_an_imported_unit_and_a_single_creation_leave_the_same_state_and_log(tree, prov_admin):
    """Import and `create_unit` are one path: same UnitState, same change-log row, same counter."""
    prov = Unit.objects.get(code="P-a")
    with acting_as(prov_admin, "f" * 32):
        assert run(prov_admin, [["X-imp", "Xã Hải", "XH", "commune", "P-a", "01/07/2025"]]).ok
        unit_actions.create_unit(
            prov_admin, code="X-one", name="Xã Hải", short_name="XH", kind="commune",
            parent=prov, valid_from=datetime.date(2025, 7, 1),
        )  # fmt: skip
    imported, single = Unit.objects.get(code="X-imp"), Unit.objects.get(code="X-one")
    # siblings from the same counter: next segments, and the counter counts both
    assert imported.path[:-4] == single.path[:-4] == prov.path
    assert int(single.path[-4:], 36) == int(imported.path[-4:], 36) + 1
    assert Unit.objects.get(pk=prov.pk).child_seq == int(single.path[-4:], 36)
    assert imported.depth == single.depth and imported.child_seq == single.child_seq == 0
    assert imported.name_folded.replace("x-imp", "x-one") == single.name_folded

    def state(unit):
        (values,) = UnitState.objects.filter(unit=unit).values()
        assert values.pop("unit_id") == unit.pk
        values.pop("id")
        return values

    assert state(imported) == state(single)

    def log(unit):
        (values,) = ChangeLogEntry.objects.filter(object_id=str(unit.pk)).values()
        assert values.pop("unit_id") == unit.pk and values.pop("time") is not None
        values.pop("id"), values.pop("object_id")
        after = values.pop("after")
        assert (after.pop("id"), after.pop("code"), after.pop("path")) == (
            unit.pk,
            unit.code,
            unit.path,
        )
        return values, after

    assert log(imported) == log(single)
    values, after = log(single)
    assert values["request_id"] == "f" * 32 and values["action"] == "units.create"
    assert values["user_id"] == prov_admin.pk and values["before"] is None
    assert after["parent_id"] == prov.pk and after["valid_from"] == "2025-07-01"
