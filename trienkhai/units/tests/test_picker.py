"""The unit picker: its endpoint (scoped, diacritics ignored, bounded), the reading of a picked
label, a typed name or a code, and the widget's markup (an ARIA combobox once scripted)."""

import pytest
from django import forms
from django.urls import reverse

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.tree.kinds import UnitKind
from trienkhai.units import picker

pytestmark = pytest.mark.django_db
URL = reverse("unit-pick")


@pytest.fixture
def tree():
    t = factories.small_tree()
    t["tuyphong"] = factories.unit(t["prov_a"], UnitKind.COMMUNE, "Xã Tuy Phong", "LDG-TP")
    t["tuyphong_b"] = factories.unit(t["prov_b"], UnitKind.COMMUNE, "Xã Tuy Phong", "BIN-TP")
    t["user"] = factories.user("bithu-an", (Role.COORDINATOR, t["prov_a"]))
    return t


def names(resp):
    return [(r["name"], r["code"]) for r in resp.json()["results"]]


def test_diacritics_are_ignored_and_only_units_in_reach_are_offered(client, tree):
    client.force_login(tree["user"])
    got = names(client.get(URL, {"q": "xa tuy phong"}))
    assert got == [("Xã Tuy Phong", "LDG-TP")]  # not the other province's namesake
    assert names(client.get(URL, {"q": "TUY PHÔNG"})) == got
    assert names(client.get(URL, {"q": "ldg-tp"})) == got  # codes match too
    assert names(client.get(URL, {"q": "Tỉnh Bình"})) == []
    assert names(client.get(URL, {"q": ""})) == []


def test_role_narrows_the_reach(client, tree):
    viewer = factories.user(
        "xem", (Role.VIEWER, tree["prov_a"]), (Role.COORDINATOR, tree["commune_a"])
    )
    client.force_login(viewer)
    assert names(client.get(URL, {"q": "tuy phong"})) == [("Xã Tuy Phong", "LDG-TP")]
    coordinated = names(client.get(URL, {"q": "tuy phong", "role": "coordinator"}))
    assert coordinated == []
    assert names(client.get(URL, {"q": "xa a", "role": "coordinator"})) == [("Xã a", "C-a")]
    # An unknown role is read as "viewer", never as "no restriction".
    assert names(client.get(URL, {"q": "tinh binh", "role": "bogus"})) == []


def test_results_are_bounded_and_closed_units_left_out(client, tree):
    for i in range(picker.LIMIT + 5):
        factories.unit(tree["prov_a"], UnitKind.WARD, f"Phường {i}", f"W-{i}")
    closed = factories.unit(tree["prov_a"], UnitKind.WARD, "Phường Cũ", "W-old")
    closed.valid_to = closed.valid_from
    closed.save()
    client.force_login(tree["user"])
    assert len(names(client.get(URL, {"q": "phuong"}))) == picker.LIMIT
    assert names(client.get(URL, {"q": "phuong cu"})) == []
    assert client.get(URL, {"q": "phuong", "kinds": "commune"}).json()["results"] == []


def test_anonymous_is_sent_to_login(client, tree):
    assert client.get(URL, {"q": "xa"}).status_code == 302


def test_resolve_reads_a_label_a_code_or_a_unique_name(tree):
    user = tree["user"]
    assert picker.resolve(user, "Xã Tuy Phong (LDG-TP)")[0] == tree["tuyphong"]
    assert picker.resolve(user, "LDG-TP")[0] == tree["tuyphong"]
    assert picker.resolve(user, "xa tuy phong")[0] == tree["tuyphong"]
    unit, error = picker.resolve(user, "Xã Tuy Phong (BIN-TP)")
    assert unit is None and "trong phạm vi của bạn" in error
    unit, error = picker.resolve(user, "Xã")
    assert unit is None and "khớp nhiều đơn vị" in error


def test_resolve_many_splits_on_semicolons_and_old_space_separated_codes(tree):
    units, errors = picker.resolve_many(tree["user"], "Xã a (C-a); xa tuy phong")
    assert units == [tree["commune_a"], tree["tuyphong"]] and errors == []
    units, errors = picker.resolve_many(tree["user"], "C-a LDG-TP")
    assert units == [tree["commune_a"], tree["tuyphong"]] and errors == []
    units, errors = picker.resolve_many(tree["user"], "C-a; C-b")
    assert units == [tree["commune_a"]] and len(errors) == 1


def test_widget_renders_a_labelled_input_with_its_listbox(tree):
    class F(forms.Form):
        unit = picker.UnitPickerField(label="Đơn vị", role="coordinator")
        many = picker.UnitPickerField(label="Nhiều", multiple=True, required=False)

    html = str(F(initial={"unit": tree["tuyphong"], "many": [tree["commune_a"]]}))
    assert 'value="Xã Tuy Phong (LDG-TP)"' in html and 'value="Xã a (C-a)"' in html
    assert f'data-unit-picker="{URL}?role=coordinator"' in html
    assert 'id="id_unit-options" role="listbox"' in html
    assert 'data-multiple="1"' in html


def test_grants_take_a_picked_label_in_the_administered_reach(tree):
    from trienkhai.accounts.queries import administered_unit_by_code

    admin = factories.user("quantri", (Role.ADMINISTRATOR, tree["prov_a"]))
    assert administered_unit_by_code(admin, "Xã Tuy Phong (LDG-TP)") == tree["tuyphong"]
    assert administered_unit_by_code(admin, "Xã Tuy Phong (BIN-TP)") is None
