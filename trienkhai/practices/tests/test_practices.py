"""Good practices: actions and validation, scope (own, from above, never a sibling), pages,
adoption, evidence download, XLSX export, API, the demo."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path, reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError, PermissionRefused
from trienkhai.core.models import ChangeLogEntry
from trienkhai.practices import actions, queries
from trienkhai.practices.models import Adoption, GoodPractice

D = datetime.date
urlpatterns = [
    path("api/", include("trienkhai.api_urls")),
    path("", include("trienkhai.urls")),
]
pytestmark = pytest.mark.urls(__name__)


def record(w, actor=None, **over):
    values = {
        "unit": w["prov_a"],
        "title": "Giám sát chuyên đề Kết luận 21",
        "description": "Ban hành kế hoạch giám sát chuyên đề.",
        "year": 2022,
        "directives": [w["kl21"]],
        "source": "Báo cáo",
    }
    values.update(over)
    return actions.record_practice(actor if actor is not None else w["coord_a"], **values)


@pytest.fixture
def practice(world):
    return record(world, files=[("ke-hoach.pdf", b"%PDF-1.4 minh chung")])


def test_record_logs_and_stores_evidence(world, practice):
    assert practice.directives.get() == world["kl21"]
    assert practice.evidence.get().content_type == "application/pdf"
    assert ChangeLogEntry.objects.filter(action="practices.record").count() == 1
    assert ChangeLogEntry.objects.filter(action="practices.attach").count() == 1


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"title": " "}, "title"),
        ({"description": ""}, "description"),
        ({"year": 1900}, "year"),
        ({"year": 2999}, "year"),
        ({"year": "hai nghìn"}, "year"),
        ({"files": [("virus.exe", b"MZ")]}, "file"),
    ],
)
def test_bad_input_changes_nothing(world, over, field):
    with pytest.raises(ActionError) as exc:
        record(world, **over)
    assert exc.value.field == field
    assert not GoodPractice.objects.exists()


def test_scope_of_writes(world):
    with pytest.raises(PermissionRefused):
        record(world, actor=world["coord_b"])
    with pytest.raises(ActionError) as exc:
        record(world, directives=[world["kh_b"]])
    assert exc.value.field == "directives"


def test_visible_to_own_and_below_never_to_a_sibling(world, practice):
    below = factories.user("xa-a", (Role.VIEWER, world["commune_a"]))
    assert queries.visible_practices(below).filter(pk=practice.pk).exists()
    assert not queries.visible_practices(world["coord_b"]).exists()
    commune_practice = record(world, unit=world["commune_a"], title="Của xã")
    # A practice is not visible upward-sideways: commune A2's user does not see commune A's.
    sibling = factories.user("xa-a2", (Role.VIEWER, world["commune_a2"]))
    visible = set(queries.visible_practices(sibling).values_list("pk", flat=True))
    assert practice.pk in visible and commune_practice.pk not in visible


def test_adopt_rules(world, practice):
    reporter = world["reporter_c"]
    adoption = actions.adopt(reporter, practice, unit=world["commune_a"], adopted_on=D(2022, 5, 1))
    assert adoption.unit == world["commune_a"]
    assert ChangeLogEntry.objects.filter(action="practices.adopt").exists()
    cases = [
        (dict(unit=world["commune_a"], adopted_on=D(2022, 6, 1)), "unit"),  # twice
        (dict(unit=world["prov_a"], adopted_on=D(2022, 6, 1)), "unit"),  # its own unit
        (dict(unit=world["commune_a2"], adopted_on=D(2021, 6, 1)), "adopted_on"),
        (dict(unit=world["commune_a2"], adopted_on=D(2099, 6, 1)), "adopted_on"),
        (dict(unit=world["commune_a2"], adopted_on="01/06/2022"), "adopted_on"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ActionError) as exc:
            actions.adopt(world["coord_a"], practice, **kwargs)
        assert exc.value.field == field
    # Another province may not see it: refused as not found.
    with pytest.raises(ActionError, match="Không tìm thấy"):
        actions.adopt(world["coord_b"], practice, unit=world["prov_b"], adopted_on=D(2022, 6, 1))
    with pytest.raises(PermissionRefused):
        actions.adopt(
            world["coord_b"], practice, unit=world["commune_a2"], adopted_on=D(2022, 6, 1)
        )
    assert Adoption.objects.count() == 1


def test_update_is_versioned(world, practice):
    updated = actions.update_practice(world["coord_a"], practice, expected_version=1, year=2023)
    assert updated.version == 2 and updated.directives.count() == 1
    with pytest.raises(actions.StaleEdit):
        actions.update_practice(world["coord_a"], practice, expected_version=1, title="X")


def test_pages(client, world, practice):
    client.force_login(world["viewer_a"])
    page = client.get(reverse("practices-list"), {"q": "giam sat chuyen de"}).content.decode()
    assert "Giám sát chuyên đề Kết luận 21" in page
    assert "Chưa có mô hình" in client.get(reverse("practices-list"), {"q": "xyz"}).content.decode()
    listed = client.get(reverse("practices-list"), {"directive": world["kl21"].pk}).content.decode()
    assert "Giám sát chuyên đề" in listed
    detail = client.get(reverse("practice-detail", args=[practice.pk])).content.decode()
    assert "ke-hoach.pdf" in detail and "21-KL/TW" in detail
    evidence = practice.evidence.get()
    response = client.get(reverse("practice-evidence", args=[evidence.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(world["coord_b"])
    assert client.get(reverse("practice-detail", args=[practice.pk])).status_code == 404
    assert client.get(reverse("practice-evidence", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("practice-adopt", args=[practice.pk])).status_code == 404
    assert "Giám sát" not in client.get(reverse("practices-list")).content.decode()


def test_create_and_adopt_forms(client, world):
    client.force_login(world["coord_a"])
    upload = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = client.post(
        reverse("practice-create"),
        {
            "unit": "P-a",
            "title": "Sinh hoạt “Giữ trọn lời thề đảng viên”",
            "description": "Tự soi, tự sửa.",
            "year": "2022",
            "directives": "21-KL/TW",
            "source": "",
            "files": upload,
        },
    )
    assert response.status_code == 302
    practice = GoodPractice.objects.get()
    assert practice.evidence.count() == 1
    bad = client.post(
        reverse("practice-create"),
        {"unit": "P-a", "title": "X", "description": "Y", "year": "1800", "directives": ""},
    )
    assert bad.status_code == 400 and GoodPractice.objects.count() == 1
    response = client.post(
        reverse("practice-adopt", args=[practice.pk]),
        {"unit": "C-a2", "adopted_on": "01/06/2022", "note": "Áp dụng ở 5 chi bộ"},
    )
    assert response.status_code == 302
    refused = client.post(
        reverse("practice-adopt", args=[practice.pk]),
        {"unit": "C-a2", "adopted_on": "2022-31-12"},
    )
    assert refused.status_code == 400 and "Nhập một ngày hợp lệ" in refused.content.decode()
    page = client.get(reverse("practice-detail", args=[practice.pk])).content.decode()
    assert "Xã Đông Hưng" in page and "01/06/2022" in page


def test_export(client, world, practice):
    actions.adopt(None, practice, unit=world["commune_a"], adopted_on=D(2022, 5, 1))
    client.force_login(world["viewer_a"])
    response = client.get(reverse("practices-list"), {"export": "xlsx"})
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["D2"].value == "Tên mô hình, cách làm"
    assert (ws["A3"].value, ws["D3"].value, ws["F3"].value, ws["G3"].value) == (
        2022,
        "Giám sát chuyên đề Kết luận 21",
        "21-KL/TW",
        1,
    )


def test_api(world, practice):
    client = APIClient()
    client.force_authenticate(world["coord_a"])
    body = client.get(f"/api/practices/{practice.pk}/").json()
    assert body["directives"][0]["symbol"] == "21-KL/TW" and body["evidence"][0]["size"] > 0
    response = client.post(
        f"/api/practices/{practice.pk}/adopt/",
        {"unit": world["commune_a2"].pk, "adopted_on": "2022-06-01"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["adoptions"][0]["unit"]["code"] == "C-a2"
    created = client.post(
        "/api/practices/",
        {"unit": world["prov_a"].pk, "title": "Mới", "description": "Nội dung", "year": 2023},
        format="json",
    )
    assert created.status_code == 201
    assert (
        client.post(
            "/api/practices/",
            {"unit": world["prov_a"].pk, "title": "Mới", "description": "Nội dung", "year": 1800},
            format="json",
        ).status_code
        == 400
    )
    stale = client.patch(f"/api/practices/{practice.pk}/", {"expected_version": 9, "year": 2023})
    assert stale.status_code == 409
    other = APIClient()
    other.force_authenticate(world["coord_b"])
    assert other.get("/api/practices/").json()["count"] == 0
    assert other.get(f"/api/practices/{practice.pk}/").status_code == 404
    assert "/api/practices/" in client.get("/api/schema/").content.decode()


def test_demo(db):
    from trienkhai.demo.loader import ensure_demo
    from trienkhai.practices.demo import load_demo

    ensure_demo()  # loads the practices too
    assert GoodPractice.objects.count() >= 7 and load_demo() == 0
    units = set(GoodPractice.objects.values_list("unit__code", flat=True))
    assert {"HNI", "BGG", "BDH", "DNG", "BTH"} <= units
    assert Adoption.objects.count() >= 1
    lamdong = get_user_model().objects.get(username="lamdong")
    titles = [p.title for p in queries.visible_practices(lamdong)]
    assert titles == ["Đợt sinh hoạt chính trị “Giữ trọn lời thề đảng viên”"]


def test_web_edit_needs_the_version_and_a_stale_one_is_a_409(client, world, practice):
    """Without the version the page loaded, a save could overwrite unseen work: refused."""
    client.force_login(world["coord_a"])
    url = reverse("practice-edit", args=[practice.pk])
    data = {
        "unit": "P-a",
        "title": "Tên mới",
        "description": "Mô tả mới",
        "year": "2023",
        "directives": "21-KL/TW",
        "source": "",
    }
    missing = client.post(url, data)
    assert missing.status_code == 400 and "Hãy tải lại trang" in missing.content.decode()
    actions.update_practice(world["coord_a"], practice, expected_version=1, source="Báo Nhân Dân")
    stale = client.post(url, {**data, "version": "1"})
    assert stale.status_code == 409 and "Người khác vừa lưu" in stale.content.decode()
    practice.refresh_from_db()
    assert practice.title != "Tên mới"
    assert client.post(url, {**data, "version": "2"}).status_code == 302
    practice.refresh_from_db()
    assert (practice.title, practice.version) == ("Tên mới", 3)
