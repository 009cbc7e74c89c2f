"""The reports API: requests and reports scoped like the pages; the draft, send, review and
issue steps with their refusals (400 in the user's words, 403, 409 on a stale version); the
consolidation."""

import datetime

from rest_framework.test import APIClient

from trienkhai.reports.models import UnitReport
from trienkhai.reports.tests.conftest import TODAY, make_request, sections


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_create_a_request_and_list_it_in_scope(w):
    api = _api(w["coord_root"])
    body = {
        "unit": w["root"].pk,
        "title": "Báo cáo năm",
        "kind": "yearly",
        "directives": [w["kl21"].pk],
        "period_start": "2022-01-01",
        "period_end": "2022-12-31",
        "deadline": (TODAY + datetime.timedelta(days=3)).isoformat(),
        "rule": "children",
        "sections": sections(),
        "figures": ["tasks_due"],
        "manual": [{"code": "DV-HT", "label": "Số đảng viên", "measure": "người"}],
    }
    bad = api.post("/api/report-requests/", {**body, "figures": ["nope"]}, format="json")
    assert bad.status_code == 400 and "nope" in bad.content.decode()
    r = api.post("/api/report-requests/", body, format="json")
    assert r.status_code == 201, r.content
    made = r.json()
    assert [i["code"] for i in made["indicators"]] == ["tasks_due", "DV-HT"]
    assert made["consolidated_report"] is not None
    # a province coordinator cannot ask on the centre's behalf
    refused = _api(w["coord_a"]).post("/api/report-requests/", body, format="json")
    assert refused.status_code == 400  # the centre is not among the units it coordinates
    listed = _api(w["viewer_b"]).get("/api/unit-reports/").json()
    assert [r["unit"]["code"] for r in listed["results"]] == ["P-b"]


def test_draft_send_accept_and_consolidate(w):
    req = make_request(w)
    report = UnitReport.objects.get(request=req, unit=w["prov_a"])
    api = _api(w["rep_a"])
    url = f"/api/unit-reports/{report.pk}/"
    r = api.post(url + "prefill/", {"expected_version": report.version}, format="json")
    assert r.status_code == 200
    body = r.json()
    ids = {f["code"]: f["indicator"] for f in body["figures"]}
    stale = api.post(url + "draft/", {"expected_version": body["version"] - 1}, format="json")
    assert stale.status_code == 409
    r = api.post(
        url + "draft/",
        {
            "expected_version": body["version"],
            "figures": {str(ids["KH-TYLE"]): ["75", ""], str(ids["DV-HT"]): ["1.234", ""]},
            "texts": {str(body["texts"][0]["section"]): "Đã quán triệt."},
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    version = r.json()["version"]
    assert {f["code"]: f["entered"] for f in r.json()["figures"]}["DV-HT"] == "1234.0000"
    r = api.post(url + "submit/", {"expected_version": version}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "submitted"
    denied = api.post(url + "accept/", {"expected_version": r.json()["version"]}, format="json")
    assert denied.status_code == 403
    boss = _api(w["coord_root"])
    refused = boss.post(url + "return/", {"expected_version": r.json()["version"]}, format="json")
    assert refused.status_code == 400  # no reason
    r = boss.post(url + "accept/", {"expected_version": r.json()["version"]}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    own = boss.get(f"/api/unit-reports/{req.answers_id}/consolidation/").json()
    assert (own["asked"], own["sent"]) == (2, 1)
    assert [m["unit"] for m in own["missing"]] == ["Tỉnh Bình"]
    lines = {line["code"]: line for line in own["lines"]}
    assert lines["DV-HT"]["children_total"] == "1234.00"
    # another province reads none of it
    assert _api(w["viewer_b"]).get(url).status_code == 404


def test_the_documents_download_in_scope(w):
    req = make_request(w)
    report = UnitReport.objects.get(request=req, unit=w["prov_a"])
    api = _api(w["rep_a"])
    api.post(f"/api/unit-reports/{report.pk}/prefill/", {"expected_version": 1}, format="json")
    docx = api.get(f"/api/unit-reports/{report.pk}/docx/")
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    annex = api.get(f"/api/unit-reports/{report.pk}/annex/")
    assert annex.status_code == 200 and annex.content[:2] == b"PK"
    assert _api(w["viewer_b"]).get(f"/api/unit-reports/{report.pk}/docx/").status_code == 404
    schema = api.get("/api/schema/").content.decode()
    assert "/api/unit-reports/{id}/annex/" in schema and "/api/report-requests/" in schema
