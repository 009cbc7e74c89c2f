"""Reorganisations: dates inside 1930–2100 only, and one dated more than 30 days back needs an
explicit confirmation from the person (a checkbox on the page, `confirm_backdated` in the API)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from trienkhai.core.actions import ActionError
from trienkhai.tree.kinds import UnitKind
from trienkhai.units import actions
from trienkhai.units.models import Reorganisation, Unit, UnitState
from trienkhai.units.tests.test_import import prov_admin, run  # noqa: F401 - the fixture
from trienkhai.units.tests.test_views import admin_a  # noqa: F401 - the fixture

D = datetime.date
RANGE = "từ 01/01/1930 đến 31/12/2100"
WARNING = "hơn 30 ngày"


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def history():
    return (
        Reorganisation.objects.count(),
        UnitState.objects.count(),
        list(Unit.objects.order_by("pk").values_list("name", "parent_id", "valid_to")),
    )


# --- the action ------------------------------------------------------------------------------


def test_a_person_must_confirm_a_rename_dated_long_ago(tree, admin_a):  # noqa: F811
    before = history()
    with pytest.raises(actions.BackdateUnconfirmed) as exc:
        actions.rename_unit(admin_a, tree["commune_a"], name="Xã An Mới", date=days_ago(31))
    assert exc.value.field == "confirm_backdated" and WARNING in str(exc.value.message)
    assert history() == before
    actions.rename_unit(
        admin_a, tree["commune_a"], name="Xã An Mới", date=days_ago(31), confirm_backdated=True
    )
    assert Unit.objects.get(pk=tree["commune_a"].pk).name == "Xã An Mới"


def test_a_recent_date_and_the_system_need_no_confirmation(tree, admin_a):  # noqa: F811
    actions.rename_unit(admin_a, tree["commune_a"], name="Xã An Mới", date=days_ago(30))
    # No person to ask: the demo loader and scripted set-ups replay history as given.
    actions.dissolve_unit(None, tree["cell_b"], date=D(2021, 1, 1))
    assert Unit.objects.get(pk=tree["cell_b"].pk).valid_to == D(2021, 1, 1)


@pytest.mark.parametrize("day", [D(1, 1, 1), D(9999, 12, 31), D(2101, 1, 1)])
def test_reorganisations_and_new_units_refuse_a_date_out_of_range(tree, admin_a, day):  # noqa: F811
    before = history()
    with pytest.raises(ActionError) as exc:
        actions.move_unit(
            admin_a, tree["org_a"], new_parent=tree["commune_a"], date=day, confirm_backdated=True
        )
    assert exc.value.field == "date" and RANGE in str(exc.value.message)
    with pytest.raises(ActionError) as exc:
        actions.create_unit(
            None, code="NEW", name="Mới", kind=UnitKind.PROVINCE, parent=None, valid_from=day
        )
    assert exc.value.field == "valid_from" and RANGE in str(exc.value.message)
    assert history() == before


# --- the API ---------------------------------------------------------------------------------


def _payloads(tree):
    return {
        "rename": (f"/api/units/{tree['commune_a'].pk}/rename/", {"name": "Xã An Mới"}),
        "move": (f"/api/units/{tree['org_a'].pk}/move/", {"parent": tree["commune_b"].pk}),
        "merge": (
            "/api/units/merge/",
            {"units": [tree["commune_a"].pk], "into": tree["commune_b"].pk},
        ),
        "split": (
            f"/api/units/{tree['commune_a'].pk}/split/",
            {
                "into": [
                    {
                        "new_unit": {
                            "code": "S1",
                            "name": "Xã Một",
                            "kind": "commune",
                            "parent": None,
                        }
                    },
                    {
                        "new_unit": {
                            "code": "S2",
                            "name": "Xã Hai",
                            "kind": "commune",
                            "parent": None,
                        }
                    },
                ],
            },
        ),
        "dissolve": (f"/api/units/{tree['cell_a'].pk}/dissolve/", {}),
    }


@pytest.mark.parametrize("op", ["rename", "move", "merge", "split", "dissolve"])
def test_the_api_refuses_a_backdated_reorganisation_until_confirmed(tree, admin_user, op):
    url, payload = _payloads(tree)[op]
    if op == "split":
        for spec in payload["into"]:
            spec["new_unit"]["parent"] = tree["prov_a"].pk
    client = api(admin_user)
    payload = {**payload, "date": days_ago(45).isoformat()}
    before = history()
    refused = client.post(url, payload, format="json")
    assert refused.status_code == 400, refused.content
    assert refused.json()["field"] == "confirm_backdated"
    assert WARNING in refused.json()["detail"]
    assert history() == before
    done = client.post(url, {**payload, "confirm_backdated": True}, format="json")
    assert done.status_code == 200, done.content
    assert history() != before


def test_the_api_refuses_a_date_out_of_range(tree, admin_user):
    client = api(admin_user)
    before = history()
    for raw in ("0001-01-01", "9999-12-31"):
        r = client.post(
            f"/api/units/{tree['commune_a'].pk}/rename/",
            {"name": "X", "date": raw, "confirm_backdated": True},
            format="json",
        )
        assert r.status_code == 400 and RANGE in r.json()["date"][0]
    r = client.get(f"/api/units/{tree['root'].pk}/children/", {"as_of": "0001-01-01"})
    assert r.status_code == 400 and RANGE in str(r.json())
    r = client.get("/api/units/", {"as_of": "9999-12-31"})
    assert r.status_code == 400 and RANGE in str(r.json())
    assert history() == before


# --- the page --------------------------------------------------------------------------------


def _post(client, unit, op, **data):
    return client.post(
        reverse("unit-reorganise", args=[unit.pk, op]), {f"{op}-{k}": v for k, v in data.items()}
    )


def test_the_page_asks_for_confirmation_then_applies(client, tree, admin_a):  # noqa: F811
    client.force_login(admin_a)
    unit = tree["commune_a"]
    page = client.get(reverse("unit-detail", args=[unit.pk])).content.decode()
    assert 'type="hidden" name="rename-confirm_backdated"' in page
    assert 'type="checkbox" name="rename-confirm_backdated"' not in page
    typed = days_ago(60).strftime("%d/%m/%Y")
    before = history()
    asked = _post(client, unit, "rename", name="Xã An Mới", date=typed)
    body = asked.content.decode()
    assert asked.status_code == 200 and WARNING in body and typed in body
    assert 'type="checkbox" name="rename-confirm_backdated"' in body
    assert history() == before
    done = _post(client, unit, "rename", name="Xã An Mới", date=typed, confirm_backdated="on")
    assert done.status_code == 302
    assert Unit.objects.get(pk=unit.pk).name == "Xã An Mới"


def test_the_page_applies_a_recent_date_at_once(client, tree, admin_a):  # noqa: F811
    client.force_login(admin_a)
    typed = days_ago(3).strftime("%d/%m/%Y")
    r = _post(client, tree["cell_a"], "dissolve", successor_code="", date=typed)
    assert r.status_code == 302
    assert Unit.objects.get(pk=tree["cell_a"].pk).valid_to == days_ago(3)


def test_the_page_refuses_a_date_out_of_range(client, tree, admin_a):  # noqa: F811
    client.force_login(admin_a)
    before = history()
    r = _post(client, tree["commune_a"], "rename", name="X", date="01/01/0001")
    assert r.status_code == 200 and RANGE in r.content.decode()
    assert history() == before


# --- the import ------------------------------------------------------------------------------


def test_an_imported_row_dated_out_of_range_is_reported(tree, prov_admin):  # noqa: F811
    before = Unit.objects.count()
    result = run(prov_admin, [["X-1", "Xã Một", "", "commune", "P-a", "01/01/0001"]])
    assert not result.ok and RANGE in result.errors[0].message
    assert Unit.objects.count() == before
