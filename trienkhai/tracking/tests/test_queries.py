"""Roll-ups, coverage, overdue lists, ranking and trend: right counts, right scope, right words."""

import datetime
import random
from collections import Counter

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import bulk, factories
from trienkhai.accounts.models import Role
from trienkhai.accounts.scope import path_scope
from trienkhai.tracking import queries
from trienkhai.tracking.models import Assignment
from trienkhai.tracking.status import Status, assignment_status
from trienkhai.tree.kinds import UnitKind
from trienkhai.tree.paths import SEGMENT_WIDTH
from trienkhai.units.models import Unit

D = datetime.date
DUE = D(2022, 3, 31)


@pytest.fixture
def data(tree):
    """Two directives over the small tree (plus extra communes), random dates around the due."""
    root = tree["root"]
    for key in ("a", "b"):
        for i in range(3):
            factories.unit(tree[f"prov_{key}"], UnitKind.COMMUNE, f"Xã {key}{i}")
    units = list(Unit.objects.all())
    rng = random.Random(7)
    d1, d2 = bulk.directive(root), bulk.directive(root)
    plan1, plan2 = bulk.plan(d1, root), bulk.plan(d2, root)
    for plan, due in ((plan1, DUE), (plan1, D(2021, 12, 31)), (plan2, D(2022, 9, 30))):
        task, occ = bulk.task(plan, due=due)
        bulk.assign(task, occ, units, rng=rng)
    req, req_occ = bulk.task(plan1, due=D(2021, 12, 31), requires_plan=True)
    bulk.assign(req, req_occ, units, rng=rng)
    return {**tree, "d1": d1, "d2": d2, "req": req}


def recount(unit, as_of, directive=None):
    """The roll-up by hand: status_of over every row of the subtree, by child segment."""
    out: dict[str, Counter] = {}
    width = len(unit.path) + SEGMENT_WIDTH
    for a in Assignment.objects.all():
        if not a.unit_path.startswith(unit.path):
            continue
        if directive is not None and a.directive_id != directive.pk:
            continue
        key = a.unit_path[:width]
        out.setdefault(key, Counter())[assignment_status(a, as_of)] += 1
    return out


def as_dict(rows):
    return {row.path: Counter({k: v for k, v in row.counts.items() if v}) for row in rows}


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(as_of=st.dates(min_value=D(2021, 9, 1), max_value=D(2023, 1, 31)))
def test_rollup_equals_python_recount(data, admin_user, as_of):
    for unit in (data["root"], data["prov_a"], data["commune_b"]):
        for directive in (None, data["d1"]):
            rows = queries.rollup(admin_user, unit=unit, directive=directive, as_of=as_of)
            assert as_dict(rows) == recount(unit, as_of, directive)


def test_rollup_lines_own_first_then_children_named(data, admin_user):
    rows = queries.rollup(admin_user, unit=data["prov_a"], as_of=D(2022, 6, 1))
    assert rows[0].own and rows[0].unit == data["prov_a"]
    children = {row.unit.name for row in rows[1:]}
    assert children == {"Xã a", "Xã a0", "Xã a1", "Xã a2"}
    # Each line holds its subtree: the commune carries its organisation and cell too.
    commune = next(row for row in rows if row.unit == data["commune_a"])
    assert commune.total == 4 * 3  # 4 tasks × (commune, its organisation, its cell)
    assert (
        sum(row.total for row in rows)
        == Assignment.objects.filter(unit_path__startswith=data["prov_a"].path).count()
    )


def test_on_time_rate():
    row = queries.ChildRow(path="X", unit=None, own=False)
    assert row.on_time_rate is None
    row.counts.update({Status.DONE_ON_TIME: 3, Status.DONE_LATE: 1, Status.IN_PROGRESS: 5})
    assert row.on_time_rate == 0.75


def test_province_user_never_sees_another_province(data):
    user = factories.user("viewer-a", (Role.VIEWER, data["prov_a"]))
    as_of = D(2022, 6, 1)
    b = data["prov_b"].path
    # Asked about the root, the province user gets only its own province's line.
    rows = queries.rollup(user, unit=data["root"], as_of=as_of)
    assert [row.path for row in rows] == [data["prov_a"].path]
    assert (
        rows[0].total
        == Assignment.objects.filter(unit_path__startswith=data["prov_a"].path).count()
    )
    assert queries.rollup(user, unit=data["prov_b"], as_of=as_of) == []
    cov = queries.coverage(user, unit=data["root"], as_of=as_of)
    assert all(not line.path.startswith(b) for line in cov.lines)
    assert all(not m.unit.path.startswith(b) for m in cov.missing)
    overdue = queries.overdue(user, unit=data["root"], as_of=D(2023, 1, 1), limit=500)
    assert overdue and all(
        row.assignment.unit_path.startswith(data["prov_a"].path) for row in overdue
    )
    assert queries.visible_assignments(user).filter(unit_path__startswith=b).count() == 0
    trend = queries.trend(user, unit=data["root"], points=[as_of])
    assert sum(trend[0][1].values()) == rows[0].total


def test_exact_grant_reaches_only_that_unit(data):
    user = factories.user("commune-only", (Role.VIEWER, data["commune_a"], False))
    seen = set(queries.visible_assignments(user).values_list("unit_id", flat=True))
    assert seen == {data["commune_a"].pk}
    assert path_scope(user) is not None


def coverage_fixture(tree, met: int, total: int, late: int = 0):
    root = tree["root"]
    directive = bulk.directive(root)
    plan = bulk.plan(directive, root)
    task, occ = bulk.task(plan, due=D(2021, 12, 31), requires_plan=True)
    units = [
        factories.unit(tree["prov_a"], UnitKind.COMMUNE, f"Phường {i:02d}") for i in range(total)
    ]

    def dates(u):
        i = units.index(u)
        if i < met - late:
            return D(2021, 12, 1), D(2021, 12, 20)
        if i < met:
            return D(2021, 12, 1), D(2022, 1, 10)
        return None, None

    bulk.assign(task, occ, units, dates=dates)
    return directive, units


def test_coverage_text_like_the_seeds(tree, admin_user):
    directive, units = coverage_fixture(tree, met=37, total=40, late=2)
    with translation.override("vi"):
        cov = queries.coverage(
            admin_user, unit=tree["prov_a"], directive=directive, as_of=D(2022, 6, 1)
        )
        assert cov.text == "37/40 đơn vị đã ban hành kế hoạch (92,5%)"
    assert (cov.total, cov.met, cov.late, cov.missing_count) == (40, 37, 2, 3)
    assert [m.unit.name for m in cov.missing] == ["Phường 37", "Phường 38", "Phường 39"]
    assert cov.missing[0].full_path == "Trung ương › Tỉnh An › Phường 37"
    # Before the late ones were issued, they were not counted as met.
    early = queries.coverage(
        admin_user, unit=tree["prov_a"], directive=directive, as_of=D(2022, 1, 1)
    )
    assert (early.met, early.late) == (35, 0)


def test_coverage_full_and_thousands(tree, admin_user):
    directive, _units = coverage_fixture(tree, met=2, total=2)
    with translation.override("vi"):
        cov = queries.coverage(
            admin_user, unit=tree["root"], directive=directive, as_of=D(2022, 6, 1)
        )
        assert cov.text == "2/2 đơn vị đã ban hành kế hoạch (100%)"
        assert queries.percent_text(1, 3) == "33,3"
        assert queries.percent_text(0, 0) == "0"
    line = cov.lines[0]
    assert line.unit == tree["prov_a"] and (line.met, line.total) == (2, 2)


def test_coverage_counts_units_not_rows(data, admin_user):
    """A unit with two obligations counts once, and only as met when both are met."""
    as_of = D(2023, 1, 1)
    cov = queries.coverage(admin_user, unit=data["root"], as_of=as_of)
    units = Counter()
    unmet = set()
    for a in Assignment.objects.filter(requires_plan=True):
        units[a.unit_id] += 1
        if a.completed_on is None or a.completed_on > as_of:
            unmet.add(a.unit_id)
    assert cov.total == len(units)
    assert cov.met == len(units) - len(unmet)


def test_overdue_oldest_first_with_full_paths(data, admin_user):
    as_of = D(2023, 1, 1)
    rows = queries.overdue(admin_user, unit=data["root"], as_of=as_of, limit=500)
    expected = [
        a.pk
        for a in Assignment.objects.order_by("due", "id")
        if assignment_status(a, as_of) == Status.OVERDUE
    ]
    assert [r.assignment.pk for r in rows] == expected
    dues = [r.assignment.due for r in rows]
    assert dues == sorted(dues)
    cell = next(r for r in rows if r.assignment.unit_id == data["cell_b"].pk)
    assert cell.full_path == "Trung ương › Tỉnh Bình › Xã b › Đảng bộ b › Chi bộ b"
    assert cell.days == (as_of - cell.assignment.due).days
    page2 = queries.overdue(admin_user, unit=data["root"], as_of=as_of, limit=3, offset=3)
    assert [r.assignment.pk for r in page2] == expected[3:6]


def test_overdue_page_reads_ancestors_in_one_query(data, admin_user, django_assert_max_num_queries):
    # The page, the ancestors of its units, and whether the root is the only one.
    with django_assert_max_num_queries(3):
        rows = queries.overdue(admin_user, unit=data["root"], as_of=D(2023, 1, 1), limit=50)
        [r.full_path for r in rows]


def test_ranking_and_trend(data, admin_user):
    start, end = D(2021, 10, 1), D(2022, 12, 31)
    ranked = queries.ranking(admin_user, unit=data["root"], start=start, end=end)
    rates = [r.on_time_rate for r in ranked if r.on_time_rate is not None]
    assert rates == sorted(rates, reverse=True)
    points = [D(2021, 12, 1), D(2022, 6, 1), D(2023, 1, 1)]
    trend = queries.trend(admin_user, unit=data["root"], points=points)
    assert [p for p, _ in trend] == points
    for day, counts in trend:
        expected = Counter(assignment_status(a, day) for a in Assignment.objects.all())
        assert counts == {s: expected.get(s, 0) for s in Status.ORDER}


@pytest.mark.parametrize("unit_key", ["root", "prov_a", "commune_b"])
def test_rollup_and_ranking_in_one_scan_equal_the_separate_reads(data, unit_key):
    user = factories.user("coordinator-root", (Role.COORDINATOR, data["root"]))
    unit = data[unit_key]
    start, end, as_of = D(2022, 1, 1), D(2022, 6, 30), D(2022, 8, 15)
    rows, ranked = queries.rollup_and_ranking(
        user, unit=unit, directive=data["d1"], as_of=as_of, start=start, end=end
    )
    alone = queries.rollup(user, unit=unit, directive=data["d1"], as_of=as_of)
    assert [(r.path, r.counts, r.unit) for r in rows] == [(r.path, r.counts, r.unit) for r in alone]
    ranked_alone = queries.ranking(user, unit=unit, directive=data["d1"], start=start, end=end)
    assert [(r.path, r.counts) for r in ranked] == [(r.path, r.counts) for r in ranked_alone]
    assert sum(r.total for r in rows) > sum(r.total for r in ranked) > 0
