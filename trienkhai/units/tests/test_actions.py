import datetime

import pytest

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError
from trienkhai.core.models import ChangeLogEntry
from trienkhai.tree.kinds import UnitKind
from trienkhai.tree.paths import subtree_q
from trienkhai.units import actions
from trienkhai.units.models import Reorganisation, Unit, UnitState

D = datetime.date


def refresh(*units):
    return [Unit.objects.get(pk=u.pk) for u in units]


def test_paths_follow_parents(tree):
    prov, commune, cell = refresh(tree["prov_a"], tree["commune_a"], tree["cell_a"])
    assert commune.path.startswith(prov.path) and cell.path.startswith(commune.path)
    assert cell.depth == 4
    inside = set(Unit.objects.filter(subtree_q(prov.path)).values_list("code", flat=True))
    assert inside == {"P-a", "C-a", "G-a", "CB-a"}


def test_move_rewrites_subtree_paths_and_keeps_history(tree):
    org = tree["org_a"]
    actions.move_unit(None, org, new_parent=tree["commune_b"], date=D(2024, 5, 1))
    org, cell, commune_b = refresh(org, tree["cell_a"], tree["commune_b"])
    assert org.path.startswith(commune_b.path) and cell.path.startswith(org.path)
    assert cell.depth == org.depth + 1
    old = UnitState.objects.get(unit=org, valid_from=factories.START)
    assert old.parent_id == tree["commune_a"].pk and old.valid_to == D(2024, 5, 1)
    new = UnitState.objects.get(unit=org, valid_to__isnull=True)
    assert new.parent_id == commune_b.pk


def test_move_under_own_descendant_is_refused(tree):
    with pytest.raises(ActionError) as err:
        actions.move_unit(None, tree["commune_a"], new_parent=tree["org_a"], date=D(2024, 1, 1))
    assert "trực thuộc" in str(err.value.message)
    assert Unit.objects.get(pk=tree["commune_a"].pk).parent_id == tree["prov_a"].pk


def test_kind_placed_where_it_cannot_live_is_refused(tree):
    with pytest.raises(ActionError) as err:
        actions.move_unit(None, tree["cell_a"], new_parent=tree["prov_b"], date=D(2024, 1, 1))
    assert err.value.field == "parent"
    with pytest.raises(ActionError):
        factories.unit(tree["root"], UnitKind.CELL)


def test_merge_moves_children_and_files_closed_unit_under_successor(tree):
    a, b = tree["prov_a"], tree["prov_b"]
    successor = actions.merge_units(None, units=[a, b], into=b, date=D(2025, 7, 1))
    a, commune_a, b = refresh(a, tree["commune_a"], b)
    assert a.valid_to == D(2025, 7, 1) and b.valid_to is None and successor.pk == b.pk
    assert commune_a.parent_id == b.pk and commune_a.path.startswith(b.path)
    assert a.path.startswith(b.path)
    op = Reorganisation.objects.get(kind="merge")
    assert [(link.predecessor_id, link.successor_id) for link in op.links.all()] == [(a.pk, b.pk)]
    # As of 2024 the commune was under province a.
    assert UnitState.objects.get(unit=commune_a, valid_to=D(2025, 7, 1)).parent_id == a.pk


def test_merge_into_new_unit(tree):
    new = actions.merge_units(
        None,
        units=[tree["commune_a"]],
        into={"code": "NEW", "name": "Xã mới", "kind": UnitKind.COMMUNE, "parent": tree["prov_a"]},
        date=D(2025, 7, 1),
    )
    (org,) = refresh(tree["org_a"])
    assert org.parent_id == new.pk


def test_split_distributes_children(tree):
    commune = tree["commune_a"]
    extra = factories.unit(commune, UnitKind.GRASSROOTS, "Đảng bộ thêm")
    spec = {"kind": UnitKind.COMMUNE, "parent": tree["prov_a"]}
    s1, s2 = actions.split_unit(
        None,
        commune,
        into=[{"code": "S1", "name": "Xã Một", **spec}, {"code": "S2", "name": "Xã Hai", **spec}],
        work_to=1,
        child_targets={extra.pk: 0},
        date=D(2025, 7, 1),
    )
    org, extra, commune = refresh(tree["org_a"], extra, commune)
    assert org.parent_id == s2.pk and extra.parent_id == s1.pk
    assert commune.valid_to == D(2025, 7, 1)


def test_dissolve_with_open_children_needs_successor(tree):
    with pytest.raises(ActionError):
        actions.dissolve_unit(None, tree["commune_a"], date=D(2025, 7, 1))
    assert Unit.objects.get(pk=tree["commune_a"].pk).valid_to is None
    actions.dissolve_unit(None, tree["cell_b"], date=D(2025, 7, 1))
    assert Unit.objects.get(pk=tree["cell_b"].pk).valid_to == D(2025, 7, 1)


def test_every_write_is_logged_with_before_and_after(tree):
    unit = tree["commune_a"]
    actions.rename_unit(None, unit, name="Phường An", date=D(2023, 1, 1))
    entry = ChangeLogEntry.objects.filter(action="units.rename", object_id=str(unit.pk)).get()
    assert entry.before["name"] == "Xã a" and entry.after["name"] == "Phường An"
    assert entry.unit_id == unit.pk and len(entry.request_id) == 32


def test_change_log_cannot_be_edited(tree):
    entry = ChangeLogEntry.objects.first()
    entry.object_repr = "tampered"
    with pytest.raises(Exception):  # noqa: B017 - app guard or database trigger
        entry.save()
    with pytest.raises(Exception):  # noqa: B017
        ChangeLogEntry.objects.filter(pk=entry.pk).update(object_repr="x")


def test_rename_requires_administrator_in_scope(tree):
    outsider = factories.user("outsider", (Role.ADMINISTRATOR, tree["prov_b"]))
    with pytest.raises(ActionError):
        actions.rename_unit(outsider, tree["commune_a"], name="X", date=D(2023, 1, 1))
    insider = factories.user("insider", (Role.ADMINISTRATOR, tree["prov_a"]))
    actions.rename_unit(
        insider, tree["commune_a"], name="Xã Mới", date=D(2023, 1, 1), confirm_backdated=True
    )
    entry = ChangeLogEntry.objects.filter(action="units.rename").get()
    assert entry.user_id == insider.pk
