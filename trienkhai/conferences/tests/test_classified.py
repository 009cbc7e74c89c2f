"""A classified document covered by a conference stays hidden from a viewer who may not read
it: on the list, in the export, in search, in the API filter and on the edit form."""

import datetime
import importlib
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.builders import factories
from trienkhai.accounts.models import Clearance, Role
from trienkhai.conferences import actions
from trienkhai.conferences.models import Conference
from trienkhai.conferences.tests.conftest import values
from trienkhai.core.actions import ActionError
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import DocType

D = datetime.date
SECRET_SYMBOL = "99-KH/TU"
SECRET_WORD = "Phương án tuyệt mật"


@pytest.fixture
def secret_case(world):
    secret = register_document(
        None,
        symbol=SECRET_SYMBOL,
        doc_type=DocType.PLAN,
        issuing_unit=world["prov_a"],
        term="XVII",
        date=D(2021, 12, 5),
        subject=f"{SECRET_WORD} về quốc phòng",
        classification=Clearance.SECRET,
    )
    conference = actions.record_conference(
        None, **values(world, host=world["commune_a"], documents=[world["kl21"], secret])
    )
    return secret, conference


def test_list_export_and_search_hide_a_classified_document(client, world, secret_case):
    secret, _conference = secret_case
    client.force_login(world["reporter_c"])
    url = reverse("conferences-list")
    page = client.get(url).content.decode()
    assert "21-KL/TW" in page and "Văn bản mật" in page
    assert SECRET_SYMBOL not in page
    ws = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content)).active
    cells = " ".join(str(c.value) for row in ws.iter_rows() for c in row)
    assert "21-KL/TW" in cells and SECRET_SYMBOL not in cells and "Văn bản mật" in cells
    for q in ("tuyet mat", SECRET_SYMBOL, "quoc phong"):
        assert "Chưa có hội nghị" in client.get(url, {"q": q}).content.decode(), q
    # A public document's symbol is still searchable.
    assert "Chưa có hội nghị" not in client.get(url, {"q": "21-KL/TW"}).content.decode()
    # A cleared viewer sees the symbol.
    cleared = factories.user("cleared-a", (Role.VIEWER, world["prov_a"], True, Clearance.SECRET))
    client.force_login(cleared)
    assert SECRET_SYMBOL in client.get(url).content.decode()


def test_api_document_filter_is_no_oracle(client, world, secret_case):
    secret, conference = secret_case
    client.force_login(world["reporter_c"])
    found = client.get("/api/conferences/", {"document": secret.pk}).json()
    assert found["count"] == 0
    assert client.get("/api/conferences/", {"document": world["kl21"].pk}).json()["count"] == 1


def test_edit_form_hides_and_keeps_a_classified_document(client, world, secret_case):
    secret, conference = secret_case
    client.force_login(world["reporter_c"])
    page = client.get(reverse("conference-edit", args=[conference.pk])).content.decode()
    assert "21-KL/TW" in page and SECRET_SYMBOL not in page
    # Saving what the editor sees keeps the document they cannot read.
    actions.update_conference(
        world["reporter_c"], conference, expected_version=conference.version, title="Đổi tên"
    )
    actions.update_conference(
        world["reporter_c"],
        conference,
        expected_version=conference.version + 1,
        documents=[world["kl21"]],
    )
    fresh = Conference.objects.get(pk=conference.pk)
    assert set(fresh.documents.all()) == {world["kl21"], secret}
    assert SECRET_SYMBOL not in fresh.search_text.upper()
    # A date before the classified document is refused without naming it.
    with pytest.raises(ActionError) as refused:
        actions.update_conference(
            world["reporter_c"], fresh, expected_version=fresh.version, date=D(2021, 12, 1)
        )
    assert refused.value.field == "date" and SECRET_SYMBOL not in str(refused.value.message)


def test_the_data_migration_drops_subjects_and_classified_symbols(world, secret_case):
    from django.apps import apps

    _secret, conference = secret_case
    Conference.objects.filter(pk=conference.pk).update(search_text="99-kh/tu phuong an tuyet mat")
    migration = importlib.import_module(
        "trienkhai.conferences.migrations.0002_search_text_public_symbols"
    )
    migration.rebuild(apps, None)
    text = Conference.objects.get(pk=conference.pk).search_text
    assert "21-kl/tw" in text.lower() and "99-kh" not in text.lower() and "tuyet" not in text
