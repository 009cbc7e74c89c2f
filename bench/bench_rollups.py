"""The shipped roll-up design at national scale: counters at the root, path ranges below it.

Run on a database filled by `trienkhai generate` + `tracking.bulk.build_national` (see
bench/README.md). It runs ANALYZE (and VACUUM on PostgreSQL), checks the counters equal a
recount, then prints the median of --runs timed runs after --warmup, in milliseconds:
- roll-up by child for the largest province (administrator, coordinator) and for the country
  (from the counters), with a plain GROUP BY over the same rows as the baseline, and the
  country roll-up read from the rows instead of the counters for comparison;
- ranking and six-point trend for the country; coverage for the province and the country;
  the first page of the overdue list (country, all directives and one; province);
- writes: single status updates per second (one UPDATE per transaction, counters kept by the
  triggers), 20,000 updates in one transaction, `rebuild_rollups`; and the fan-out of one task
  to every grassroots organisation through `tracking.actions.assign` (rolled back).
Usage: python bench/bench_rollups.py [--runs 20] [--warmup 3] [--json out.json] [--no-writes]
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402

from tests.builders import bulk  # noqa: E402
from trienkhai.accounts.models import Grant, Role  # noqa: E402
from trienkhai.demo.generate import ROOT_CODE  # noqa: E402
from trienkhai.tracking import counters, queries  # noqa: E402
from trienkhai.tracking.models import Assignment, RollupCounter, Task  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402

AS_OF = datetime.date(2022, 6, 30)
TREND = [datetime.date(2022, m, 28) for m in range(1, 7)]


class Rollback(Exception):
    pass


def timed(fn, runs: int, warmup: int) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(samples), 2)


def users(province: Unit):
    User = get_user_model()
    admin = User.objects.filter(username="bench-admin").first()
    if admin is None:
        admin = User.objects.create_superuser("bench-admin", password="bench-admin-pass")  # noqa: S106
    prov = User.objects.filter(username="bench-tracking-province").first()
    if prov is None:
        # Benchmark fixture, like the bulk rows: a grant row written directly.
        prov = User.objects.create_user("bench-tracking-province", password="x-bench-pass")  # noqa: S106
        Grant.objects.create(user=prov, role=Role.COORDINATOR, unit=province, include_subtree=True)
    return User.objects.get(pk=admin.pk), User.objects.get(pk=prov.pk)


def baseline(directive_id: int, unit: Unit):
    """Plain GROUP BY child over the same rows, no status: the floor for the row scan."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT substr(unit_path, 1, %s), count(*) FROM tracking_assignment "
            "WHERE directive_id = %s AND unit_path >= %s AND unit_path < %s GROUP BY 1",
            [len(unit.path) + 4, directive_id, unit.path, unit.path + "~"],
        )
        return cur.fetchall()


def scanned_rollup(user, unit, directive):
    """The country roll-up read from the assignment rows (what it cost before the counters)."""
    source = queries._Source(
        queries._subtree(user, unit, directive), queries._child_key(unit), Count, "unit_path"
    )
    return queries._rows(user, unit, queries._by_child_and_status(source, AS_OF))


def writes(results, big, plan, updates: int):
    ids = list(
        Assignment.objects.filter(directive=big, completed_on__isnull=True).values_list(
            "pk", flat=True
        )[: updates + 20_000]
    )
    single, batch = ids[:updates], ids[updates:]
    t0 = time.perf_counter()
    for pk in single:
        with transaction.atomic():
            Assignment.objects.filter(pk=pk).update(completed_on=AS_OF, percent=100)
    results["status updates per s, one per transaction"] = round(
        len(single) / (time.perf_counter() - t0)
    )
    print(results, flush=True)
    try:
        with transaction.atomic():
            t0 = time.perf_counter()
            n = Assignment.objects.filter(pk__in=batch).update(completed_on=AS_OF, percent=100)
            results["updates per s, 20,000 in one transaction"] = round(
                n / (time.perf_counter() - t0)
            )
            raise Rollback
    except Rollback:
        pass
    try:
        with transaction.atomic():
            t_, _occ = bulk.task(plan, due=datetime.date(2023, 9, 30))
            from trienkhai.tracking.actions import assign as assign_actions

            t0 = time.perf_counter()
            created = assign_actions.assign(None, t_, rule="kind", kind="grassroots")
            results["fan-out to every grassroots organisation s"] = round(
                time.perf_counter() - t0, 2
            )
            results["fan-out rows"] = created
            assert counters.differences(limit=1) == [], "counters off after the fan-out"
            assert counters.coverage_differences(limit=1) == [], "coverage off after the fan-out"
            raise Rollback
    except Rollback:
        pass
    try:
        with transaction.atomic():
            t_, _occ = bulk.task(plan, due=datetime.date(2023, 9, 30), requires_plan=True)
            from trienkhai.tracking.actions import assign as assign_actions

            t0 = time.perf_counter()
            assign_actions.assign(None, t_, rule="kind", kind="grassroots")
            results["fan-out of a plan obligation to every grassroots organisation s"] = round(
                time.perf_counter() - t0, 2
            )
            assert counters.coverage_differences(limit=1) == [], "coverage off after fan-out"
            raise Rollback
    except Rollback:
        pass
    t0 = time.perf_counter()
    results["rebuild_rollups rows"] = counters.rebuild()
    results["rebuild_rollups s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    results["rebuild coverage counter rows"] = counters.rebuild_coverage()
    results["rebuild coverage s"] = round(time.perf_counter() - t0, 1)
    print(results, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--no-writes", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()
    results: dict[str, object] = {"vendor": connection.vendor}
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
        if connection.vendor == "postgresql":
            for table in ("tracking_assignment", "tracking_rollupcounter", "units_unit"):
                cur.execute(f"VACUUM ANALYZE {table}")
    t0 = time.perf_counter()
    diffs = counters.differences(limit=5)
    results["recount check s"] = round(time.perf_counter() - t0, 1)
    assert diffs == [], f"counters differ from a recount: {diffs}"
    assert counters.coverage_differences(limit=5) == [], "coverage counters differ from a recount"

    root = Unit.objects.get(code=ROOT_CODE)
    province = max(
        Unit.objects.filter(parent=root, kind="province"),
        key=lambda p: Unit.objects.filter(path__gte=p.path, path__lt=p.path + "~").count(),
    )
    admin, prov_user = users(province)
    first = Task.objects.filter(requires_plan=False).order_by("id").first()
    big, plan = first.plan.directive, first.plan
    results["assignments"] = Assignment.objects.count()
    results["assignments of the directive"] = Assignment.objects.filter(directive=big).count()
    results["counter rows"] = RollupCounter.objects.count()
    results["counter rows of the directive"] = RollupCounter.objects.filter(
        directive_id=big.pk
    ).count()
    print(results, flush=True)
    r = lambda name, fn: results.__setitem__(name, timed(fn, args.runs, args.warmup))  # noqa: E731
    cases = {
        "rollup province (admin)": lambda: queries.rollup(
            admin, unit=province, directive=big, as_of=AS_OF
        ),
        "rollup province (coordinator)": lambda: queries.rollup(
            prov_user, unit=province, directive=big, as_of=AS_OF
        ),
        "plain GROUP BY province (baseline)": lambda: baseline(big.pk, province),
        "rollup country (counters)": lambda: queries.rollup(
            admin, unit=root, directive=big, as_of=AS_OF
        ),
        "rollup country, all directives (counters)": lambda: queries.rollup(
            admin, unit=root, as_of=AS_OF
        ),
        "rollup country read from the rows": lambda: scanned_rollup(admin, root, big),
        "plain GROUP BY country (baseline)": lambda: baseline(big.pk, root),
        "ranking country (counters)": lambda: queries.ranking(
            admin, unit=root, directive=big, start=datetime.date(2022, 1, 1), end=AS_OF
        ),
        "trend country, 6 points (counters)": lambda: queries.trend(
            admin, unit=root, directive=big, points=TREND
        ),
        "coverage province (coordinator)": lambda: queries.coverage(
            prov_user, unit=province, directive=big, as_of=AS_OF
        ),
        "coverage country": lambda: queries.coverage(admin, unit=root, directive=big, as_of=AS_OF),
        "overdue first page country, all directives": lambda: queries.overdue(
            admin, unit=root, as_of=AS_OF
        ),
        "overdue first page country, one directive": lambda: queries.overdue(
            admin, unit=root, directive=big, as_of=AS_OF
        ),
        "overdue first page province (coordinator)": lambda: queries.overdue(
            prov_user, unit=province, directive=big, as_of=AS_OF
        ),
    }
    for name, fn in cases.items():
        r(name, fn)
        print(f"{name}: {results[name]} ms", flush=True)
    if not args.no_writes:
        writes(results, big, plan, args.updates)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
