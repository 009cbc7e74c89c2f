"""Conference API: scoped list and detail, record and edit through the actions, the roll-up."""

import pytest
from django.urls import include, path
from rest_framework.test import APIClient

from trienkhai.conferences import actions
from trienkhai.conferences.tests.conftest import values

urlpatterns = [path("api/", include("trienkhai.api_urls"))]
pytestmark = pytest.mark.urls(__name__)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def payload(w, **over):
    body = {
        "host": w["prov_a"].pk,
        "date": "15/01/2022",
        "title": "Hội nghị quán triệt",
        "format": "online",
        "documents": [w["kl21"].pk, w["kh_a"].pk],
        "points": [{"level": "Cấp xã", "count": 237}],
        "attendance": [{"level": "Toàn tỉnh", "category": "unspecified", "count": 15500}],
        "members_expected": 15380,
        "members_attending": 15003,
        "deadline": "2022-03-31",
    }
    body.update(over)
    return body


def test_record_read_and_edit(world):
    client = api(world["coord_a"])
    response = client.post("/api/conferences/", payload(world), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["total_points"], body["total_attendees"]) == (237, 15500)
    assert body["participation_text"] == "97,55%" and body["timing"] == "on_time"
    assert [d["symbol"] for d in body["documents"]] == ["21-KL/TW", "01-KH/TU"]
    pk = body["id"]
    response = client.patch(
        f"/api/conferences/{pk}/", {"expected_version": 1, "date": "2022-04-02"}, format="json"
    )
    assert response.status_code == 200 and response.json()["timing"] == "late"
    stale = client.patch(f"/api/conferences/{pk}/", {"expected_version": 1, "title": "X"})
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 2


@pytest.mark.parametrize(
    ("over", "key"),
    [
        ({"members_attending": 15381}, "detail"),
        ({"points": [{"level": "Cấp xã", "count": -1}]}, "points"),
        ({"date": "2022-15-01"}, "date"),
        ({"documents": []}, "documents"),
    ],
)
def test_bad_input_is_a_400(world, over, key):
    response = api(world["coord_a"]).post(
        "/api/conferences/", payload(world, **over), format="json"
    )
    assert response.status_code == 400 and key in response.json()


def test_scope(world):
    c = actions.record_conference(None, **values(world))
    other = api(world["coord_b"])
    assert other.get("/api/conferences/").json()["count"] == 0
    assert other.get(f"/api/conferences/{c.pk}/").status_code == 404
    response = other.post("/api/conferences/", payload(world), format="json")
    assert response.status_code == 400  # province A is no unit province B's user can name
    response = other.post(
        "/api/conferences/",
        payload(world, host=world["prov_b"].pk, documents=[world["kl21"].pk, world["kh_a"].pk]),
        format="json",
    )
    assert response.status_code == 400 and "documents" in response.json()
    mine = api(world["viewer_a"]).get("/api/conferences/", {"q": "quan triet"}).json()
    assert mine["count"] == 1
    assert (
        api(world["viewer_a"]).post("/api/conferences/", payload(world), format="json").status_code
        == 403
    )


def test_rollup_endpoint(world):
    actions.record_conference(None, **values(world))
    client = api(world["viewer_a"])
    body = client.get("/api/conference-rollup/", {"unit": world["prov_a"].pk}).json()
    own = body["children"][0]
    assert own["own"] and (own["points"], own["attendees"], own["on_time"]) == (237, 15500, 1)
    assert body["totals"]["held"] == 1
    assert {d["document"]["symbol"] for d in body["documents"]} == {"21-KL/TW", "01-KH/TU"}
    assert (
        api(world["coord_b"])
        .get("/api/conference-rollup/", {"unit": world["prov_a"].pk})
        .status_code
        == 404
    )
    assert client.get("/api/conference-rollup/").status_code == 400


def test_in_the_schema(world, admin_user):
    schema = api(admin_user).get("/api/schema/").content.decode()
    assert "/api/conferences/" in schema and "/api/conference-rollup/" in schema
