"""The API: scoped reads, writes through the actions, refusals as 400/403, stale as 409."""

import datetime

import pytest
from rest_framework.test import APIClient

from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.actions import steps as step_actions
from trienkhai.inspections.models import RemediationRequest, RequestState, State
from trienkhai.inspections.tests.conftest import new_inspection, register, to_concluded

D = datetime.date


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture
def concluded(world):
    inspection, parts = to_concluded(world, new_inspection(world))
    req = conclusion_actions.add_request(
        world.inspector, parts[world.commune_a.pk], text="Sửa quy chế", deadline=D(2024, 11, 1)
    )
    return inspection, parts, req


def test_create_and_steps(world):
    c = api(world.inspector)
    payload = {
        "kind": "thematic_supervision",
        "unit": world.prov_a.pk,
        "title": "Giám sát chuyên đề",
        "inspected_units": [world.commune_a.pk],
        "period_from": "2015-01-01",
        "period_to": "2024-01-01",
    }
    response = c.post("/api/inspections/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "planned" and len(body["warnings"]) == 1
    pk = body["id"]
    response = c.post(f"/api/inspections/{pk}/step/", {"to": "announced", "date": "2024-09-01"})
    assert response.status_code == 400  # not the next step
    from trienkhai.inspections.models import Inspection

    decision = register(
        world, Inspection.objects.get(pk=pk), "quyet_dinh", "16-QĐ/TU", D(2024, 8, 1)
    )
    response = c.post(
        f"/api/inspections/{pk}/step/",
        {"to": "decided", "document": decision.pk, "expected_version": 1},
        format="json",
    )
    assert response.status_code == 200 and response.json()["state"] == State.DECIDED
    response = c.post(
        f"/api/inspections/{pk}/step/",
        {"to": "announced", "date": "2024-09-01", "expected_version": 1},
        format="json",
    )
    assert response.status_code == 409 and response.json()["current"]["state"] == "decided"


def test_outside_unit_is_refused(world):
    payload = {
        "kind": "thematic_inspection",
        "unit": world.prov_a.pk,
        "title": "X",
        "inspected_units": [world.commune_b.pk],
    }
    response = api(world.inspector).post("/api/inspections/", payload, format="json")
    assert response.status_code == 400  # commune B is not a unit the caller reaches


def test_scope_of_reads(world, concluded):
    inspection, _parts, req = concluded
    assert api(world.viewer_b).get(f"/api/inspections/{inspection.pk}/").status_code == 404
    assert api(world.viewer_b).get(f"/api/remediation-requests/{req.pk}/").status_code == 404
    assert api(world.viewer_b).get("/api/inspection-findings/").json()["count"] == 0
    body = api(world.commune_rep).get(f"/api/inspections/{inspection.pk}/").json()
    assert [p["unit"]["code"] for p in body["parts"]] == ["C-a"]
    assert api(world.org_rep).get("/api/remediation-requests/").json()["count"] == 0


def test_request_lifecycle(world, concluded):
    _inspection, _parts, req = concluded
    owner, inspector = api(world.commune_rep), api(world.inspector)
    url = f"/api/remediation-requests/{req.pk}"

    def v(**payload):
        """The payload with the version now stored, as a client that just read it sends."""
        return {**payload, "expected_version": RemediationRequest.objects.get(pk=req.pk).version}

    assert owner.post(f"{url}/start/", v(date="2024-10-10")).status_code == 400
    assert owner.post(f"{url}/action-plan/", v(text="Kế hoạch")).status_code == 200
    assert owner.post(f"{url}/start/", v(date="2024-10-10")).json()["state"] == "in_progress"
    body = owner.post(f"{url}/report/", v(reported_on="2024-10-20", text="Xong")).json()
    assert body["state"] == RequestState.REPORTED
    ev = v(evaluated_on="2024-10-21", effective=True)
    assert owner.post(f"{url}/evaluate/", ev).status_code == 403
    assert inspector.post(f"{url}/close/", v(date="2024-10-22")).status_code == 400
    assert inspector.post(f"{url}/evaluate/", ev).status_code == 200
    body = inspector.post(f"{url}/close/", v(date="2024-10-22")).json()
    assert body["state"] == "closed" and body["closed_on"] == "2024-10-22"
    listed = inspector.get("/api/remediation-requests/", {"side": "issued", "state": "closed"})
    assert listed.json()["count"] == 1


def _announced(w):
    inspection = new_inspection(w)
    decision = register(w, inspection, "quyet_dinh", "17-QĐ/TU", D(2024, 8, 20))
    inspection = step_actions.decide(w.inspector, inspection, decision=decision)
    inspection = step_actions.announce(w.inspector, inspection, date=D(2024, 9, 1))
    return inspection, {p.unit_id: p for p in inspection.parts.all()}


def _pdf(name="tu-kiem-tra.pdf", content=b"%PDF-1.4 bao cao tu kiem tra"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_self_report_upload_own_unit_only(world):
    from trienkhai.inspections.models import SelfReport

    inspection, parts = _announced(world)
    mine, other = parts[world.commune_a.pk], parts[world.org_a.pk]
    c = api(world.commune_rep)
    payload = {"part": mine.pk, "submitted_on": "10/09/2024", "note": "Lần 1", "file": _pdf()}
    response = c.post("/api/inspection-self-reports/", payload, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 1 and body["unit"]["code"] == "C-a"
    assert body["original_name"] == "tu-kiem-tra.pdf" and body["file_url"].endswith(
        f"/{body['id']}/"
    )
    # Another inspected unit's part: not the caller's unit, so it reads as not existing.
    payload = {"part": other.pk, "submitted_on": "2024-09-10", "file": _pdf()}
    response = c.post("/api/inspection-self-reports/", payload, format="multipart")
    assert response.status_code == 400 and "part" in response.json()
    # An inspector of another province: the part does not exist for it.
    payload = {"part": mine.pk, "submitted_on": "2024-09-10", "file": _pdf()}
    response = api(world.inspector_b).post(
        "/api/inspection-self-reports/", payload, format="multipart"
    )
    assert response.status_code == 400 and "part" in response.json()
    # Bad input changes nothing: a future date, a forbidden file, a JSON body without a file.
    bad = {"part": mine.pk, "submitted_on": "2099-01-01", "file": _pdf()}
    response = c.post("/api/inspection-self-reports/", bad, format="multipart")
    assert response.status_code == 400 and response.json()["field"] == "submitted_on"
    bad = {"part": mine.pk, "submitted_on": "2024-09-10", "file": _pdf("x.exe", b"MZ\x90\x00")}
    assert c.post("/api/inspection-self-reports/", bad, format="multipart").status_code == 400
    response = c.post(
        "/api/inspection-self-reports/", {"part": mine.pk, "submitted_on": "2024-09-10"}
    )
    assert response.status_code in (400, 415)
    assert SelfReport.objects.filter(part__inspection=inspection).count() == 1
    # Reads are scoped: the org's reporter sees none of the commune's self-reports.
    assert api(world.org_rep).get("/api/inspection-self-reports/").json()["count"] == 0
    assert api(world.viewer_b).get(f"/api/inspection-self-reports/{body['id']}/").status_code == 404
    listed = api(world.inspector).get(
        "/api/inspection-self-reports/", {"inspection": inspection.pk}
    )
    assert listed.json()["count"] == 1


def test_self_report_upload_refused_to_a_reader_of_the_unit(world):
    _inspection, parts = _announced(world)
    payload = {"part": parts[world.commune_a.pk].pk, "submitted_on": "2024-09-10", "file": _pdf()}
    response = api(world.viewer_b).post(
        "/api/inspection-self-reports/", payload, format="multipart"
    )
    assert response.status_code == 400 and "part" in response.json()  # not in reach at all
    from tests.builders import factories
    from trienkhai.accounts.models import Role
    from trienkhai.inspections.models import SelfReport

    viewer = factories.user("xem-a", (Role.VIEWER, world.prov_a))
    payload["file"] = _pdf()  # a fresh upload: the first one was read
    response = api(viewer).post("/api/inspection-self-reports/", payload, format="multipart")
    assert response.status_code == 403, response.content  # reaches the unit, only to read
    assert not SelfReport.objects.exists()


def test_recommendations_create_and_answer(world, concluded):
    from trienkhai.inspections.models import Recommendation

    inspection, parts, _req = concluded
    part = parts[world.commune_a.pk]
    rep, inspector = api(world.commune_rep), api(world.inspector)
    response = rep.post(
        "/api/inspection-recommendations/",
        {"part": part.pk, "text": "Đề nghị hướng dẫn thêm"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["addressed_to"]["code"] == "P-a" and body["response"] == ""
    # Addressed to a unit that is not above the inspected unit: refused, nothing created.
    for target in (world.commune_a.pk, world.prov_b.pk, 999999):
        response = rep.post(
            "/api/inspection-recommendations/",
            {"part": part.pk, "text": "X", "addressed_to": target},
            format="json",
        )
        assert response.status_code == 400 and response.json()["field"] == "addressed_to"
    response = rep.post(
        "/api/inspection-recommendations/",
        {"part": part.pk, "text": "Lên Trung ương", "addressed_to": world.root.pk},
        format="json",
    )
    assert response.status_code == 201 and response.json()["addressed_to"]["code"] == "TW"
    assert (
        rep.post(
            "/api/inspection-recommendations/", {"part": part.pk, "text": " "}, format="json"
        ).status_code
        == 400
    )
    # Other province: the part does not exist for it.
    response = api(world.inspector_b).post(
        "/api/inspection-recommendations/", {"part": part.pk, "text": "X"}, format="json"
    )
    assert response.status_code == 400
    assert Recommendation.objects.filter(part__inspection=inspection).count() == 2
    url = f"/api/inspection-recommendations/{body['id']}/answer/"
    answer = {"response": "Sẽ hướng dẫn", "responded_on": "2024-10-20", "expected_version": 1}
    assert rep.post(url, answer, format="json").status_code == 403  # not the addressee
    assert api(world.inspector_b).post(url, answer, format="json").status_code == 404
    assert inspector.post(url, {**answer, "response": ""}, format="json").status_code == 400
    response = inspector.post(url, answer, format="json")
    assert response.status_code == 200 and response.json()["response"] == "Sẽ hướng dẫn"
    assert response.json()["version"] == 2
    stale = inspector.post(url, {**answer, "response": "Khác"}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["response"] == "Sẽ hướng dẫn"
    # Reads: the sender and the inspecting side see them; another province sees nothing.
    assert rep.get("/api/inspection-recommendations/").json()["count"] == 2
    answered = inspector.get("/api/inspection-recommendations/", {"answered": "true"}).json()
    assert answered["count"] == 1
    assert api(world.viewer_b).get("/api/inspection-recommendations/").json()["count"] == 0
    assert api(world.org_rep).get("/api/inspection-recommendations/").json()["count"] == 0


def test_schema_lists_the_new_endpoints(world):
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    response = api(world.inspector).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
    paths = response.json()["paths"]
    upload = paths["/api/inspection-self-reports/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in upload
    assert "/api/inspection-recommendations/{id}/answer/" in paths
    plan = paths["/api/remediation-requests/{id}/action-plan/"]["post"]["requestBody"]
    ref = plan["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "date" in response.json()["components"]["schemas"][ref]["properties"]


def test_the_inspection_list_costs_the_same_queries_for_1_or_5_rows(world):
    """The list's query count does not grow with its rows (no query per inspection)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_list():
        client = api(world.inspector)
        with CaptureQueriesContext(connection) as ctx:
            body = client.get("/api/inspections/").json()
        return len(ctx.captured_queries), body

    new_inspection(world)
    one, body = queries_for_list()
    assert body["count"] == 1 and len(body["results"][0]["parts"]) == 2
    for _ in range(4):
        new_inspection(world)
    five, body = queries_for_list()
    assert body["count"] == 5 and all(len(r["parts"]) == 2 for r in body["results"])
    assert five == one
