"""Taking an inspected unit off an inspection and removing a finding: the refusals of the
actions, and the buttons of the detail and conclusions pages."""

import datetime

import pytest
from django.urls import reverse

from trienkhai.core.actions import ActionError, PermissionRefused
from trienkhai.core.models import ChangeLogEntry
from trienkhai.documents.models import DocType
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.actions import inspections as inspection_actions
from trienkhai.inspections.actions import steps as step_actions
from trienkhai.inspections.models import Finding, InspectedUnit
from trienkhai.inspections.tests.conftest import new_inspection, register, to_concluded, upload

D = datetime.date


def announced(w):
    inspection = new_inspection(w)
    decision = register(w, inspection, DocType.DECISION, "15-QĐ/TU", D(2024, 8, 20))
    inspection = step_actions.decide(w.inspector, inspection, decision=decision)
    inspection = step_actions.announce(w.inspector, inspection, date=D(2024, 9, 1))
    return inspection, {p.unit_id: p for p in inspection.parts.all()}


def test_remove_inspected_unit_refusals(world):
    inspection, parts = announced(world)
    commune, org = parts[world.commune_a.pk], parts[world.org_a.pk]
    upload(world, commune, world.commune_rep)
    with pytest.raises(ActionError) as exc:
        inspection_actions.remove_inspected_unit(world.inspector, commune)
    assert "đã gửi báo cáo tự kiểm tra" in str(exc.value)
    conclusion_actions.add_recommendation(world.org_rep, org, text="Đề nghị hướng dẫn")
    with pytest.raises(ActionError) as exc:
        inspection_actions.remove_inspected_unit(world.inspector, org)
    assert "đã có kiến nghị" in str(exc.value)
    with pytest.raises(PermissionRefused):
        inspection_actions.remove_inspected_unit(world.inspector_b, org)
    assert InspectedUnit.objects.filter(inspection=inspection).count() == 2


def test_remove_inspected_unit_until_the_last_one(world):
    inspection, parts = announced(world)
    inspection_actions.remove_inspected_unit(world.inspector, parts[world.org_a.pk])
    assert list(inspection.parts.values_list("unit", flat=True)) == [world.commune_a.pk]
    entry = ChangeLogEntry.objects.get(action="inspections.remove_unit")
    assert entry.before["unit_id"] == world.org_a.pk
    with pytest.raises(ActionError) as exc:
        inspection_actions.remove_inspected_unit(world.inspector, parts[world.commune_a.pk])
    assert "ít nhất một đối tượng" in str(exc.value)


def test_remove_inspected_unit_after_conclusion_refused(world):
    inspection, parts = to_concluded(world, new_inspection(world))
    with pytest.raises(ActionError) as exc:
        inspection_actions.remove_inspected_unit(world.inspector, parts[world.org_a.pk])
    assert "Đã có kết luận" in str(exc.value)


def closed_with_finding(w):
    inspection, parts = to_concluded(w, new_inspection(w))
    finding = conclusion_actions.add_finding(
        w.inspector, parts[w.commune_a.pk], kind="shortcoming", text="Chưa đều"
    )
    return inspection, parts, finding


def test_remove_finding_is_logged(world):
    inspection, parts = to_concluded(world, new_inspection(world))
    finding = conclusion_actions.add_finding(
        world.inspector, parts[world.commune_a.pk], kind="violation", text="Ghi nhầm"
    )
    with pytest.raises(PermissionRefused):
        conclusion_actions.remove_finding(world.inspector_b, finding)
    conclusion_actions.remove_finding(world.inspector, finding)
    assert not Finding.objects.exists()
    assert ChangeLogEntry.objects.get(action="inspections.finding_remove").before["text"] == (
        "Ghi nhầm"
    )


def test_remove_finding_refused_once_closed(world):
    inspection, _parts, kept = closed_with_finding(world)
    step_actions.close_inspection(world.inspector, inspection, date=D(2024, 10, 7))
    with pytest.raises(ActionError) as exc:
        conclusion_actions.remove_finding(world.inspector, kept)
    assert "đã kết thúc: không xóa kết luận" in str(exc.value)
    assert Finding.objects.filter(pk=kept.pk).exists()


def test_detail_page_remove_buttons(client, world):
    inspection, parts = announced(world)
    upload(world, parts[world.commune_a.pk], world.commune_rep)
    client.force_login(world.inspector)
    url = reverse("inspection-detail", args=[inspection.pk])
    page = client.get(url).content.decode()
    org_remove = reverse("inspection-part-remove", args=[parts[world.org_a.pk].pk])
    commune_remove = reverse("inspection-part-remove", args=[parts[world.commune_a.pk].pk])
    assert org_remove in page and commune_remove not in page
    assert "data-confirm=" in page and "đã gửi báo cáo tự kiểm tra" in page
    # Refused by the action (e.g. a form left open): the reason is shown, nothing removed.
    response = client.post(commune_remove, follow=True)
    assert "đã gửi báo cáo tự kiểm tra: không bớt" in response.content.decode()
    response = client.post(org_remove)
    assert response.status_code == 302 and response["Location"] == url
    assert not InspectedUnit.objects.filter(pk=parts[world.org_a.pk].pk).exists()
    page = client.get(url).content.decode()
    assert "Đã bớt “Đảng bộ a” khỏi đối tượng kiểm tra." in page
    assert commune_remove not in page  # the last one, with its self-report, stays


def test_part_remove_scope(client, world):
    inspection, parts = announced(world)
    remove = reverse("inspection-part-remove", args=[parts[world.org_a.pk].pk])
    client.force_login(world.inspector_b)
    assert client.post(remove).status_code == 404
    client.force_login(world.org_rep)  # sees its own part, but does not inspect
    page = client.get(reverse("inspection-detail", args=[inspection.pk])).content.decode()
    assert remove not in page
    assert client.post(remove).status_code == 403
    assert client.get(remove).status_code == 405
    assert InspectedUnit.objects.filter(inspection=inspection).count() == 2


def test_conclusions_page_remove_finding(client, world):
    inspection, parts = to_concluded(world, new_inspection(world))
    finding = conclusion_actions.add_finding(
        world.inspector, parts[world.org_a.pk], kind="violation", text="Ghi nhầm đối tượng"
    )
    url = reverse("inspection-conclusions", args=[inspection.pk])
    remove = reverse("inspection-finding-remove", args=[finding.pk])
    client.force_login(world.org_rep)
    assert remove not in client.get(url).content.decode()
    assert client.post(remove).status_code == 403
    client.force_login(world.inspector_b)
    assert client.post(remove).status_code == 404
    client.force_login(world.inspector)
    page = client.get(url).content.decode()
    assert remove in page and "Xóa kết luận này?" in page
    response = client.post(remove, follow=True)
    assert "Đã xóa kết luận." in response.content.decode()
    assert not Finding.objects.exists()


def test_conclusions_page_has_no_remove_once_closed(client, world):
    inspection, _parts, finding = closed_with_finding(world)
    step_actions.close_inspection(world.inspector, inspection, date=D(2024, 10, 7))
    remove = reverse("inspection-finding-remove", args=[finding.pk])
    client.force_login(world.inspector)
    page = client.get(reverse("inspection-conclusions", args=[inspection.pk])).content.decode()
    assert "Chưa đều" in page and remove not in page
    response = client.post(remove, follow=True)
    assert "Cuộc kiểm tra đã kết thúc: không xóa kết luận được nữa." in response.content.decode()
    assert Finding.objects.filter(pk=finding.pk).exists()
