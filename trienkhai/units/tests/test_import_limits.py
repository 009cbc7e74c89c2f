"""Who may import units, and the limits a file must keep before anything reads it all."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.units import views
from trienkhai.units.imports.files import COLUMNS, ImportFileError, Limits, read_rows
from trienkhai.units.models import Unit, UnitImport

ROW = ["X-new", "Xã mới", "", "commune", "P-a", "01/07/2025"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def prov_admin(tree):
    return factories.user("admin-a", (Role.ADMINISTRATOR, tree["prov_a"]))


@pytest.fixture
def coordinator(tree):
    return factories.user("coord-a", (Role.COORDINATOR, tree["prov_a"]))


def csv_upload(rows, name="don_vi.csv"):
    text = "\n".join(",".join(r) for r in [COLUMNS, *rows]) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"))


def xlsx_bytes(rows, header=COLUMNS) -> bytes:
    book = Workbook()
    book.active.append(header)
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_part(data: bytes, part: str, change) -> bytes:
    """The same zip with one part's bytes passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info, change(body) if info.filename == part else body)
    return out.getvalue()


# --- who may import ----------------------------------------------------------------------


def test_only_administrators_open_the_import_page_and_see_it_in_the_menu(
    client, tree, prov_admin, coordinator, admin_user
):
    for user in (coordinator, factories.user("viewer-a", (Role.VIEWER, tree["prov_a"]))):
        client.force_login(user)
        assert client.get(reverse("unit-import")).status_code == 403
        assert client.get(reverse("unit-import-template-csv")).status_code == 403
        home = client.get(reverse("unit-tree")).content.decode()
        assert reverse("unit-import") not in home
    for user in (prov_admin, admin_user):
        client.force_login(user)
        assert client.get(reverse("unit-import")).status_code == 200
        assert reverse("unit-import") in client.get(reverse("unit-tree")).content.decode()


def test_a_non_administrator_cannot_post_a_file(client, tree, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("unit-import"), {"file": csv_upload([ROW])})
    assert response.status_code == 403
    assert not UnitImport.objects.exists() and not Unit.objects.filter(code="X-new").exists()


def test_an_import_is_seen_by_its_sender_and_superusers_only(client, tree, prov_admin, admin_user):
    client.force_login(prov_admin)
    response = client.post(reverse("unit-import"), {"file": csv_upload([ROW])})
    record = UnitImport.objects.get()
    assert response["Location"] == reverse("unit-import-detail", args=[record.pk])
    other = factories.user("admin-b", (Role.ADMINISTRATOR, tree["prov_b"]))
    client.force_login(other)
    assert client.get(reverse("unit-import-detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("unit-import-status", args=[record.pk])).status_code == 404
    client.force_login(admin_user)
    assert client.get(reverse("unit-import-detail", args=[record.pk])).status_code == 200


# --- size, rows, unpacked size -------------------------------------------------------------


def test_an_upload_over_the_size_limit_is_refused_from_its_length(
    client, tree, prov_admin, settings
):
    settings.TRIENKHAI_IMPORT_MAX_BYTES = 2000
    client.force_login(prov_admin)
    big = csv_upload([ROW] * 200)  # ~ 7 kB
    response = client.post(reverse("unit-import"), {"file": big})
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.content.decode()
    assert not UnitImport.objects.exists()


def test_an_upload_over_the_size_limit_is_dropped_while_it_streams(
    client, tree, prov_admin, settings, monkeypatch
):
    """Without a usable Content-Length the file is cut off as it arrives, never stored whole."""
    settings.TRIENKHAI_IMPORT_MAX_BYTES = 2000
    monkeypatch.setattr(views, "FORM_OVERHEAD", 10**9)  # as if the length were not known
    received = []
    real = views._LimitedUpload.receive_data_chunk

    def spy(self, raw_data, start):
        received.append(start + len(raw_data))
        return real(self, raw_data, start)

    monkeypatch.setattr(views._LimitedUpload, "receive_data_chunk", spy)
    client.force_login(prov_admin)
    response = client.post(reverse("unit-import"), {"file": csv_upload([ROW] * 3000)})
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.content.decode()
    assert not UnitImport.objects.exists()
    assert max(received) < 100_000  # stopped at the first chunk past the limit (64 kB chunks)


def test_too_many_rows_are_refused_while_reading(settings):
    limits = Limits(max_bytes=10**6, max_rows=3, max_unpacked=10**7, max_ratio=100)
    assert len(read_rows(csv_upload([ROW] * 3), limits=limits)) == 3
    with pytest.raises(ImportFileError) as refused:
        read_rows(csv_upload([ROW] * 4), limits=limits)
    assert "hơn 3 dòng" in str(refused.value.message)
    with pytest.raises(ImportFileError):
        read_rows(SimpleUploadedFile("a.xlsx", xlsx_bytes([ROW] * 4)), limits=limits)


def test_an_xlsx_that_unpacks_too_big_is_refused_before_openpyxl_opens_it(monkeypatch):
    data = xlsx_bytes([ROW] * 500)
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    limits = Limits(max_bytes=10**7, max_rows=10**6, max_unpacked=unpacked - 1, max_ratio=100)

    def must_not_open(*args, **kwargs):
        raise AssertionError("openpyxl opened a file the limits refuse")

    monkeypatch.setattr("openpyxl.load_workbook", must_not_open)
    with pytest.raises(ImportFileError) as refused:
        read_rows(SimpleUploadedFile("a.xlsx", data), limits=limits)
    assert "giải nén" in str(refused.value.message)


def test_a_zip_bomb_is_refused_by_its_compression_ratio(monkeypatch):
    """8 MB of one repeated byte squeezed into a few kB: no sheet compresses like that."""
    data = rewrite_part(
        xlsx_bytes([ROW]), "xl/worksheets/sheet1.xml", lambda body: body + b" " * 8_000_000
    )
    assert len(data) < 100_000
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: 1 / 0)
    with pytest.raises(ImportFileError) as refused:
        read_rows(SimpleUploadedFile("bomb.xlsx", data))
    assert "nén bất thường" in str(refused.value.message)


def test_an_xlsx_whose_dimension_is_too_small_is_read_to_its_last_row():
    """openpyxl's read-only mode stops at <dimension ref>; a file that says A1:F2 has 5 rows."""
    rows = [[f"X-{i}", f"Xã {i}", "", "commune", "P-a", "01/07/2025"] for i in range(4)]

    def shrink(body):
        changed, n = re.subn(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:F2"/>', body)
        assert n == 1
        return changed

    data = rewrite_part(xlsx_bytes(rows), "xl/worksheets/sheet1.xml", shrink)
    read = read_rows(SimpleUploadedFile("units.xlsx", data))
    assert [r["ma"] for r in read] == ["X-0", "X-1", "X-2", "X-3"]
    assert [r["line"] for r in read] == [2, 3, 4, 5]


def test_a_limit_error_is_shown_in_vietnamese_on_the_form(client, tree, prov_admin, settings):
    settings.TRIENKHAI_IMPORT_MAX_UNPACKED = 1000
    client.force_login(prov_admin)
    response = client.post(
        reverse("unit-import"),
        {"file": SimpleUploadedFile("don_vi.xlsx", xlsx_bytes([ROW]))},
    )
    assert response.status_code == 400
    assert "khi giải nén" in response.content.decode()
    assert not UnitImport.objects.exists()


def test_the_upload_still_needs_the_csrf_token(tree, prov_admin):
    """The view sets its upload limit before Django reads the body, then checks the token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(prov_admin)
    response = client.post(reverse("unit-import"), {"file": csv_upload([ROW])})
    assert response.status_code == 403
    assert not UnitImport.objects.exists()
    page = client.get(reverse("unit-import"))
    token = page.cookies["csrftoken"].value
    response = client.post(
        reverse("unit-import"), {"file": csv_upload([ROW]), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and Unit.objects.filter(code="X-new").exists()
