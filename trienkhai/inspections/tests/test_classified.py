"""An inspection of a directive classified "Mật": its symbol is shown only to the cleared, and
nobody links a document they may not read (the API, the web form and the actions alike)."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.builders import factories
from trienkhai.accounts.models import Clearance, Role
from trienkhai.core.actions import ActionError
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType
from trienkhai.inspections.actions import inspections as inspection_actions
from trienkhai.inspections.models import Inspection
from trienkhai.inspections.tests.conftest import new_inspection

D = datetime.date
SECRET = "99-KL/TW"
ABOVE = "Văn bản mật có độ mật cao hơn độ mật bạn được xem"


def _document(unit, symbol, classification=0):
    return doc_actions.register_document(
        None,
        symbol=symbol,
        doc_type=DocType.CONCLUSION,
        issuing_unit=unit,
        term="XIII",
        date=D(2022, 3, 1),
        subject=f"Kết luận {symbol}",
        classification=classification,
    )


@pytest.fixture
def secret(world):
    world["secret"] = _document(world.root, SECRET, Clearance.CONFIDENTIAL)
    world["cleared"] = factories.user(
        "kt-mat", (Role.INSPECTOR, world.prov_a, True, Clearance.CONFIDENTIAL)
    )
    world["inspection"] = inspection_actions.create_inspection(
        world.cleared,
        kind="thematic_inspection",
        unit=world.prov_a,
        title="Kiểm tra kết luận mật",
        directives=[world.directive, world.secret],
        inspected_units=[world.commune_a],
        work_from=D(2024, 9, 1),
        planned_on=D(2024, 8, 1),
    )
    return world


def test_the_detail_page_masks_a_classified_directive(client, secret):
    url = reverse("inspection-detail", args=[secret.inspection.pk])
    for user in (secret.inspector, secret.commune_rep):  # inspecting and inspected sides
        client.force_login(user)
        body = client.get(url).content.decode()
        assert "21-KL/TW" in body and SECRET not in body and "Văn bản mật" in body
    client.force_login(secret.cleared)
    assert SECRET in client.get(url).content.decode()


def test_the_edit_form_neither_shows_nor_drops_a_classified_directive(client, secret):
    client.force_login(secret.inspector)
    url = reverse("inspection-edit", args=[secret.inspection.pk])
    assert SECRET not in client.get(url).content.decode()
    inspection = inspection_actions.update_inspection(
        secret.inspector, secret.inspection, title="Tên mới", directives=[secret.directive]
    )
    assert set(inspection.directives.all()) == {secret.directive, secret.secret}


def test_create_refuses_a_directive_above_the_clearance(secret):
    before = Inspection.objects.count()
    with pytest.raises(ActionError) as refused:
        new_inspection(secret, directives=[secret.secret])
    assert ABOVE in str(refused.value.message) and refused.value.field == "directives"
    assert Inspection.objects.count() == before


def test_create_refuses_a_directive_outside_the_sight(secret):
    elsewhere = _document(secret.prov_b, "07-KL/TU")
    with pytest.raises(ActionError) as refused:
        new_inspection(secret, directives=[elsewhere])
    assert "Không tìm thấy văn bản" in str(refused.value.message)


def test_update_refuses_a_directive_above_the_clearance(secret):
    inspection = new_inspection(secret)
    with pytest.raises(ActionError) as refused:
        inspection_actions.update_inspection(
            secret.inspector, inspection, directives=[secret.directive, secret.secret]
        )
    assert ABOVE in str(refused.value.message)
    assert list(Inspection.objects.get(pk=inspection.pk).directives.all()) == [secret.directive]


def test_the_api_refuses_a_directive_above_the_clearance(secret):
    api = APIClient()
    api.force_authenticate(secret.inspector)
    payload = {
        "kind": "thematic_inspection",
        "unit": secret.prov_a.pk,
        "title": "Kiểm tra",
        "directives": [secret.secret.pk],
        "inspected_units": [secret.commune_a.pk],
    }
    response = api.post("/api/inspections/", payload, format="json")
    assert response.status_code == 400
    assert not Inspection.objects.filter(title="Kiểm tra").exists()
