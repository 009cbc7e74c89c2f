"""The units API: scoped reads (outside → 404), filters, history, and reorganisations by admins."""

import datetime

import pytest
from rest_framework.test import APIClient

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.models import ChangeLogEntry
from trienkhai.tree.kinds import UnitKind
from trienkhai.units import actions
from trienkhai.units.models import Unit, UnitState

D = datetime.date


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def names(response):
    assert response.status_code == 200, response.content
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return {row["name"] for row in rows}


@pytest.fixture
def viewer_a(tree):
    return factories.user("viewer-a", (Role.VIEWER, tree["prov_a"]))


@pytest.fixture
def admin_a(tree):
    return factories.user("admin-a", (Role.ADMINISTRATOR, tree["prov_a"]))


def test_list_holds_only_the_callers_subtree(tree, viewer_a):
    assert names(api(viewer_a).get("/api/units/")) == {"Tỉnh An", "Xã a", "Đảng bộ a", "Chi bộ a"}


def test_parent_outside_reach_is_not_shown(tree, viewer_a):
    row = api(viewer_a).get(f"/api/units/{tree['prov_a'].pk}/").json()
    assert row["parent"] is None and row["kind_label"] == "Tỉnh, thành phố"
    row = api(viewer_a).get(f"/api/units/{tree['commune_a'].pk}/").json()
    assert row["parent"] == tree["prov_a"].pk


@pytest.mark.parametrize("suffix", ["", "children/", "history/", "predecessors/", "successors/"])
def test_unit_outside_reach_is_404(tree, viewer_a, suffix):
    assert api(viewer_a).get(f"/api/units/{tree['prov_b'].pk}/{suffix}").status_code == 404


def test_anonymous_is_refused(tree):
    assert APIClient().get("/api/units/").status_code in (401, 403)


def test_search_ignores_diacritics_and_scope(tree, viewer_a):
    client = api(viewer_a)
    assert names(client.get("/api/units/", {"q": "dang bo"})) == {"Đảng bộ a"}
    assert names(client.get("/api/units/", {"q": "binh"})) == set()
    assert names(client.get("/api/units/", {"q": "xa b"})) == set()


def test_filters_kind_parent_status_and_as_of(tree, admin_user):
    client = api(admin_user)
    assert names(client.get("/api/units/", {"kind": "cell"})) == {"Chi bộ a", "Chi bộ b"}
    assert names(client.get("/api/units/", {"parent": tree["prov_b"].pk})) == {"Xã b"}
    actions.dissolve_unit(None, tree["cell_b"], date=D(2024, 6, 1))
    assert names(client.get("/api/units/", {"status": "closed"})) == {"Chi bộ b"}
    assert "Chi bộ b" not in names(client.get("/api/units/", {"status": "open"}))
    assert "Chi bộ b" in names(client.get("/api/units/", {"as_of": "2024-05-31"}))
    assert "Chi bộ b" not in names(client.get("/api/units/", {"as_of": "01/06/2024"}))
    assert client.get("/api/units/", {"as_of": "hôm qua"}).status_code == 400


def test_children_today_and_as_of(tree, admin_user):
    actions.move_unit(None, tree["org_a"], new_parent=tree["commune_b"], date=D(2024, 5, 1))
    client = api(admin_user)
    url = f"/api/units/{tree['commune_a'].pk}/children/"
    assert names(client.get(url)) == set()
    past = client.get(url, {"as_of": "2024-01-01"}).json()["results"]
    assert [(r["unit"], r["has_children"]) for r in past] == [(tree["org_a"].pk, True)]
    assert names(client.get(f"/api/units/{tree['commune_b'].pk}/children/")) == {
        "Đảng bộ a",
        "Đảng bộ b",
    }
    assert client.get(url, {"as_of": "32/13/2024"}).status_code == 400


def test_roots_are_the_reach(tree, viewer_a):
    assert names(api(viewer_a).get("/api/units/roots/")) == {"Tỉnh An"}


def test_history_lists_periods_and_hides_outside_parents(tree, viewer_a):
    actions.move_unit(None, tree["org_b"], new_parent=tree["commune_a"], date=D(2024, 5, 1))
    rows = api(viewer_a).get(f"/api/units/{tree['org_b'].pk}/history/").json()
    assert [(r["valid_from"], r["valid_to"]) for r in rows] == [
        ("2020-01-01", "2024-05-01"),
        ("2024-05-01", None),
    ]
    # Before the move its parent was commune b: outside the caller's reach, so not named.
    assert rows[0]["parent"] is None and rows[0]["parent_name"] is None
    assert rows[1]["parent_name"] == "Xã a"


def test_predecessors_and_successors_of_a_merge(tree, admin_user):
    actions.merge_units(None, units=[tree["commune_a"]], into=tree["commune_b"], date=D(2025, 7, 1))
    client = api(admin_user)
    pre = client.get(f"/api/units/{tree['commune_b'].pk}/predecessors/").json()
    assert [(r["kind"], r["unit"]["name"], r["takes_work"]) for r in pre] == [
        ("merge", "Xã a", True)
    ]
    suc = client.get(f"/api/units/{tree['commune_a'].pk}/successors/").json()
    assert [r["unit"]["name"] for r in suc] == ["Xã b"]


def test_admin_creates_a_unit_in_reach(tree, admin_a):
    payload = {
        "code": "C-a2",
        "name": "Phường Mới",
        "kind": UnitKind.WARD,
        "parent": tree["prov_a"].pk,
        "valid_from": "2025-07-01",
    }
    response = api(admin_a).post("/api/units/", payload, format="json")
    assert response.status_code == 201, response.content
    unit = Unit.objects.get(code="C-a2")
    assert response.json()["id"] == unit.pk and unit.path.startswith(tree["prov_a"].path)
    assert ChangeLogEntry.objects.filter(action="units.create", object_id=str(unit.pk)).exists()


def test_invalid_placement_is_refused_in_vietnamese_and_saves_nothing(tree, admin_a):
    before = Unit.objects.count()
    payload = {
        "code": "X1",
        "name": "Chi bộ lạc chỗ",
        "kind": UnitKind.CELL,
        "parent": tree["prov_a"].pk,
        "valid_from": "2025-07-01",
    }
    response = api(admin_a).post("/api/units/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Không thể đặt đơn vị loại “Chi bộ trực thuộc” "
        "dưới đơn vị loại “Tỉnh, thành phố”.",
        "field": "parent",
    }
    assert Unit.objects.count() == before


def test_parent_outside_reach_reads_as_missing(tree, admin_a):
    payload = {
        "code": "X2",
        "name": "Xã khác",
        "kind": UnitKind.COMMUNE,
        "parent": tree["prov_b"].pk,
        "valid_from": "2025-07-01",
    }
    response = api(admin_a).post("/api/units/", payload, format="json")
    assert response.status_code == 400 and "parent" in response.json()
    assert not Unit.objects.filter(code="X2").exists()


def test_missing_fields_are_named(tree, admin_a):
    response = api(admin_a).post("/api/units/", {"name": "Không mã"}, format="json")
    assert response.status_code == 400
    assert {"code", "kind", "parent", "valid_from"} <= set(response.json())


def test_viewer_cannot_rename(tree, viewer_a):
    url = f"/api/units/{tree['commune_a'].pk}/rename/"
    response = api(viewer_a).post(url, {"name": "Xã đổi", "date": "2025-01-01"}, format="json")
    assert response.status_code == 403
    assert "không có quyền" in response.json()["detail"]
    assert Unit.objects.get(pk=tree["commune_a"].pk).name == "Xã a"


def test_rename_and_bad_date(tree, admin_a):
    client = api(admin_a)
    url = f"/api/units/{tree['commune_a'].pk}/rename/"
    bad = client.post(url, {"name": "Xã đổi", "date": "2019-01-01"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "date"
    assert "trước ngày thành lập" in bad.json()["detail"]
    ok = client.post(
        url,
        {"name": "Xã An Mới", "date": "01/03/2025", "confirm_backdated": True},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["name"] == "Xã An Mới"
    assert UnitState.objects.filter(unit=tree["commune_a"]).count() == 2


def test_move_merge_split_dissolve_through_the_api(tree, admin_user):
    client = api(admin_user)
    moved = client.post(
        f"/api/units/{tree['org_a'].pk}/move/",
        {"parent": tree["commune_b"].pk, "date": "2024-01-01", "confirm_backdated": True},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["parent"] == tree["commune_b"].pk

    merged = client.post(
        "/api/units/merge/",
        {
            "units": [tree["prov_a"].pk, tree["prov_b"].pk],
            "new_unit": {
                "code": "P-ab",
                "name": "Tỉnh An Bình",
                "kind": UnitKind.PROVINCE,
                "parent": tree["root"].pk,
            },
            "date": "2025-07-01",
            "confirm_backdated": True,
        },
        format="json",
    )
    assert merged.status_code == 200, merged.content
    new = Unit.objects.get(code="P-ab")
    assert Unit.objects.get(pk=tree["commune_a"].pk).parent_id == new.pk

    split = client.post(
        f"/api/units/{tree['commune_b'].pk}/split/",
        {
            "into": [
                {"new_unit": {"code": "S1", "name": "Xã Một", "kind": "commune", "parent": new.pk}},
                {"new_unit": {"code": "S2", "name": "Xã Hai", "kind": "commune", "parent": new.pk}},
            ],
            "work_to": 1,
            "child_targets": {str(tree["org_b"].pk): 0},
            "date": "2025-08-01",
            "confirm_backdated": True,
        },
        format="json",
    )
    assert split.status_code == 200, split.content
    assert {r["code"] for r in split.json()} == {"S1", "S2"}
    assert Unit.objects.get(pk=tree["org_b"].pk).parent.code == "S1"
    assert Unit.objects.get(pk=tree["org_a"].pk).parent.code == "S2"

    gone = client.post(
        f"/api/units/{tree['cell_a'].pk}/dissolve/",
        {"date": "2025-09-01", "confirm_backdated": True},
        format="json",
    )
    assert gone.status_code == 200 and gone.json()["valid_to"] == "2025-09-01"


def test_merge_payload_needs_exactly_one_successor(tree, admin_user):
    response = api(admin_user).post(
        "/api/units/merge/", {"units": [tree["prov_a"].pk], "date": "2025-07-01"}, format="json"
    )
    assert response.status_code == 400 and response.json()["field"] == "into"


def test_refused_merge_changes_nothing(tree, admin_user):
    """A merge into a unit inside the merged one fails after the new rows were begun: all undone."""
    before = (Unit.objects.count(), UnitState.objects.count())
    response = api(admin_user).post(
        "/api/units/merge/",
        {
            "units": [tree["commune_a"].pk],
            "into": tree["org_a"].pk,
            "date": "2025-07-01",
            "confirm_backdated": True,
        },
        format="json",
    )
    assert response.status_code == 400 and "không được nằm trong" in response.json()["detail"]
    assert (Unit.objects.count(), UnitState.objects.count()) == before
    assert Unit.objects.get(pk=tree["commune_a"].pk).valid_to is None


def test_split_with_a_child_target_that_is_not_a_successor_is_a_400(tree, admin_user):
    before = Unit.objects.count()
    response = api(admin_user).post(
        f"/api/units/{tree['commune_b'].pk}/split/",
        {
            "into": [
                {"new_unit": {"code": "S1", "name": "Xã Một", "kind": "commune",
                              "parent": tree["prov_b"].pk}},
                {"new_unit": {"code": "S2", "name": "Xã Hai", "kind": "commune",
                              "parent": tree["prov_b"].pk}},
            ],
            "child_targets": {str(tree["org_b"].pk): 5},
            "date": "2025-08-01",
            "confirm_backdated": True,
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["field"] == "child_targets" and response.json()["detail"]
    assert Unit.objects.count() == before


def test_children_as_of_cost_the_same_queries_for_one_child_and_for_many(tree, admin_user):
    """Each row prints its parent's name: it is joined, not read once per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(admin_user)
    url = f"/api/units/{tree['commune_a'].pk}/children/"
    as_of = {"as_of": "2024-01-01"}

    def count():
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url, as_of).json()
        rows = body["results"] if isinstance(body, dict) else body
        return len(queries), len(rows)

    count()
    before = count()
    for i in range(4):
        factories.unit(tree["commune_a"], UnitKind.GRASSROOTS, f"Đảng bộ thêm {i}", f"G-q{i}")
    after = count()
    assert after[1] == before[1] + 4 and after[0] == before[0], (before, after)
