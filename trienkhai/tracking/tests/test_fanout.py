"""Fan-out: who gets a task under each rule, only inside the plan's subtree, once, logged."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.builders import factories
from trienkhai.core.actions import ActionError, record
from trienkhai.core.context import acting_as
from trienkhai.core.models import ChangeLogEntry
from trienkhai.core.queries import history_for
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.models import Assignment
from trienkhai.tracking.tests.test_actions import central_plan, doc, one_off
from trienkhai.tree.kinds import UnitKind
from trienkhai.units import actions as unit_actions

D = datetime.date


def assigned(task):
    return set(Assignment.objects.filter(task=task).values_list("unit__code", flat=True))


def test_children_rule_skips_closed_units(tree):
    task = one_off(central_plan(tree))
    unit_actions.dissolve_unit(None, tree["office"], date=D(2021, 11, 1))
    assert assign_actions.assign(None, task, rule="children") == 2
    assert assigned(task) == {"P-a", "P-b"}


def test_kind_rule_reaches_every_level_below(tree):
    task = one_off(central_plan(tree))
    assert assign_actions.assign(None, task, rule="kind", kind=UnitKind.CELL) == 2
    assert assigned(task) == {"CB-a", "CB-b"}
    with pytest.raises(ActionError) as err:
        assign_actions.assign(None, task, rule="kind", kind="planet")
    assert err.value.field == "kind"


def test_explicit_units_and_copied_fields(tree):
    plan = central_plan(tree)
    task = one_off(plan, requires_plan=True)
    assert assign_actions.assign(None, task, units=[tree["commune_a"], tree["org_b"].pk]) == 2
    row = Assignment.objects.get(task=task, unit=tree["commune_a"])
    assert row.unit_path == tree["commune_a"].path
    assert (row.directive_id, row.assigned_by_id) == (plan.directive_id, plan.unit_id)
    assert (row.due, row.requires_plan, row.version) == (D(2022, 3, 31), True, 1)


def test_fan_out_is_idempotent_per_occurrence(tree):
    task = one_off(central_plan(tree), "hằng quý", horizon=D(2022, 12, 31))
    assert assign_actions.assign(None, task, rule="children") == 3 * 5
    assert assign_actions.assign(None, task, rule="children") == 0
    assert assign_actions.assign(None, task, rule="kind", kind=UnitKind.PROVINCE) == 0
    assert assign_actions.assign(None, task, rule="kind", kind=UnitKind.COMMUNE) == 2 * 5
    assert Assignment.objects.filter(task=task).count() == 5 * 5


def test_cannot_assign_outside_the_plan_unit(tree):
    central = central_plan(tree)
    province = plan_actions.register_plan(
        None, doc(tree["prov_a"], issuer="TU"), implements=central
    )
    task = one_off(province)
    with pytest.raises(ActionError) as err:
        assign_actions.assign(None, task, units=[tree["commune_a"], tree["commune_b"]])
    assert "Xã b" in err.value.message and "Xã a" not in err.value.message
    with pytest.raises(ActionError):
        assign_actions.assign(None, task, units=[999999])
    assert not Assignment.objects.filter(task=task).exists()
    # By rule, the other province's units are simply not selected.
    assert assign_actions.assign(None, task, rule="kind", kind=UnitKind.COMMUNE) == 1
    assert assigned(task) == {"C-a"}


def test_unknown_rule_and_empty_list_are_refused(tree):
    task = one_off(central_plan(tree))
    for kwargs in ({"rule": "everyone"}, {"units": []}, {}):
        with pytest.raises(ActionError):
            assign_actions.assign(None, task, **kwargs)


def test_each_new_assignment_is_logged_in_bulk(tree):
    user = factories.user("coord", ("coordinator", tree["root"]))
    task = one_off(central_plan(tree), "hằng năm từ 2022", horizon=D(2023, 12, 31))
    with acting_as(user, "req-fanout"):
        created = assign_actions.assign(user, task, rule="kind", kind=UnitKind.GRASSROOTS)
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
    assign_actions.assign(user, task, rule="kind", kind=UnitKind.GRASSROOTS)
    assert rows.count() == 4


def test_extend_occurrences_gives_new_periods_to_the_same_units(tree):
    task = one_off(central_plan(tree), "hằng năm từ 2022", horizon=D(2022, 12, 31))
    assign_actions.assign(None, task, units=[tree["prov_a"], tree["commune_b"]])
    assert assign_actions.extend_occurrences(None, task, horizon=D(2024, 12, 31)) == 4
    dues = sorted(set(Assignment.objects.filter(task=task).values_list("due", flat=True)))
    assert dues == [D(2022, 12, 31), D(2023, 12, 31), D(2024, 12, 31)]
    assert assigned(task) == {"P-a", "C-b"}
    assert assign_actions.extend_occurrences(None, task, horizon=D(2024, 12, 31)) == 0


def test_plan_issued_before_the_assignment_meets_it_at_once(tree):
    central = central_plan(tree)
    province_doc = doc(tree["prov_a"], issuer="TU", date=D(2021, 12, 20))
    plan_actions.register_plan(None, province_doc, implements=central)
    task = one_off(central, "tháng 12/2021", requires_plan=True)
    assign_actions.assign(None, task, rule="children")
    a = Assignment.objects.get(task=task, unit=tree["prov_a"])
    b = Assignment.objects.get(task=task, unit=tree["prov_b"])
    assert (a.completed_on, a.fulfilled_by_id) == (D(2021, 12, 20), province_doc.pk)
    assert b.completed_on is None


def expected_entry(user, request_id, a):
    """What core.actions.record writes for one new assignment (the ORM path's fields)."""
    with acting_as(user, request_id):
        return record(
            user,
            "tracking.assign",
            a,
            unit=a.unit,
            after={
                "task": a.task_id,
                "occurrence": a.occurrence_id,
                "unit": a.unit_id,
                "assigned_by": a.assigned_by_id,
                "due": a.due.isoformat(),
                "requires_plan": a.requires_plan,
            },
        )


@pytest.mark.parametrize("requires_plan", [False, True])
def test_set_based_log_rows_equal_what_record_writes(tree, requires_plan):
    user = factories.user("coord", ("coordinator", tree["root"]))
    task = one_off(
        central_plan(tree), "hằng quý", horizon=D(2022, 6, 30), requires_plan=requires_plan
    )
    before = timezone.now()
    with acting_as(user, "req-set-based"):
        assert assign_actions.assign(user, task, rule="kind", kind=UnitKind.CELL) == 2 * 3
    after = timezone.now()
    a = Assignment.objects.get(task=task, unit=tree["cell_b"], due=D(2022, 6, 30))
    [entry] = history_for(a)
    expected = expected_entry(user, "req-set-based", a)
    fields = (
        "user_id",
        "user_name",
        "request_id",
        "action",
        "content_type_id",
        "object_id",
        "object_repr",
        "unit_id",
        "before",
    )
    assert [getattr(entry, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert entry.object_repr == f"{task.pk}@{tree['cell_b'].pk} 2022-06-30"
    # Read back through the JSONField and as raw JSON: same keys, types and values.
    assert entry.after == expected.after
    assert entry.after["requires_plan"] is requires_plan
    with connection.cursor() as cursor:
        cursor.execute("SELECT after FROM core_changelogentry WHERE id = %s", [entry.pk])
        raw = cursor.fetchone()[0]
    assert (json.loads(raw) if isinstance(raw, str) else raw) == expected.after
    assert entry.time.tzinfo is not None and before <= entry.time <= after
    # The system (no user, no request context) is logged as record() logs it.
    task2 = one_off(central_plan(tree))
    assign_actions.assign(None, task2, units=[tree["org_a"]])
    system = ChangeLogEntry.objects.get(
        action="tracking.assign", object_id=str(Assignment.objects.get(task=task2).pk)
    )
    assert (system.user_id, system.user_name, len(system.request_id)) == (None, "system", 32)


def test_count_is_exact_when_some_pairs_exist(tree):
    task = one_off(central_plan(tree), "hằng quý", horizon=D(2022, 12, 31))
    assert assign_actions.assign(None, task, units=[tree["prov_a"], tree["org_b"]]) == 2 * 5
    assert assign_actions.assign(None, task, rule="children") == 2 * 5  # prov_b and office are new
    assert assign_actions.assign(None, task, units=[tree["org_a"], tree["org_b"]]) == 1 * 5
    assert assign_actions.extend_occurrences(None, task, horizon=D(2023, 6, 30)) == 5 * 2
    rows = Assignment.objects.filter(task=task)
    assert rows.count() == 5 * 7
    logged = ChangeLogEntry.objects.filter(action="tracking.assign")
    assert sorted(int(i) for i in logged.values_list("object_id", flat=True)) == sorted(
        rows.values_list("pk", flat=True)
    )
    created = ChangeLogEntry.objects.filter(action="tracking.assign_task").order_by("id")
    assert [e.after["created"] for e in created] == [10, 10, 5]


def test_rules_stay_inside_the_reach_and_skip_closed_units(tree):
    central = central_plan(tree)
    province = plan_actions.register_plan(
        None, doc(tree["prov_a"], issuer="TU"), implements=central
    )
    closed = factories.unit(tree["commune_a"], UnitKind.GRASSROOTS, "Đảng bộ đã giải thể", "G-x")
    unit_actions.dissolve_unit(None, closed, date=D(2021, 11, 1))
    task = one_off(province, "hằng quý", horizon=D(2022, 6, 30))
    assert task.occurrences.count() == 3
    assert assign_actions.assign(None, task, rule="kind", kind=UnitKind.GRASSROOTS) == 3
    assert assign_actions.assign(None, task, rule="kind", kind=UnitKind.CELL) == 3
    assert assign_actions.assign(None, task, rule="kind", kind=UnitKind.PROVINCE) == 0  # not itself
    assert assign_actions.assign(None, task, rule="children") == 3
    assert assigned(task) == {"G-a", "CB-a", "C-a"}
    with pytest.raises(ActionError):
        assign_actions.assign(None, task, units=[closed])
    with pytest.raises(ActionError):
        assign_actions.assign(None, task, units=[tree["org_b"]])
    assert assigned(task) == {"G-a", "CB-a", "C-a"}
    assert ChangeLogEntry.objects.filter(action="tracking.assign").count() == 3 * 3


# --- the fan-out's statements use indexes (national scale: bench/bench_fanout_commit.py) ------


def _plan(sql: str) -> str:
    """The plan of one captured (already interpolated) statement, as one text. PostgreSQL is
    told to avoid sequential scans: on these small tables it would otherwise scan everything."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET enable_seqscan = off")
            try:
                cur.execute("EXPLAIN " + sql)
                return "\n".join(row[0] for row in cur.fetchall())
            finally:
                cur.execute("RESET enable_seqscan")
        cur.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(row[-1] for row in cur.fetchall())


def test_fan_out_by_kind_reads_index_ranges_not_every_unit_or_assignment(tree):
    """At national scale the fan-out scanned all 298,000 units for the 55,000 of one kind, and
    PostgreSQL walked the primary key backwards through 3 million assignments for the last id
    of a task that had none. Both must be index ranges: units by (kind, path), the task's last
    id from the end of a (task, id) range (no sort, no primary key)."""
    task = one_off(central_plan(tree))
    with CaptureQueriesContext(connection) as ctx:
        assert assign_actions.assign(None, task, rule="kind", kind=UnitKind.GRASSROOTS) == 2
    sqls = [q["sql"].strip() for q in ctx.captured_queries]
    insert = [s for s in sqls if s.startswith('INSERT INTO "tracking_assignment"')]
    last_id = [  # however it is written: MAX(id), or the last of an ordered range
        s
        for s in sqls
        if s.startswith("SELECT")
        and 'FROM "tracking_assignment" WHERE "tracking_assignment"."task_id" =' in s
        and ("MAX(" in s or "LIMIT 1" in s)
    ]
    logged = [
        s
        for s in sqls
        if s.startswith('INSERT INTO "core_changelogentry"') and "tracking_assignment" in s
    ]
    assert len(insert) == len(last_id) == len(logged) == 1

    # A new task's periods have no assignments yet: no pair check against every unit's rows.
    assert "NOT EXISTS" not in insert[0]
    plan = _plan(insert[0])
    units_read = [line for line in plan.splitlines() if "units_unit" in line]
    if connection.vendor == "postgresql":
        units_read = [node for node in plan.split("->") if " on units_unit" in node]
        assert len(units_read) == 1 and "Seq Scan" not in units_read[0], plan
        assert "Index Cond: (((kind)::text = 'grassroots'::text)" in units_read[0], plan
    else:
        assert units_read == [
            "SEARCH units_unit USING INDEX unit_kind_path (kind=? AND path>? AND path<?)"
        ], plan

    plan = _plan(last_id[0])
    assert "tracking_assignment_pkey" not in plan and "Sort" not in plan, plan
    assert "TEMP B-TREE" not in plan and not plan.startswith("SCAN"), plan
    assert "asg_task_id" in plan or connection.vendor == "sqlite", plan

    plan = _plan(logged[0])
    assert "asg_task_id" in plan or "tracking_assignment_task_id" in plan, plan


def test_the_default_unit_is_read_from_an_index_not_a_scan_of_every_unit(tree, admin_user):
    """Every page's default unit for a national user is the first root; `depth` had no index,
    so finding it scanned all 298,000 units (35-42 ms on each default dashboard)."""
    from trienkhai.units.queries import default_unit

    with CaptureQueriesContext(connection) as ctx:
        assert default_unit(admin_user) == tree["root"]
    (sql,) = [q["sql"] for q in ctx.captured_queries if '"units_unit"."depth"' in q["sql"]]
    plan = _plan(sql)
    if connection.vendor == "postgresql":
        assert "unit_depth_path" in plan and "Sort" not in plan, plan
    else:
        assert plan == "SEARCH units_unit USING INDEX unit_depth_path (depth=?)", plan
