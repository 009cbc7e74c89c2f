"""Inspection dates and remediation deadlines outside 1930–2100 are refused (API and actions)
with a message naming the range; nothing is saved."""

import datetime

import pytest
from rest_framework.test import APIClient

from trienkhai.core.actions import ActionError
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.models import Inspection, RemediationRequest
from trienkhai.inspections.tests.conftest import new_inspection, to_concluded

D = datetime.date
RANGE = "từ 01/01/1930 đến 31/12/2100"


@pytest.mark.parametrize(
    ("field", "day"), [("period_from", D(1, 1, 1)), ("work_to", D(9999, 12, 31))]
)
def test_an_inspection_dated_out_of_range_is_refused(world, field, day):
    before = Inspection.objects.count()
    with pytest.raises(ActionError) as exc:
        new_inspection(world, **{field: day})
    assert exc.value.field == field and RANGE in str(exc.value.message)
    client = APIClient()
    client.force_authenticate(world.inspector)
    payload = {
        "kind": "thematic_supervision",
        "unit": world.prov_a.pk,
        "title": "Giám sát chuyên đề",
        "inspected_units": [world.commune_a.pk],
        field: day.isoformat(),
    }
    response = client.post("/api/inspections/", payload, format="json")
    assert response.status_code == 400 and RANGE in response.json()[field][0]
    assert Inspection.objects.count() == before


def test_a_remediation_deadline_in_year_9999_is_refused(world):
    _inspection, parts = to_concluded(world, new_inspection(world))
    with pytest.raises(ActionError) as exc:
        conclusion_actions.add_request(
            world.inspector, parts[world.commune_a.pk], text="Sửa", deadline=D(9999, 12, 31)
        )
    assert exc.value.field == "deadline" and RANGE in str(exc.value.message)
    assert not RemediationRequest.objects.exists()
