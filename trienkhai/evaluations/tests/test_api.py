"""The API: scoped lists with flags, step actions, the cap refusal, conflicts, distribution."""

import pytest
from rest_framework.test import APIClient

from trienkhai.evaluations.models import Level, State
from trienkhai.evaluations.tests.helpers import decide, proposed
from trienkhai.evaluations.tests.test_flags import overdue  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_list_is_scoped_and_carries_flags(world, overdue):  # noqa: F811
    proposed(world["evs"][0], Level.EXCELLENT)
    body = (
        api(world["users"]["decider"]).get(f"/api/evaluations/?period={world['period'].pk}").json()
    )  # noqa: E501
    assert body["count"] == 6
    first = next(r for r in body["results"] if r["unit"]["code"] == world["orgs"][0].code)
    assert first["review_level"] == "excellent" and first["review_total"] == "92.0"
    assert [f["kind"] for f in first["flags"]] == ["overdue_tasks"]
    assert first["flags"][0]["url"].startswith("/tracking/?unit=")
    assert api(world["users"]["other"]).get("/api/evaluations/").json()["count"] == 0
    ev = world["evs"][0]
    assert api(world["users"]["other"]).get(f"/api/evaluations/{ev.pk}/").status_code == 404
    assert api(world["users"]["reporter"]).get("/api/evaluations/").json()["count"] == 1


def test_steps_through_the_api(world):
    u = world["users"]
    ev = world["evs"][0]
    r = api(u["reporter"]).post(
        f"/api/evaluations/{ev.pk}/self-rating/",
        {
            "general": "25",
            "results": "55",
            "level": "excellent",
            "rated_on": "10/12/2025",
            "members": {"good": 20, "not_rated": 2},
            "expected_version": 1,
        },
        format="json",
    )
    assert r.status_code == 400 and r.json()["field"] == "level"
    assert "không khớp" in r.json()["detail"]
    r = api(u["reporter"]).post(
        f"/api/evaluations/{ev.pk}/self-rating/",
        {"general": "25", "results": "55", "level": "good", "rated_on": "2025-12-10",
         "members": {"good": 20, "not_rated": 2}, "expected_version": 1},
        format="json",
    )  # fmt: skip
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "self_rated" and r.json()["members_good"] == 20
    r = api(u["reporter"]).post(
        f"/api/evaluations/{ev.pk}/review/",
        {"general": "25", "results": "55", "level": "good", "expected_version": 2},
        format="json",
    )
    assert r.status_code == 403
    r = api(u["decider"]).post(
        f"/api/evaluations/{ev.pk}/review/",
        {"general": "25", "results": "55", "level": "good", "reviewed_on": "2026-01-05",
         "expected_version": 1},
        format="json",
    )  # fmt: skip
    assert r.status_code == 409 and r.json()["current"]["self_level"] == "good"
    r = api(u["decider"]).post(
        f"/api/evaluations/{ev.pk}/review/",
        {"general": "25", "results": "55", "level": "good", "reviewed_on": "2026-01-05",
         "expected_version": 2},
        format="json",
    )  # fmt: skip
    assert r.status_code == 200 and r.json()["state"] == "reviewed"
    r = api(u["other"]).post(
        f"/api/evaluations/{ev.pk}/decide/", {"level": "good", "expected_version": 3}, format="json"
    )
    assert r.status_code == 404
    r = api(u["decider"]).post(
        f"/api/evaluations/{ev.pk}/decide/",
        {"level": "good", "decided_on": "2026-01-15", "expected_version": 3},
        format="json",
    )
    assert r.status_code == 200 and r.json()["decided_level"] == "good"
    r = api(u["decider"]).post(
        f"/api/evaluations/{ev.pk}/notify/",
        {"notified_on": "2026-01-20", "expected_version": 4},
        format="json",
    )
    assert r.status_code == 200 and r.json()["state"] == State.NOTIFIED


def test_cap_refusal_through_the_api(world):
    evs = [
        proposed(ev, Level.EXCELLENT if i < 2 else Level.GOOD) for i, ev in enumerate(world["evs"])
    ]  # noqa: E501
    decide(evs[0], Level.EXCELLENT)
    client = api(world["users"]["decider"])
    r = client.post(
        f"/api/evaluations/{evs[1].pk}/decide/",
        {"level": "excellent", "decided_on": "2026-01-15", "expected_version": evs[1].version},
        format="json",
    )
    assert r.status_code == 400
    body = r.json()
    assert body["field"] == "override_reason" and "vượt tỷ lệ" in body["detail"]
    assert body["cap"] == {"excellent": 2, "base": 6, "allowed": 1, "cap_percent": 20}
    r = client.post(
        f"/api/evaluations/{evs[1].pk}/decide/",
        {
            "level": "excellent",
            "decided_on": "2026-01-15",
            "override_reason": "Lý do đặc biệt",
            "expected_version": evs[1].version,
        },
        format="json",
    )
    assert r.status_code == 200 and r.json()["cap_override_reason"] == "Lý do đặc biệt"


def test_open_and_periods(world):
    u = world["users"]
    r = api(u["decider"]).post(
        "/api/evaluations/open/",
        {"period": world["period"].pk, "decider": world["commune"].pk},
        format="json",
    )
    assert r.status_code == 200 and r.json() == {"created": 0}
    r = api(u["other"]).post(
        "/api/evaluations/open/",
        {"period": world["period"].pk, "decider": world["commune"].pk},
        format="json",
    )
    assert r.status_code == 400  # the commune is not a unit the caller can name
    periods = api(u["other"]).get("/api/evaluation-periods/").json()
    assert [p["year"] for p in periods["results"]] == [2025]
    r = api(u["decider"]).patch(
        f"/api/evaluation-periods/{world['period'].pk}/",
        {"cap_percent": 30, "expected_version": 1},
        format="json",
    )
    assert r.status_code == 403
    r = api(u["admin"]).patch(
        f"/api/evaluation-periods/{world['period'].pk}/",
        {"cap_percent": 30, "expected_version": 1},
        format="json",
    )
    assert r.status_code == 200 and r.json()["cap_percent"] == 30
    r = api(u["admin"]).post(
        "/api/evaluation-periods/",
        {"unit": world["root"].pk, "year": 2026, "cap_percent": 15},
        format="json",
    )
    assert r.status_code == 201 and r.json()["excellent_min"] == 90


def test_distribution_endpoint(world):
    evs = [proposed(ev, Level.GOOD) for ev in world["evs"]]
    decide(evs[0], Level.GOOD)
    r = api(world["users"]["decider"]).get(
        f"/api/evaluation-distribution/?unit={world['commune'].pk}&period={world['period'].pk}"
    )
    body = r.json()
    assert body["total"]["counts"] == {"excellent": 0, "good": 1, "complete": 0, "not_complete": 0}  # noqa: E501
    assert body["total"]["undecided"] == 5 and body["total"]["percents"]["good"] == "100"
    assert len(body["children"]) == 6
    r = api(world["users"]["other"]).get(
        f"/api/evaluation-distribution/?unit={world['commune'].pk}"
    )
    assert r.status_code == 404


def test_schema_lists_the_endpoints(world):
    schema = api(world["users"]["admin"]).get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "/api/evaluations/{id}/decide/" in paths
    assert "/api/evaluation-distribution/" in paths
    assert "/api/evaluation-periods/" in paths
