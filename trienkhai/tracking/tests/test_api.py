"""Tracking API: roll-up, coverage, overdue and reads — scoped, 404 outside, in the schema."""

import datetime
import random

import pytest
from django.urls import include, path
from rest_framework.test import APIClient

from tests.builders import bulk, factories
from trienkhai.accounts.models import Role
from trienkhai.tracking.api.rollups import RollupSerializer
from trienkhai.tracking.models import Assignment, ProgressReport
from trienkhai.tracking.status import Status, assignment_status
from trienkhai.units.models import Unit

D = datetime.date
AS_OF = "2022-06-01"

# Only the API's URLs: these tests do not depend on the pages other apps mount in urls.py.
urlpatterns = [path("api/", include("trienkhai.api_urls"))]
pytestmark = pytest.mark.urls(__name__)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def data(tree):
    root = tree["root"]
    units = list(Unit.objects.all())
    directive = bulk.directive(root)
    plan = bulk.plan(directive, root)
    task, occ = bulk.task(plan, due=D(2022, 3, 31))
    bulk.assign(task, occ, units, rng=random.Random(3))
    req, req_occ = bulk.task(plan, due=D(2021, 12, 31), requires_plan=True)

    def issued(u):
        # Province A and its commune issued on time; B's commune late; the rest not yet.
        if u in (tree["prov_a"], tree["commune_a"]):
            return D(2021, 12, 1), D(2021, 12, 15)
        if u == tree["commune_b"]:
            return D(2021, 12, 1), D(2022, 2, 1)
        return None, None

    bulk.assign(
        req,
        req_occ,
        [tree["prov_a"], tree["commune_a"], tree["prov_b"], tree["commune_b"]],
        dates=issued,
    )
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(assignment=a, reported_on=a.due, percent=a.percent)
            for a in Assignment.objects.all()
        ]
    )
    return {**tree, "directive": directive, "plan": plan, "task": task, "req": req}


@pytest.fixture
def viewer_a(data):
    return factories.user("viewer-a", (Role.VIEWER, data["prov_a"]))


def test_rollup_children_counts_and_coverage(data, admin_user):
    r = api(admin_user).get(
        "/api/rollup/", {"directive": data["directive"].pk, "unit": data["root"].pk, "as_of": AS_OF}
    )
    assert r.status_code == 200, r.content
    body = r.json()
    lines = {(line["unit"] or {}).get("name"): line for line in body["children"]}
    assert set(lines) == {"Trung ương", "Tỉnh An", "Tỉnh Bình", "Ban Tổ chức Trung ương"}
    assert lines["Trung ương"]["own"] is True
    as_of = D(2022, 6, 1)
    prov_a = data["prov_a"].path
    expected = dict.fromkeys(Status.ORDER, 0)
    for a in Assignment.objects.filter(unit_path__startswith=prov_a):
        expected[assignment_status(a, as_of)] += 1
    assert lines["Tỉnh An"]["counts"] == expected
    assert lines["Tỉnh An"]["coverage"] == {"total": 2, "met": 2, "late": 0, "percent": "100"}
    assert lines["Tỉnh Bình"]["coverage"] == {"total": 2, "met": 1, "late": 1, "percent": "50"}
    assert body["coverage_text"] == "3/4 đơn vị đã ban hành kế hoạch (75%)"
    assert sum(body["totals"].values()) == Assignment.objects.count()
    assert [s["key"] for s in body["statuses"]] == list(Status.ORDER)
    # Built as plain data, the answer is still what its documented shape says.
    assert body["as_of"] == "2022-06-01"
    shape = RollupSerializer(data=body)
    assert shape.is_valid(), shape.errors
    assert RollupSerializer(shape.validated_data).data == body


def test_rollup_as_of_changes_statuses(data, admin_user):
    def overdue_on(day):
        r = api(admin_user).get("/api/rollup/", {"unit": data["root"].pk, "as_of": day})
        return r.json()["totals"]["overdue"]

    assert overdue_on("2022-01-01") < overdue_on("2022-06-01")
    assert (
        api(admin_user)
        .get("/api/rollup/", {"unit": data["root"].pk, "as_of": "01/06/2022"})
        .status_code
        == 200
    )


def test_rollup_bad_or_missing_parameters(data, admin_user):
    client = api(admin_user)
    assert client.get("/api/rollup/").status_code == 400
    r = client.get("/api/rollup/", {"unit": data["root"].pk, "as_of": "31/02/2022"})
    assert r.status_code == 400 and "as_of" in r.json()
    assert client.get("/api/rollup/", {"unit": 999999}).status_code == 404


def test_out_of_scope_unit_and_directive_are_404(data, viewer_a):
    client = api(viewer_a)
    for url in ("/api/rollup/", "/api/coverage/", "/api/overdue/"):
        assert client.get(url, {"unit": data["prov_b"].pk}).status_code == 404
        assert client.get(url, {"unit": data["root"].pk}).status_code == 404
        assert client.get(url, {"unit": data["prov_a"].pk}).status_code == 200
    other = bulk.directive(data["prov_b"])
    r = client.get("/api/rollup/", {"unit": data["prov_a"].pk, "directive": other.pk})
    assert r.status_code == 404


def test_province_user_sees_only_its_province(data, viewer_a):
    client = api(viewer_a)
    b_units = set(
        Unit.objects.filter(path__startswith=data["prov_b"].path).values_list("pk", flat=True)
    )
    rows = client.get("/api/assignments/", {"limit": 500}).json()["results"]
    assert rows and not {row["unit"]["id"] for row in rows} & b_units
    assert len(rows) == Assignment.objects.filter(unit_path__startswith=data["prov_a"].path).count()
    b_assignment = Assignment.objects.filter(unit=data["prov_b"]).first()
    assert client.get(f"/api/assignments/{b_assignment.pk}/").status_code == 404
    b_report = ProgressReport.objects.filter(assignment=b_assignment).first()
    assert client.get(f"/api/reports/{b_report.pk}/").status_code == 404
    reports = client.get("/api/reports/", {"limit": 500}).json()["results"]
    assert {r["assignment"] for r in reports} == {row["id"] for row in rows}
    overdue = client.get("/api/overdue/", {"unit": data["prov_a"].pk, "as_of": "2023-01-01"}).json()
    assert overdue["results"] and all(r["unit"]["id"] not in b_units for r in overdue["results"])
    cov = client.get("/api/coverage/", {"unit": data["prov_a"].pk, "as_of": AS_OF}).json()
    assert cov["text"] == "2/2 đơn vị đã ban hành kế hoạch (100%)"


def test_coverage_lists_who_has_not_issued(data, admin_user):
    r = api(admin_user).get(
        "/api/coverage/", {"unit": data["root"].pk, "task": data["req"].pk, "as_of": AS_OF}
    )
    body = r.json()
    assert (body["total"], body["met"], body["late"], body["missing_count"]) == (4, 3, 1, 1)
    assert body["missing"] == [
        {
            "unit": {"id": data["prov_b"].pk, "code": "P-b", "name": "Tỉnh Bình"},
            "full_path": "Trung ương › Tỉnh Bình",
            "due": "2021-12-31",
        }
    ]


def test_overdue_oldest_first_with_full_path(data, admin_user):
    r = api(admin_user).get(
        "/api/overdue/", {"unit": data["root"].pk, "as_of": "2023-01-01", "limit": 100}
    )
    rows = r.json()["results"]
    dues = [row["due"] for row in rows]
    assert dues == sorted(dues) and rows
    cell = next(row for row in rows if row["unit"]["id"] == data["cell_a"].pk)
    assert cell["full_path"] == "Trung ương › Tỉnh An › Xã a › Đảng bộ a › Chi bộ a"
    assert (
        api(admin_user).get("/api/overdue/", {"unit": data["root"].pk, "limit": 0}).status_code
        == 400
    )


def test_assignment_status_filter(data, admin_user):
    r = api(admin_user).get(
        "/api/assignments/", {"status": "overdue", "as_of": AS_OF, "limit": 500}
    )
    rows = r.json()["results"]
    as_of = D(2022, 6, 1)
    expected = {
        a.pk for a in Assignment.objects.all() if assignment_status(a, as_of) == Status.OVERDUE
    }
    assert {row["id"] for row in rows} == expected
    assert all(row["status"] == "overdue" for row in rows)


def test_plans_and_tasks_readable_below(data, viewer_a, admin_user):
    client = api(viewer_a)
    plans = client.get("/api/plans/").json()["results"]
    assert [p["id"] for p in plans] == [data["plan"].pk]
    tasks = client.get("/api/tasks/", {"plan": data["plan"].pk}).json()["results"]
    assert {t["id"] for t in tasks} == {data["task"].pk, data["req"].pk}
    assert client.get(f"/api/tasks/{data['task'].pk}/").json()["lead_unit"]["name"] == "Trung ương"
    # A sibling province's plan is out of reach.
    b_plan = bulk.plan(data["directive"], data["prov_b"])
    assert client.get(f"/api/plans/{b_plan.pk}/").status_code == 404
    assert api(admin_user).get(f"/api/plans/{b_plan.pk}/").status_code == 200


def test_schema_lists_tracking_endpoints(admin_user):
    r = api(admin_user).get("/api/schema/", {"format": "json"})
    assert r.status_code == 200
    paths = r.json()["paths"] if r["content-type"].startswith("application/json") else None
    text = r.content.decode()
    for url in (
        "/api/rollup/",
        "/api/coverage/",
        "/api/overdue/",
        "/api/plans/",
        "/api/assignments/",
        "/api/reports/",
    ):
        assert url in (paths or text)


# --- writes through tracking.actions -----------------------------------------------------


def test_plan_task_assign_report_review_through_the_api(tree):
    from trienkhai.tracking.tests.test_actions import doc, kl21

    coordinator = factories.user("coord-root", (Role.COORDINATOR, tree["root"]))
    reporter = factories.user("reporter-a", (Role.REPORTER, tree["prov_a"]))
    viewer_b = factories.user("viewer-b", (Role.VIEWER, tree["prov_b"]))
    directive, plan_doc = kl21(tree), doc(tree["root"])
    client = api(coordinator)
    r = client.post(
        "/api/plans/", {"document": plan_doc.pk, "implements": directive.pk}, format="json"
    )
    assert r.status_code == 201, r.content
    plan_id = r.json()["id"]
    assert r.json()["directive"] == directive.pk
    r = client.post(
        "/api/tasks/",
        {
            "plan": plan_id,
            "title": "Ban hành kế hoạch thực hiện",
            "lead_unit": tree["root"].pk,
            "deadline_text": "tháng 12/2021",
            "requires_plan": True,
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    task_id = r.json()["id"]
    assert r.json()["deadline"] == "2021-12-31"
    bad = client.post(
        "/api/tasks/",
        {"plan": plan_id, "title": "x", "lead_unit": tree["root"].pk, "deadline_text": "mai"},
        format="json",
    )
    assert bad.status_code == 400 and "detail" in bad.json()
    # A viewer of another province may read the task but not assign it.
    assert (
        api(viewer_b).post(f"/api/tasks/{task_id}/assign/", {"rule": "children"}).status_code == 403
    )
    r = client.post(f"/api/tasks/{task_id}/assign/", {"rule": "children"}, format="json")
    assert r.status_code == 200 and r.json()["created"] == 3  # two provinces and the commission
    mine = Assignment.objects.get(task_id=task_id, unit=tree["prov_a"])
    theirs = Assignment.objects.get(task_id=task_id, unit=tree["prov_b"])
    rep = api(reporter)
    payload = {"reported_on": "2021-12-20", "percent": 100, "done": True}
    assert rep.post(f"/api/assignments/{theirs.pk}/report/", payload).status_code == 404
    stale = rep.post(
        f"/api/assignments/{mine.pk}/report/", {**payload, "expected_version": 99}, format="json"
    )
    assert stale.status_code == 409 and "current" in stale.json()
    r = rep.post(
        f"/api/assignments/{mine.pk}/report/",
        {**payload, "expected_version": mine.version},
        format="json",
    )
    assert r.status_code == 201, r.content
    report_id = r.json()["id"]
    mine.refresh_from_db()
    assert (mine.completed_on, mine.claimed_on) == (None, D(2021, 12, 20))
    awaiting = client.get(
        "/api/rollup/", {"unit": tree["root"].pk, "directive": directive.pk, "as_of": "2022-01-05"}
    ).json()
    assert awaiting["totals"]["awaiting_review"] == 1 and awaiting["totals"]["done_on_time"] == 0
    r = client.post(
        f"/api/reports/{report_id}/review/",
        {"accept": True, "expected_version": r.json()["version"]},
        format="json",
    )
    assert r.status_code == 200 and r.json()["state"] == "accepted"
    rollup = client.get(
        "/api/rollup/", {"unit": tree["root"].pk, "directive": directive.pk, "as_of": "2022-01-05"}
    ).json()
    assert rollup["totals"]["done_on_time"] == 1 and rollup["totals"]["overdue"] == 2
    assert rollup["coverage_text"] == "1/3 đơn vị đã ban hành kế hoạch (33,3%)"


def test_an_offset_no_database_holds_is_a_400(tree):
    client = api(factories.user("huge-offset", superuser=True))
    response = client.get(
        "/api/overdue/", {"unit": tree["root"].pk, "offset": "999999999999999999999"}
    )
    assert response.status_code == 400 and response.json()["offset"][0]
