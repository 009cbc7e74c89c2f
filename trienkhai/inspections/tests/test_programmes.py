"""Editing a yearly programme: the action (versions, scope, bad input) and its page."""

import pytest
from django.urls import reverse

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError, PermissionRefused, StaleEdit
from trienkhai.core.models import ChangeLogEntry
from trienkhai.inspections.actions import programmes as programme_actions
from trienkhai.inspections.models import Programme


@pytest.fixture
def programme(world):
    return programme_actions.create_programme(
        world.inspector, unit=world.prov_a, year=2024, title="Chương trình kiểm tra năm 2024"
    )


def test_update_is_logged_and_versioned(world, programme):
    updated = programme_actions.update_programme(
        world.inspector,
        programme,
        expected_version=1,
        title="Chương trình kiểm tra, giám sát năm 2025",
        year=2025,
        document=world.directive,
        note="  Bổ sung giám sát chuyên đề  ",
    )
    assert (updated.year, updated.version, updated.note) == (2025, 2, "Bổ sung giám sát chuyên đề")
    assert updated.document == world.directive
    entry = ChangeLogEntry.objects.get(action="inspections.programme_update")
    assert entry.before["year"] == 2024 and entry.after["year"] == 2025
    assert entry.unit_id == world.prov_a.pk


def test_stale_edit_is_refused_with_the_stored_values(world, programme):
    programme_actions.update_programme(
        world.inspector, programme, expected_version=1, title="Lần một"
    )
    with pytest.raises(StaleEdit) as exc:
        programme_actions.update_programme(
            world.inspector, programme, expected_version=1, title="Lần hai"
        )
    assert exc.value.current["title"] == "Lần một" and exc.value.current["version"] == 2
    assert "kt-a" in str(exc.value.message)
    assert Programme.objects.get().title == "Lần một"


def test_bad_input_changes_nothing(world, programme):
    with pytest.raises(ActionError) as exc:
        programme_actions.update_programme(world.inspector, programme, title="   ")
    assert exc.value.field == "title"
    with pytest.raises(ActionError) as exc:
        programme_actions.update_programme(world.inspector, programme, year=1800)
    assert exc.value.field == "year"
    with pytest.raises(ActionError) as exc:  # not a support body of the province
        programme_actions.update_programme(world.inspector, programme, acting_body=world.commune_a)
    assert exc.value.field == "acting_body"
    with pytest.raises(ValueError):
        programme_actions.update_programme(world.inspector, programme, unit=world.prov_b)
    programme.refresh_from_db()
    assert (programme.title, programme.year, programme.version) == (
        "Chương trình kiểm tra năm 2024",
        2024,
        1,
    )
    assert not ChangeLogEntry.objects.filter(action="inspections.programme_update").exists()


def test_only_the_committee_inspectors_edit(world, programme):
    for user in (world.inspector_b, world.commune_rep, world.viewer_b):
        with pytest.raises(PermissionRefused):
            programme_actions.update_programme(user, programme, title="Không được")
    coordinator = factories.user("dp-a", (Role.COORDINATOR, world.prov_a))
    assert (
        programme_actions.update_programme(coordinator, programme, title="Điều phối sửa").version
        == 2
    )


def test_edit_page_saves_and_shows_a_conflict(client, world, programme):
    client.force_login(world.inspector)
    listing = client.get(reverse("inspections-programmes")).content.decode()
    url = reverse("inspection-programme-edit", args=[programme.pk])
    assert url in listing
    page = client.get(url).content.decode()
    assert "Chương trình kiểm tra năm 2024" in page and 'name="unit"' not in page
    data = {
        "year": "2024",
        "title": "Chương trình đã sửa",
        "symbol": "21-KL/TW",
        "acting_body": "",
        "note": "Ghi chú mới",
        "version": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.title == "Chương trình đã sửa" and programme.document == world.directive
    assert "Ghi chú mới" in client.get(reverse("inspections-programmes")).content.decode()
    data["title"] = "Sửa trên trang cũ"
    response = client.post(url, data)  # version 1 again: someone saved in between
    assert response.status_code == 409
    html = response.content.decode()
    assert "Người khác vừa lưu thay đổi" in html and "Chương trình đã sửa" in html
    programme.refresh_from_db()
    assert programme.title == "Chương trình đã sửa"


def test_edit_page_shows_errors_on_their_field(client, world, programme):
    client.force_login(world.inspector)
    url = reverse("inspection-programme-edit", args=[programme.pk])
    response = client.post(
        url, {"year": "2024", "title": "X", "acting_body": "C-a", "symbol": "", "version": "1"}
    )
    assert response.status_code == 400
    assert "không phải cơ quan giúp việc" in response.content.decode()
    response = client.post(
        url, {"year": "2024", "title": "X", "symbol": "99-KL/TW", "version": "1"}
    )
    assert "Không tìm thấy văn bản 99-KL/TW" in response.content.decode()
    programme.refresh_from_db()
    assert programme.version == 1


def test_edit_page_scope(client, world, programme):
    url = reverse("inspection-programme-edit", args=[programme.pk])
    client.force_login(world.inspector_b)
    assert client.get(url).status_code == 404
    assert client.post(url, {"year": "2024", "title": "X"}).status_code == 404
    client.force_login(world.commune_rep)  # reaches nothing of the province committee
    assert client.get(url).status_code == 404
    viewer = factories.user("xem-a", (Role.VIEWER, world.prov_a))
    client.force_login(viewer)
    assert client.get(url).status_code == 403
    assert url not in client.get(reverse("inspections-programmes")).content.decode()
    assert Programme.objects.get().version == 1


def test_inspection_form_links_a_programme(client, world, programme):
    client.force_login(world.inspector)
    data = {
        "kind": "thematic_inspection",
        "unit": "P-a",
        "programme": str(programme.pk),
        "title": "Kiểm tra theo chương trình",
        "inspected_units": "C-a",
    }
    response = client.post(reverse("inspection-create"), data)
    assert response.status_code == 302
    assert programme.inspections.get().title == "Kiểm tra theo chương trình"
