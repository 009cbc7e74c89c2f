"""Fan-out: who gets a task under each rule, only inside the plan's subtree, once, logged."""

import datetime

import pytest

from trienkhai.core.actions import ActionError
from trienkhai.core.context import acting_as
from trienkhai.core.models import ChangeLogEntry
from trienkhai.testing import factories
from trienkhai.tracking import actions
from trienkhai.tracking.models import Assignment
from trienkhai.tracking.tests.test_actions import central_plan, doc, one_off
from trienkhai.units import actions as unit_actions
from trienkhai.units.kinds import UnitKind

D = datetime.date


def assigned(task):
    return set(Assignment.objects.filter(task=task).values_list("unit__code", flat=True))


def test_children_rule_skips_closed_units(tree):
    task = one_off(central_plan(tree))
    unit_actions.dissolve_unit(None, tree["office"], date=D(2021, 11, 1))
    assert actions.assign(None, task, rule="children") == 2
    assert assigned(task) == {"P-a", "P-b"}


def test_kind_rule_reaches_every_level_below(tree):
    task = one_off(central_plan(tree))
    assert actions.assign(None, task, rule="kind", kind=UnitKind.CELL) == 2
    assert assigned(task) == {"CB-a", "CB-b"}
    with pytest.raises(ActionError) as err:
        actions.assign(None, task, rule="kind", kind="planet")
    assert err.value.field == "kind"


def test_explicit_units_and_copied_fields(tree):
    plan = central_plan(tree)
    task = one_off(plan, requires_plan=True)
    assert actions.assign(None, task, units=[tree["commune_a"], tree["org_b"].pk]) == 2
    row = Assignment.objects.get(task=task, unit=tree["commune_a"])
    assert row.unit_path == tree["commune_a"].path
    assert (row.directive_id, row.assigned_by_id) == (plan.directive_id, plan.unit_id)
    assert (row.due, row.requires_plan, row.version) == (D(2022, 3, 31), True, 1)


def test_fan_out_is_idempotent_per_occurrence(tree):
    task = one_off(central_plan(tree), "hằng quý", horizon=D(2022, 12, 31))
    assert actions.assign(None, task, rule="children") == 3 * 5
    assert actions.assign(None, task, rule="children") == 0
    assert actions.assign(None, task, rule="kind", kind=UnitKind.PROVINCE) == 0
    assert actions.assign(None, task, rule="kind", kind=UnitKind.COMMUNE) == 2 * 5
    assert Assignment.objects.filter(task=task).count() == 5 * 5


def test_cannot_assign_outside_the_plan_unit(tree):
    central = central_plan(tree)
    province = actions.register_plan(None, doc(tree["prov_a"], issuer="TU"), implements=central)
    task = one_off(province)
    with pytest.raises(ActionError) as err:
        actions.assign(None, task, units=[tree["commune_a"], tree["commune_b"]])
    assert "Xã b" in err.value.message and "Xã a" not in err.value.message
    with pytest.raises(ActionError):
        actions.assign(None, task, units=[999999])
    assert not Assignment.objects.filter(task=task).exists()
    # By rule, the other province's units are simply not selected.
    assert actions.assign(None, task, rule="kind", kind=UnitKind.COMMUNE) == 1
    assert assigned(task) == {"C-a"}


def test_unknown_rule_and_empty_list_are_refused(tree):
    task = one_off(central_plan(tree))
    for kwargs in ({"rule": "everyone"}, {"units": []}, {}):
        with pytest.raises(ActionError):
            actions.assign(None, task, **kwargs)


def test_each_new_assignment_is_logged_in_bulk(tree):
    user = factories.user("coord", ("coordinator", tree["root"]))
    task = one_off(central_plan(tree), "hằng năm từ 2022", horizon=D(2023, 12, 31))
    with acting_as(user, "req-fanout"):
        created = actions.assign(user, task, rule="kind", kind=UnitKind.GRASSROOTS)
    rows = ChangeLogEntry.objects.filter(action="tracking.assign")
    assert created == 4 and rows.count() == 4
    ids = set(Assignment.objects.filter(task=task).values_list("pk", flat=True))
    assert {int(r.object_id) for r in rows} == ids
    entry = rows.get(
        object_id=str(Assignment.objects.get(task=task, unit=tree["org_a"], due=D(2022, 12, 31)).pk)
    )
    assert (entry.user, entry.user_name, entry.request_id) == (user, "coord", "req-fanout")
    assert entry.unit_id == tree["org_a"].pk and entry.after["due"] == "2022-12-31"
    summary = ChangeLogEntry.objects.get(action="tracking.assign_task")
    assert summary.after["created"] == 4
    actions.assign(user, task, rule="kind", kind=UnitKind.GRASSROOTS)
    assert rows.count() == 4


def test_extend_occurrences_gives_new_periods_to_the_same_units(tree):
    task = one_off(central_plan(tree), "hằng năm từ 2022", horizon=D(2022, 12, 31))
    actions.assign(None, task, units=[tree["prov_a"], tree["commune_b"]])
    assert actions.extend_occurrences(None, task, horizon=D(2024, 12, 31)) == 4
    dues = sorted(set(Assignment.objects.filter(task=task).values_list("due", flat=True)))
    assert dues == [D(2022, 12, 31), D(2023, 12, 31), D(2024, 12, 31)]
    assert assigned(task) == {"P-a", "C-b"}
    assert actions.extend_occurrences(None, task, horizon=D(2024, 12, 31)) == 0


def test_plan_issued_before_the_assignment_meets_it_at_once(tree):
    central = central_plan(tree)
    province_doc = doc(tree["prov_a"], issuer="TU", date=D(2021, 12, 20))
    actions.register_plan(None, province_doc, implements=central)
    task = one_off(central, "tháng 12/2021", requires_plan=True)
    actions.assign(None, task, rule="children")
    a = Assignment.objects.get(task=task, unit=tree["prov_a"])
    b = Assignment.objects.get(task=task, unit=tree["prov_b"])
    assert (a.completed_on, a.fulfilled_by_id) == (D(2021, 12, 20), province_doc.pk)
    assert b.completed_on is None
