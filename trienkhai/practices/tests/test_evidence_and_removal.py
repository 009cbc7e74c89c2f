"""Evidence uploaded through the API (the page's upload checks and scope), and removing an
adoption: who may, the change log, the page's button and the API."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError, PermissionRefused
from trienkhai.core.models import ChangeLogEntry
from trienkhai.practices import actions
from trienkhai.practices.models import Adoption, PracticeEvidence
from trienkhai.practices.tests.test_practices import (
    record,
    urlpatterns,  # noqa: F401 - the URLconf
)

D = datetime.date
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def practice(world):
    return record(world)


@pytest.fixture
def adopted(world, practice):
    """Commune A took the province's practice up (recorded by its reporter)."""
    return actions.adopt(
        world["reporter_c"], practice, unit=world["commune_a"], adopted_on=D(2022, 5, 1)
    )


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(name="minh-chung.pdf", content=b"%PDF-1.4 minh chung"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- evidence through the API ----------------------------------------------------------------


def test_api_uploads_evidence(world, practice, client):
    url = f"/api/practices/{practice.pk}/evidence/"
    r = api(world["coord_a"]).post(url, {"file": upload()}, format="multipart")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert (body["original_name"], body["content_type"]) == ("minh-chung.pdf", "application/pdf")
    evidence = PracticeEvidence.objects.get(pk=body["id"])
    assert evidence.practice == practice and evidence.file.read() == b"%PDF-1.4 minh chung"
    entry = ChangeLogEntry.objects.get(action="practices.attach")
    assert entry.user == world["coord_a"] and entry.unit == world["prov_a"]
    listed = api(world["viewer_a"]).get(f"/api/practices/{practice.pk}/").json()
    assert [e["id"] for e in listed["evidence"]] == [evidence.pk]
    # Served back as a download only, like the page's files.
    client.force_login(world["viewer_a"])
    response = client.get(reverse("practice-evidence", args=[evidence.pk]))
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ", "không được phép"),
        ("trang.html", b"<script>", "không được phép"),
        ("rong.pdf", b"", "rỗng"),
    ],
)
def test_api_refuses_a_bad_file(world, practice, name, content, message):
    r = api(world["coord_a"]).post(
        f"/api/practices/{practice.pk}/evidence/", {"file": upload(name, content)}
    )
    assert r.status_code == 400
    assert message in str(r.json())
    assert not PracticeEvidence.objects.exists()


def test_api_refuses_a_file_over_the_cap(world, practice, monkeypatch):
    monkeypatch.setattr("trienkhai.core.files.MAX_UPLOAD_BYTES", 8)
    monkeypatch.setattr("trienkhai.practices.api.MAX_UPLOAD_BYTES", 8)
    r = api(world["coord_a"]).post(
        f"/api/practices/{practice.pk}/evidence/", {"file": upload(content=b"%PDF" * 10)}
    )
    assert r.status_code == 400 and r.json()["field"] == "file" and "quá lớn" in r.json()["detail"]
    assert not PracticeEvidence.objects.exists()


def test_api_upload_needs_a_file(world, practice):
    r = api(world["coord_a"]).post(f"/api/practices/{practice.pk}/evidence/", {})
    assert r.status_code == 400 and "file" in r.json()
    r = api(world["coord_a"]).post(
        f"/api/practices/{practice.pk}/evidence/", {"file": "x"}, format="json"
    )
    assert r.status_code == 415


def test_api_upload_is_scoped_like_the_page(world, practice):
    url = f"/api/practices/{practice.pk}/evidence/"
    # Another province does not see the practice at all.
    assert api(world["coord_b"]).post(url, {"file": upload()}).status_code == 404
    # A viewer of the province, and a commune reporter who reads it from below, may not attach.
    assert api(world["viewer_a"]).post(url, {"file": upload()}).status_code == 403
    assert api(world["reporter_c"]).post(url, {"file": upload()}).status_code == 403
    assert not PracticeEvidence.objects.exists()


def test_api_upload_is_in_the_schema(world):
    schema = api(world["coord_a"]).get("/api/schema/").content.decode()
    start = schema.index("/api/practices/{id}/evidence/:")
    assert "multipart/form-data" in schema[start : start + 1500]
    assert "$ref: '#/components/schemas/EvidenceUpload'" in schema[start : start + 1500]
    component = schema.index("    EvidenceUpload:")
    assert "format: binary" in schema[component : component + 300]


# --- removing an adoption --------------------------------------------------------------------


def test_the_adopting_units_reporter_removes_it_and_it_is_logged(world, adopted):
    actions.remove_adoption(world["reporter_c"], adopted)
    assert not Adoption.objects.exists()
    entry = ChangeLogEntry.objects.get(action="practices.remove_adoption")
    assert entry.user == world["reporter_c"] and entry.unit == world["commune_a"]
    assert entry.before["unit_id"] == world["commune_a"].pk and entry.after is None
    assert entry.object_id == str(adopted.pk)
    # The unit may record it again.
    again = actions.adopt(
        world["reporter_c"], adopted.practice, unit=world["commune_a"], adopted_on=D(2023, 1, 2)
    )
    assert again.adopted_on == D(2023, 1, 2)


def test_a_coordinator_above_may_remove_it(world, adopted):
    actions.remove_adoption(world["coord_a"], adopted)
    assert not Adoption.objects.exists()


def test_others_are_refused_clearly(world, adopted):
    sibling = factories.user("bao-cao-xa-2", (Role.REPORTER, world["commune_a2"], False))
    for actor in (sibling, world["viewer_a"], world["coord_b"]):
        with pytest.raises(PermissionRefused) as exc:
            actions.remove_adoption(actor, adopted)
        assert "Chỉ người báo cáo của “Xã a”" in str(exc.value.message)
    assert Adoption.objects.count() == 1
    assert not ChangeLogEntry.objects.filter(action="practices.remove_adoption").exists()
    actions.remove_adoption(world["reporter_c"], adopted)
    with pytest.raises(ActionError, match="không còn"):
        actions.remove_adoption(world["reporter_c"], adopted)


def test_remove_button_on_the_page(client, world, adopted):
    practice = adopted.practice
    detail = reverse("practice-detail", args=[practice.pk])
    remove = reverse("practice-adoption-remove", args=[practice.pk, adopted.pk])
    # A viewer sees the adoption, no button, and a forged post changes nothing.
    client.force_login(world["viewer_a"])
    page = client.get(detail).content.decode()
    assert "Xã a" in page and "remove-adoption" not in page
    response = client.post(remove, follow=True)
    assert "Chỉ người báo cáo" in response.content.decode()
    assert Adoption.objects.count() == 1
    # A sibling commune does not even know of it.
    sibling = factories.user("bao-cao-xa-2", (Role.REPORTER, world["commune_a2"], False))
    client.force_login(sibling)
    assert client.post(remove).status_code == 404
    client.force_login(world["coord_b"])
    assert client.post(remove).status_code == 404
    # The commune's reporter has the button (a form with CSRF), and it works.
    client.force_login(world["reporter_c"])
    page = client.get(detail).content.decode()
    assert f'action="{remove}"' in page and "csrfmiddlewaretoken" in page
    assert client.get(remove).status_code == 405
    response = client.post(remove, follow=True)
    assert "Đã gỡ ghi nhận áp dụng của Xã a." in response.content.decode()
    assert not Adoption.objects.exists()


def test_remove_button_needs_the_csrf_token(world, adopted):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world["reporter_c"])
    remove = reverse("practice-adoption-remove", args=[adopted.practice_id, adopted.pk])
    assert strict.post(remove).status_code == 403
    assert Adoption.objects.count() == 1


def test_remove_through_the_api(world, adopted):
    url = f"/api/practices/{adopted.practice_id}/remove-adoption/"
    assert api(world["coord_b"]).post(url, {"adoption": adopted.pk}).status_code == 404
    r = api(world["viewer_a"]).post(url, {"adoption": adopted.pk}, format="json")
    assert r.status_code == 403 and "Chỉ người báo cáo" in r.json()["detail"]
    assert api(world["coord_a"]).post(url, {"adoption": 987654}).status_code == 404
    assert api(world["coord_a"]).post(url, {"adoption": "x"}).status_code == 400
    r = api(world["coord_a"]).post(url, {"adoption": adopted.pk}, format="json")
    assert r.status_code == 200 and r.json()["adoptions"] == []
    assert ChangeLogEntry.objects.filter(action="practices.remove_adoption").count() == 1
