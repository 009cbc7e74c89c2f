"""A classified directive of a practice stays hidden from a viewer who may not read it (list,
export, search, API filter, edit form), and a page upload is read only up to the size cap."""

import datetime
import importlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.builders import factories
from trienkhai.accounts.models import Clearance, Role
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import DocType
from trienkhai.practices import actions
from trienkhai.practices.models import GoodPractice

D = datetime.date
SECRET_SYMBOL = "99-KH/TU"


@pytest.fixture
def secret_case(world):
    secret = register_document(
        None,
        symbol=SECRET_SYMBOL,
        doc_type=DocType.PLAN,
        issuing_unit=world["prov_a"],
        term="XVII",
        date=D(2021, 12, 5),
        subject="Phương án tuyệt mật về quốc phòng",
        classification=Clearance.SECRET,
    )
    practice = actions.record_practice(
        None,
        unit=world["prov_a"],
        title="Giám sát chuyên đề",
        description="Ban hành kế hoạch giám sát.",
        year=2022,
        directives=[world["kl21"], secret],
    )
    return secret, practice


def test_list_export_and_search_hide_a_classified_directive(client, world, secret_case):
    secret, _practice = secret_case
    client.force_login(world["reporter_c"])
    url = reverse("practices-list")
    page = client.get(url).content.decode()
    assert "Giám sát chuyên đề" in page and "21-KL/TW" in page and "Văn bản mật" in page
    assert SECRET_SYMBOL not in page
    ws = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content)).active
    cells = " ".join(str(c.value) for row in ws.iter_rows() for c in row)
    assert "21-KL/TW" in cells and SECRET_SYMBOL not in cells and "Văn bản mật" in cells
    assert "Chưa có mô hình" in client.get(url, {"q": SECRET_SYMBOL}).content.decode()
    assert "Chưa có mô hình" not in client.get(url, {"q": "21-KL/TW"}).content.decode()
    found = client.get("/api/practices/", {"directive": secret.pk}).json()
    assert found["count"] == 0
    assert client.get("/api/practices/", {"directive": world["kl21"].pk}).json()["count"] == 1


def test_edit_form_hides_and_keeps_a_classified_directive(client, world, secret_case):
    secret, practice = secret_case
    editor = factories.user("reporter-pa", (Role.REPORTER, world["prov_a"], True, Clearance.NONE))
    client.force_login(editor)
    page = client.get(reverse("practice-edit", args=[practice.pk])).content.decode()
    assert "21-KL/TW" in page and SECRET_SYMBOL not in page
    actions.update_practice(editor, practice, expected_version=practice.version, title="Đổi tên")
    actions.update_practice(
        editor, practice, expected_version=practice.version + 1, directives=[world["kl21"]]
    )
    fresh = GoodPractice.objects.get(pk=practice.pk)
    assert set(fresh.directives.all()) == {world["kl21"], secret}
    assert SECRET_SYMBOL.lower() not in fresh.search_text.lower()


def test_the_page_reads_an_upload_only_up_to_the_cap(client, world, monkeypatch):
    monkeypatch.setattr("trienkhai.core.files.MAX_UPLOAD_BYTES", 8)
    monkeypatch.setattr("trienkhai.practices.views.MAX_UPLOAD_BYTES", 8, raising=False)
    seen = []
    real = actions.record_practice

    def spy(actor, *, files=(), **values):
        seen.extend(len(content) for _name, content in files)
        return real(actor, files=files, **values)

    monkeypatch.setattr("trienkhai.practices.views.actions.record_practice", spy)
    client.force_login(world["coord_a"])
    upload = SimpleUploadedFile("a.pdf", b"%PDF" * 100, content_type="application/pdf")
    response = client.post(
        reverse("practice-create"),
        {"unit": "P-a", "title": "T", "description": "D", "year": "2022", "files": upload},
    )
    assert response.status_code == 400 and "quá lớn" in response.content.decode()
    assert seen == [9] and not GoodPractice.objects.exists()


def test_the_data_migration_drops_classified_symbols(world, secret_case):
    from django.apps import apps

    _secret, practice = secret_case
    GoodPractice.objects.filter(pk=practice.pk).update(search_text="99-kh/tu")
    migration = importlib.import_module(
        "trienkhai.practices.migrations.0002_search_text_public_symbols"
    )
    migration.rebuild(apps, None)
    text = GoodPractice.objects.get(pk=practice.pk).search_text
    assert "21-kl/tw" in text.lower() and "99-kh" not in text.lower()
