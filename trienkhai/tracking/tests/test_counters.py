"""The roll-up counters always equal a recount, and reads from them equal reads from the rows."""

import datetime
import io
import itertools
import random

import pytest
from django.core.management import CommandError, call_command

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import RelationKind
from trienkhai.tracking import counters, queries
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import Assignment, CoverageCounter, RollupCounter, SettledCounter
from trienkhai.tracking.tests.test_actions import central_plan, doc, one_off
from trienkhai.tracking.tests.test_fanout import _plan
from trienkhai.tree.kinds import UnitKind
from trienkhai.units import actions as unit_actions
from trienkhai.units.models import Unit

D = datetime.date


def scanned(user, unit, as_of, directive=None, start=None):
    """The same counts read from the assignment rows, bypassing the counters."""
    rows = queries._subtree(user, unit, directive)
    source = queries._Source(rows, queries._child_key(unit), queries.Count, "unit_path")
    if start is not None:
        source.rows = source.rows.filter(due__gte=start, due__lte=as_of)
    return {
        row.path: row.counts
        for row in queries._rows(user, unit, queries._by_child_and_status(source, as_of))
    }


def counted(rows):
    return {row.path: row.counts for row in rows}


def work(tree, rng):
    """Tasks fanned out through the actions, then progress reported on a random share."""
    plan = central_plan(tree)
    tasks = [one_off(plan, text) for text in ("tháng 12/2021", "quý I/2022", "năm 2022")]
    for task, kind in zip(tasks, (UnitKind.COMMUNE, UnitKind.CELL, UnitKind.PROVINCE), strict=True):
        assign_actions.assign(None, task, rule="kind", kind=kind)
    assign_actions.assign(None, tasks[0], units=[tree["org_a"], tree["prov_a"]])
    # Plan obligations: provinces owe two plans under the directive, communes one.
    first = one_off(plan, "tháng 12/2021", requires_plan=True)
    assign_actions.assign(None, first, rule="kind", kind=UnitKind.COMMUNE)
    assign_actions.assign(None, first, rule="kind", kind=UnitKind.PROVINCE)
    second = one_off(plan, "quý I/2022", requires_plan=True)
    assign_actions.assign(None, second, rule="kind", kind=UnitKind.PROVINCE)
    for a in Assignment.objects.order_by("id"):
        roll = rng.random()
        if roll < 0.3:
            day = a.due - datetime.timedelta(days=rng.randint(-40, 40))
            report_actions.report_progress(None, a, reported_on=day, percent=100, done=True)
        elif roll < 0.6:
            day = a.due - datetime.timedelta(days=rng.randint(1, 60))
            report_actions.report_progress(None, a, reported_on=day, percent=40, done=False)
    return plan


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counters_equal_a_recount_through_every_kind_of_write(tree, seed):
    rng = random.Random(seed)
    plan = work(tree, rng)
    assert counters.differences() == [] and counters.coverage_differences() == []
    # A province registers its plan: the registry meets its open obligations (a hook).
    province_plan = doc(tree["prov_b"], issuer="TU", date=D(2022, 1, 20))
    doc_actions.relate(None, province_plan, plan.directive, RelationKind.IMPLEMENTS)
    assert counters.coverage_differences() == []
    # A commune moves to the other province: its rows change top-level child.
    unit_actions.move_unit(None, tree["commune_a"], new_parent=tree["prov_b"], date=D(2022, 5, 1))
    assert counters.differences() == [] and counters.coverage_differences() == []
    # A merge hands open work over and drops duplicates.
    extra = factories.unit(tree["prov_a"], UnitKind.COMMUNE, "Xã mới")
    assign_actions.assign(None, one_off(plan, "tháng 6/2022"), units=[extra, tree["commune_b"]])
    unit_actions.merge_units(None, units=[extra], into=tree["commune_b"], date=D(2022, 7, 1))
    assert counters.differences() == [] and counters.coverage_differences() == []
    assert counters.settled_differences() == []
    assert counters.unit_coverage_differences() == []

    admin = factories.user("counter-admin", superuser=True)
    root = Unit.objects.get(pk=tree["root"].pk)
    directive = plan.directive
    days = [D(2021, 10, 1) + datetime.timedelta(days=rng.randint(0, 540)) for _ in range(4)]
    obligations = queries._subtree(admin, root, directive).filter(requires_plan=True)
    for as_of in days:
        from_counters = queries._coverage_from_counters(root, directive, as_of)
        assert sorted(from_counters) == sorted(queries._coverage_by_child(obligations, root, as_of))
        assert sum(total for _c, total, _u, _l in from_counters) == len(
            {a.unit_id for a in obligations}
        )
        every = queries._subtree(admin, root).filter(requires_plan=True)
        assert sorted(queries._unit_coverage_from_counters(root, as_of)) == sorted(
            queries._coverage_by_child(every, root, as_of)
        )
    for as_of, d in itertools.product(days, (None, directive)):
        rows = queries.rollup(admin, unit=root, directive=d, as_of=as_of)
        assert counted(rows) == scanned(admin, root, as_of, d)
        start = D(as_of.year, 1, 1)
        ranked = queries.ranking(admin, unit=root, directive=d, start=start, end=as_of)
        assert counted(ranked) == scanned(admin, root, as_of, d, start=start)
        both = queries.rollup_and_ranking(
            admin, unit=root, directive=d, as_of=as_of, start=start, end=as_of
        )
        assert counted(both[0]) == counted(rows)
        assert [(r.path, r.counts) for r in both[1]] == [(r.path, r.counts) for r in ranked]
    points = [D(2021, 12, 31), *days, D(2022, 4, 1)]
    for day, counts in queries.trend(admin, unit=root, points=points):
        assert counts == queries.totals(queries.rollup(admin, unit=root, as_of=day))
        assert sum(counts.values()) == Assignment.objects.count()


def test_deleting_rows_takes_them_out_of_the_counters(tree):
    work(tree, random.Random(3))
    gone = Assignment.objects.filter(reports__isnull=True)
    assert gone.exists()
    gone.delete()  # outside any action: a raw delete still keeps the counters right
    assert counters.differences() == [] and counters.coverage_differences() == []
    assert counters.settled_differences() == [] and counters.unit_coverage_differences() == []


def test_reads_at_the_root_use_the_counters_only_for_a_user_who_sees_everything(tree):
    work(tree, random.Random(5))
    root = tree["root"]
    national = factories.user("national", (Role.VIEWER, root))
    province = factories.user("province-only", (Role.COORDINATOR, tree["prov_a"]))
    as_of = D(2022, 6, 30)
    # The counters now disagree with the rows: any read that uses them shows it.
    RollupCounter.objects.filter(n__gt=0).update(n=1000)
    assert counted(queries.rollup(national, unit=root, as_of=as_of)) != scanned(
        national, root, as_of
    )
    # A province user's view of the root comes from its own rows only.
    rows = queries.rollup(province, unit=root, as_of=as_of)
    assert counted(rows) == scanned(province, root, as_of)
    assert {row.path for row in rows} == {tree["prov_a"].path}
    # Below the root, the rows are read directly.
    assert counted(queries.rollup(national, unit=tree["prov_a"], as_of=as_of)) == scanned(
        national, tree["prov_a"], as_of
    )


def test_rebuild_command_restores_and_check_reports(tree):
    work(tree, random.Random(11))
    RollupCounter.objects.filter(n__gt=0).update(n=7)
    CoverageCounter.objects.update(n=3)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--check", stderr=err)
    assert err.getvalue()
    out = io.StringIO()
    call_command("rebuild_rollups", stdout=out)
    assert "rebuilt" in out.getvalue()
    assert counters.differences() == [] and counters.coverage_differences() == []
    out = io.StringIO()
    call_command("rebuild_rollups", "--check", stdout=out)
    assert "equal a recount" in out.getvalue()


@pytest.mark.parametrize("few", [2000, 0], ids=["few-unsettled", "many-unsettled"])
def test_every_directive_at_the_root_reads_only_the_rows_not_yet_settled(tree, few, monkeypatch):
    """The default country page (no directive) summed every directive's counter rows (786,000
    at national scale). Rows settled before the as-of date's month now come from the settled
    counts: spoiling their counter rows changes none of the answers. With many rows not yet
    settled (a date years back) every counter row is read, as for one directive."""
    monkeypatch.setattr(queries, "FEW_GROUPS", few)
    plan = work(tree, random.Random(7))
    assert counters.settled_differences() == []
    admin = factories.user("settled-admin", superuser=True)
    root = Unit.objects.get(pk=tree["root"].pk)
    as_of = D(2022, 9, 15)
    cut = D(2022, 9, 1)
    expected_rollup = counted(queries.rollup(admin, unit=root, as_of=as_of))
    assert expected_rollup == scanned(admin, root, as_of)
    points = [D(2022, 9, 15), D(2022, 10, 15), D(2023, 1, 15)]
    expected_trend = queries.trend(admin, unit=root, points=points)
    # Completions awaiting review settle in the month they were reported: spoiled too.
    claims = RollupCounter.objects.filter(completed_on=counters.NEVER, claimed_on__lt=cut, n__gt=0)
    assert claims.exists()
    settled = (
        RollupCounter.objects.filter(completed_on__lt=cut)
        | RollupCounter.objects.filter(
            completed_on=counters.NEVER, claimed_on=counters.NEVER, due__lt=cut
        )
        | claims
    )
    assert settled.count() > 0 and settled.count() < RollupCounter.objects.count()
    settled.update(n=1000)
    if not few:  # too many rows not yet settled: every row is read, the spoiled ones show
        assert counted(queries.rollup(admin, unit=root, as_of=as_of)) != expected_rollup
        return
    assert counted(queries.rollup(admin, unit=root, as_of=as_of)) == expected_rollup
    both = queries.rollup_and_ranking(admin, unit=root, as_of=as_of, start=D(2022, 9, 1), end=as_of)
    assert counted(both[0]) == expected_rollup
    assert queries.trend(admin, unit=root, points=points) == expected_trend
    # One directive still reads its own counter rows (the spoiled ones show).
    assert counted(queries.rollup(admin, unit=root, directive=plan.directive, as_of=as_of)) != (
        scanned(admin, root, as_of, plan.directive)
    )


def test_rebuild_command_restores_the_settled_counts(tree):
    work(tree, random.Random(13))
    SettledCounter.objects.update(n=5)
    with pytest.raises(CommandError):
        call_command("rebuild_rollups", "--check", stderr=io.StringIO())
    call_command("rebuild_rollups", stdout=io.StringIO())
    assert counters.settled_differences() == []


def test_coverage_of_every_directive_at_the_root_folds_no_assignment_rows(tree):
    """With no directive chosen, the country coverage folded every obligation of the country
    per unit (58,000 at national scale, 70-140 ms); it now reads the units' folds, kept by the
    triggers across directives — and counts a unit owing plans under two directives once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = work(tree, random.Random(17))
    other = central_plan(tree, directive=doc(tree["root"], issuer="TW", date=D(2021, 9, 1)))
    assign_actions.assign(None, one_off(other, "quý I/2022", requires_plan=True), rule="children")
    assert counters.unit_coverage_differences() == []
    admin = factories.user("coverage-admin", superuser=True)
    root = Unit.objects.get(pk=tree["root"].pk)
    every = queries._subtree(admin, root).filter(requires_plan=True)
    for as_of in (D(2021, 12, 20), D(2022, 3, 1), D(2022, 9, 1)):
        with CaptureQueriesContext(connection) as ctx:
            cov = queries.coverage(admin, unit=root, as_of=as_of)
        folded = [
            q["sql"]
            for q in ctx.captured_queries
            if "tracking_assignment" in q["sql"] and "GROUP BY" in q["sql"]
        ]
        assert folded == []
        (missing,) = [
            q["sql"]
            for q in ctx.captured_queries
            if q["sql"].startswith('SELECT "tracking_assignment"."unit_id"')
        ]
        # The obligations only: one of the two partial indexes of obligations (which one the
        # planner takes depends on the statistics earlier tests left), never every assignment.
        chosen = _plan(missing)
        assert "asg_obligation_path" in chosen or "asg_unit_obligation" in chosen, chosen
        lines = sorted(
            (line.path, line.total, line.total - line.met, line.late) for line in cov.lines
        )
        assert lines == sorted(queries._coverage_by_child(every, root, as_of))
        assert cov.total == len(set(every.values_list("unit_id", flat=True)))
    assert plan.directive_id != other.directive_id


@pytest.mark.parametrize("seed", [4, 5])
def test_summary_totals_and_coverage_equal_the_full_reads(tree, seed):
    """The home's summary band reads a province's own counter rows (and the root's, and the rows
    of any deeper unit); each figure equals the roll-up and coverage the dashboard computes."""
    work(tree, random.Random(seed))
    admin = factories.user(f"sum-admin-{seed}", superuser=True)
    coord = factories.user(f"sum-coord-{seed}", (Role.COORDINATOR, tree["prov_a"]))
    units = [Unit.objects.get(pk=tree[k].pk) for k in ("root", "prov_a", "commune_a", "org_a")]
    for user, unit, as_of in itertools.product(
        (admin, coord), units, (D(2021, 12, 20), D(2022, 3, 31), D(2022, 9, 15), D(2023, 2, 1))
    ):
        if user is coord and unit.pk == tree["root"].pk:
            continue
        expected = queries.totals(queries.rollup(user, unit=unit, as_of=as_of))
        assert queries.subtree_totals(user, unit=unit, as_of=as_of) == expected
        full = queries.coverage(user, unit=unit, as_of=as_of, missing_limit=0)
        assert queries.coverage_totals(user, unit=unit, as_of=as_of) == (full.met, full.total)
    assert sum(queries.subtree_totals(admin, unit=units[1], as_of=D(2022, 9, 15)).values()) > 0


def test_a_provinces_totals_come_from_its_counter_rows(tree):
    """Spoiling the province's counters shows in its totals: they are read, not the rows."""
    work(tree, random.Random(6))
    coord = factories.user("sum-coord-spoil", (Role.COORDINATOR, tree["prov_a"]))
    prov = Unit.objects.get(pk=tree["prov_a"].pk)
    as_of = D(2022, 9, 15)
    before = queries.subtree_totals(coord, unit=prov, as_of=as_of)
    RollupCounter.objects.filter(top_path=prov.path).update(n=1000)
    SettledCounter.objects.filter(top_path=prov.path).update(n=1000)
    assert queries.subtree_totals(coord, unit=prov, as_of=as_of) != before
    # A commune's totals are read from its rows, untouched by the spoiled counters.
    commune = Unit.objects.get(pk=tree["commune_a"].pk)
    from_rows = dict.fromkeys(queries.Status.ORDER, 0)
    for counts in scanned(coord, commune, as_of).values():
        for status, n in counts.items():
            from_rows[status] += n
    assert sum(from_rows.values()) > 0
    assert queries.subtree_totals(coord, unit=commune, as_of=as_of) == from_rows
