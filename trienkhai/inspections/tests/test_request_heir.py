"""A request issued to a unit that had already closed goes to the unit that took its work."""

import datetime

import pytest
from django.urls import reverse

from trienkhai.core.actions import ActionError
from trienkhai.core.models import ChangeLogEntry
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.models import RemediationRequest
from trienkhai.inspections.tests.conftest import new_inspection, to_concluded
from trienkhai.tree.kinds import UnitKind
from trienkhai.units import actions as unit_actions

D = datetime.date


def cell(world, code, name):
    return unit_actions.create_unit(
        None, code=code, name=name, kind=UnitKind.CELL, parent=world.org_a, valid_from=D(2020, 1, 1)
    )


def test_closed_owner_forwards_to_its_heir_and_logs_it(world):
    inspection, parts = to_concluded(world, new_inspection(world))  # notice of 05/10/2024
    heir = cell(world, "CB-a2", "Chi bộ hợp nhất")
    unit_actions.merge_units(None, units=[world.cell_a], into=heir, date=D(2024, 10, 1))
    req = conclusion_actions.add_request(
        world.inspector,
        parts[world.org_a.pk],
        text="Kiện toàn chi ủy",
        deadline=D(2024, 12, 31),
        owner=world.cell_a,
    )
    assert req.owner == heir
    entry = ChangeLogEntry.objects.get(action="inspections.request_forwarded")
    assert entry.before == {"owner": world.cell_a.pk}
    assert entry.after["owner"] == heir.pk and entry.unit_id == heir.pk


def test_the_chain_of_heirs_is_followed(world):
    inspection, parts = to_concluded(world, new_inspection(world))
    second = cell(world, "CB-a2", "Chi bộ hai")
    third = cell(world, "CB-a3", "Chi bộ ba")
    unit_actions.merge_units(None, units=[world.cell_a], into=second, date=D(2024, 9, 20))
    unit_actions.merge_units(None, units=[second], into=third, date=D(2024, 10, 5))
    req = conclusion_actions.add_request(
        world.inspector,
        parts[world.org_a.pk],
        text="X",
        deadline=D(2024, 12, 31),
        owner=world.cell_a,
    )
    assert req.owner == third


def test_closed_inspected_unit_itself_forwards(world):
    inspection, parts = to_concluded(world, new_inspection(world))
    heir = unit_actions.create_unit(
        None,
        code="G-a2",
        name="Đảng bộ kế thừa",
        kind=UnitKind.GRASSROOTS,
        parent=world.commune_a,
        valid_from=D(2020, 1, 1),
    )
    unit_actions.merge_units(None, units=[world.org_a], into=heir, date=D(2024, 10, 2))
    req = conclusion_actions.add_request(
        world.inspector, parts[world.org_a.pk], text="X", deadline=D(2024, 12, 31)
    )
    assert req.owner == heir and req.part == parts[world.org_a.pk]


def test_owner_closing_after_the_notice_keeps_the_request(world):
    inspection, parts = to_concluded(world, new_inspection(world))
    heir = cell(world, "CB-a2", "Chi bộ sau")
    unit_actions.merge_units(None, units=[world.cell_a], into=heir, date=D(2024, 10, 6))
    world.cell_a.refresh_from_db()
    # Recorded late: on the notice's date the cell still existed, so it is the owner.
    req = conclusion_actions.add_request(
        world.inspector,
        parts[world.org_a.pk],
        text="X",
        deadline=D(2024, 12, 31),
        owner=world.cell_a,
    )
    assert req.owner == world.cell_a
    assert not ChangeLogEntry.objects.filter(action="inspections.request_forwarded").exists()


def test_dissolved_without_heir_is_refused(world):
    inspection, parts = to_concluded(world, new_inspection(world))
    unit_actions.dissolve_unit(None, world.cell_a, date=D(2024, 10, 1))
    with pytest.raises(ActionError) as exc:
        conclusion_actions.add_request(
            world.inspector,
            parts[world.org_a.pk],
            text="X",
            deadline=D(2024, 12, 31),
            owner=world.cell_a,
        )
    assert exc.value.field == "owner"
    assert "không có đơn vị kế thừa" in str(exc.value) and "01/10/2024" in str(exc.value)
    assert not RemediationRequest.objects.exists()


def test_conclusions_page_shows_the_refusal(client, world):
    inspection, parts = to_concluded(world, new_inspection(world))
    unit_actions.dissolve_unit(None, world.cell_a, date=D(2024, 10, 1))
    client.force_login(world.inspector)
    response = client.post(
        reverse("inspection-conclusions", args=[inspection.pk]),
        {
            "form": "request",
            "request-part": parts[world.org_a.pk].pk,
            "request-text": "Kiện toàn chi ủy",
            "request-deadline": "31/12/2024",
            "request-owner": "CB-a",
        },
    )
    assert response.status_code == 400
    assert "“Chi bộ a” đã kết thúc hoạt động từ ngày 01/10/2024" in response.content.decode()
    assert not RemediationRequest.objects.exists()
