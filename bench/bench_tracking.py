"""Tracking benchmarks on a tree made by `trienkhai generate` (see bench/README.md, "Tracking").

`--build` first fills the tracking tables with `tracking.bulk.build_national` (200 directives,
~3,000,000 assignments, 2 progress reports each). Then, after ANALYZE, it measures the medians of
--runs timed runs after --warmup untimed ones, in milliseconds:
- roll-up by child (tracking.queries.rollup) of the directive assigned to every unit, for the
  largest province (as administrator and as its coordinator) and for the whole country;
- a plain GROUP BY child over the same rows (no status) as the baseline;
- plan coverage for the province; the first page of 50 of the country's overdue list;
- the same country roll-up with a covering index (directive, unit_path, due, completed_on,
  started_on) created for the run (`--covering`), then dropped;
- writes: single status updates per second (one UPDATE per transaction, what a report costs in
  the assignment row) and a fan-out of one task to every grassroots organisation (~55,000),
  rolled back afterwards.
Usage: python bench/bench_tracking.py [--build] [--covering] [--runs 20] [--warmup 3] [--json f]
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.db.models import F, Sum  # noqa: E402

from tests.builders import bulk  # noqa: E402
from trienkhai.accounts.models import Grant, Role  # noqa: E402
from trienkhai.demo.generate import ROOT_CODE  # noqa: E402
from trienkhai.tracking import queries  # noqa: E402
from trienkhai.tracking.models import Assignment, ProgressReport, Task  # noqa: E402
from trienkhai.tracking.status import status_case  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402

AS_OF = datetime.date(2022, 6, 30)
COVERING = "asg_bench_covering"


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
    return statistics.median(samples)


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
    """Plain GROUP BY child over the same rows, no status: the floor for this access path."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT substr(unit_path, 1, %s), count(*) FROM tracking_assignment "
            "WHERE directive_id = %s AND unit_path >= %s AND unit_path < %s GROUP BY 1",
            [len(unit.path) + 4, directive_id, unit.path, unit.path + "~"],
        )
        return cur.fetchall()


class RollupCube(models.Model):
    """Experiment only: assignment counts per (directive, child of a top-level unit, dates).

    Keyed by the three dates the status depends on, so `status_case` over it gives the exact
    answer for ANY as_of; level 1 = children of the root, level 2 = children of a province.
    """

    child = models.CharField(max_length=255, primary_key=True)
    level = models.IntegerField()
    directive_id = models.IntegerField()
    due = models.DateField()
    started_on = models.DateField(null=True)
    completed_on = models.DateField(null=True)
    n = models.IntegerField()

    class Meta:
        app_label = "tracking"
        managed = False
        db_table = "bench_rollup_cube"

    def __str__(self):
        return self.child


def cube_rollup(unit: Unit, directive_id: int, as_of):
    level = len(unit.path) // 4
    return list(
        RollupCube.objects.filter(
            level=level,
            directive_id=directive_id,
            child__gte=unit.path,
            child__lt=unit.path + "~",
        )
        .annotate(status=status_case(as_of))
        .values("child", "status")
        .annotate(total=Sum("n"))
        .values_list("child", "status", "total")
        .order_by()
    )


def experiments(results, r, admin, prov_user, root, province, big, args):
    """Alternatives measured on the same rows, then dropped: an index on due for the overdue
    list, and a date-keyed counter table ("cube") for the top two levels."""
    with connection.cursor() as cur:
        t0 = time.perf_counter()
        cur.execute("CREATE INDEX asg_bench_due ON tracking_assignment (due, id)")
        cur.execute("ANALYZE tracking_assignment")
        results["due index build s"] = round(time.perf_counter() - t0, 1)
    try:
        r(
            "overdue first page country, index (due, id)",
            lambda: queries.overdue(admin, unit=root, as_of=AS_OF),
        )
        r(
            "overdue first page province (coordinator), index (due, id)",
            lambda: queries.overdue(prov_user, unit=province, as_of=AS_OF),
        )
    finally:
        with connection.cursor() as cur:
            cur.execute("DROP INDEX asg_bench_due")
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_rollup_cube")
        t0 = time.perf_counter()
        cur.execute(
            "CREATE TABLE bench_rollup_cube AS "
            "SELECT 1 AS level, directive_id, substr(unit_path, 1, 8) AS child, due, started_on, "
            "completed_on, count(*) AS n FROM tracking_assignment GROUP BY 1, 2, 3, 4, 5, 6 "
            "UNION ALL "
            "SELECT 2, directive_id, substr(unit_path, 1, 12), due, started_on, completed_on, "
            "count(*) FROM tracking_assignment WHERE length(unit_path) >= 8 "
            "GROUP BY 1, 2, 3, 4, 5, 6"
        )
        cur.execute("CREATE INDEX bench_cube_key ON bench_rollup_cube (level, directive_id, child)")
        cur.execute("ANALYZE bench_rollup_cube")
        results["cube build s"] = round(time.perf_counter() - t0, 1)
    try:
        results["cube rows"] = RollupCube.objects.count()
        results["cube rows, directive, level 1"] = RollupCube.objects.filter(
            level=1, directive_id=big.pk
        ).count()
        expected = {
            (row.path, status): n
            for row in queries.rollup(admin, unit=root, directive=big, as_of=AS_OF)
            for status, n in row.counts.items()
            if n
        }
        got = {(c, s): n for c, s, n in cube_rollup(root, big.pk, AS_OF)}
        assert got == expected, "cube disagrees with the recount"
        r("rollup country, cube", lambda: cube_rollup(root, big.pk, AS_OF))
        r("rollup province, cube", lambda: cube_rollup(province, big.pk, AS_OF))
        # A status write with the cube: the row, and -1/+1 on two levels' counter rows.
        ids = list(
            Assignment.objects.filter(directive=big, completed_on__isnull=True).values_list(
                "pk", "unit_path", "due", "started_on"
            )[: args.updates // 2]
        )
        t0 = time.perf_counter()
        for pk, path, due, started in ids:
            with transaction.atomic():
                Assignment.objects.filter(pk=pk).update(completed_on=AS_OF, percent=100)
                for level, width in ((1, 8), (2, 12)):
                    if len(path) < width - 4:
                        continue
                    key = {
                        "level": level,
                        "directive_id": big.pk,
                        "child": path[:width],
                        "due": due,
                    }
                    RollupCube.objects.filter(
                        **key, started_on=started, completed_on__isnull=True
                    ).update(n=F("n") - 1)
                    hit = RollupCube.objects.filter(
                        **key, started_on=started, completed_on=AS_OF
                    ).update(n=F("n") + 1)
                    if not hit:
                        with connection.cursor() as cur:
                            cur.execute(
                                "INSERT INTO bench_rollup_cube VALUES (%s, %s, %s, %s, %s, %s, 1)",
                                [level, big.pk, path[:width], due, started, AS_OF],
                            )
        results["status updates per s with cube (one per transaction)"] = round(
            len(ids) / (time.perf_counter() - t0)
        )
        print(results["status updates per s with cube (one per transaction)"], flush=True)
    finally:
        with connection.cursor() as cur:
            cur.execute("DROP TABLE bench_rollup_cube")


def fan_out_with_action(results, plan):
    """tracking.actions.assign (rule "kind": every grassroots organisation), rolled back."""
    from trienkhai.tracking.actions import assign as assign_actions

    try:
        with transaction.atomic():
            t_, _occ = bulk.task(plan, due=datetime.date(2023, 9, 30))
            t0 = time.perf_counter()
            created = assign_actions.assign(None, t_, rule="kind", kind="grassroots")
            results["fan-out to grassroots s (tracking.actions.assign)"] = round(
                time.perf_counter() - t0, 2
            )
            results["fan-out rows (tracking.actions.assign)"] = created
            raise Rollback
    except Rollback:
        pass
    print(results, flush=True)


def index_variant(runs: int, warmup: int) -> dict:
    """The proposed index set, inside a rolled-back transaction: no single-column directive
    index (it lures PostgreSQL's planner away from the path range), a covering index
    (directive, unit_path, due, completed_on, started_on), and (due, id) for overdue lists."""
    root = Unit.objects.get(code=ROOT_CODE)
    province = max(
        Unit.objects.filter(parent=root, kind="province"),
        key=lambda p: Unit.objects.filter(path__gte=p.path, path__lt=p.path + "~").count(),
    )
    admin, prov_user = users(province)
    big = Task.objects.filter(requires_plan=False).order_by("id").first().plan.directive

    def measure() -> dict:
        cases = {
            "rollup province (coordinator)": lambda: queries.rollup(
                prov_user, unit=province, directive=big, as_of=AS_OF
            ),
            "rollup country": lambda: queries.rollup(admin, unit=root, directive=big, as_of=AS_OF),
            "coverage province": lambda: queries.coverage(
                prov_user, unit=province, directive=big, as_of=AS_OF
            ),
            "overdue first page country": lambda: queries.overdue(admin, unit=root, as_of=AS_OF),
            "overdue first page province": lambda: queries.overdue(
                prov_user, unit=province, as_of=AS_OF
            ),
        }
        return {k: round(timed(fn, runs, warmup), 2) for k, fn in cases.items()}

    out = {"as shipped": measure()}
    print(out, flush=True)
    with transaction.atomic():
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute(
                    "SELECT indexname FROM pg_indexes WHERE tablename = 'tracking_assignment' "
                    "AND indexdef LIKE '%%(directive_id)'"
                )
            else:
                cur.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND "
                    "tbl_name = 'tracking_assignment' AND sql LIKE '%%(\"directive_id\")'"
                )
            for (name,) in cur.fetchall():
                cur.execute(f'DROP INDEX "{name}"')
            cur.execute(
                "CREATE INDEX v_cov ON tracking_assignment "
                "(directive_id, unit_path, due, completed_on, started_on)"
            )
            cur.execute("CREATE INDEX v_due ON tracking_assignment (due, id)")
            cur.execute("ANALYZE tracking_assignment")
        out["proposed indexes"] = measure()
        print(out, flush=True)
        transaction.set_rollback(True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--covering", action="store_true")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--experiments", action="store_true")
    parser.add_argument("--json")
    parser.add_argument("--fanout-only", action="store_true")
    parser.add_argument("--variant", action="store_true", help="only the proposed index set")
    args = parser.parse_args()
    results: dict[str, object] = {"vendor": connection.vendor}
    if args.variant:
        results["variant"] = index_variant(args.runs, args.warmup)
        if args.json:
            Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
        return 0
    if args.fanout_only:
        fan_out_with_action(results, Task.objects.order_by("id").first().plan)
        return 0
    if args.build and not Assignment.objects.exists():
        t0 = time.perf_counter()
        counts = bulk.build_national(stdout=sys.stdout)
        results["build s"] = round(time.perf_counter() - t0, 1)
        print(f"built {counts} in {results['build s']} s", flush=True)
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
        if connection.vendor == "postgresql":
            # After a bulk load the visibility map is empty: no index-only scans until VACUUM
            # (autovacuum would get there; the benchmark should not depend on when).
            for table in ("tracking_assignment", "tracking_progressreport", "units_unit"):
                cur.execute(f"VACUUM ANALYZE {table}")
    print(f"ANALYZE/VACUUM: {time.perf_counter() - t0:.1f} s", flush=True)

    root = Unit.objects.get(code=ROOT_CODE)
    province = max(
        Unit.objects.filter(parent=root, kind="province"),
        key=lambda p: Unit.objects.filter(path__gte=p.path, path__lt=p.path + "~").count(),
    )
    admin, prov_user = users(province)
    big = Task.objects.filter(requires_plan=False).order_by("id").first().plan.directive
    results.update(
        units=Unit.objects.count(),
        assignments=Assignment.objects.count(),
        reports=ProgressReport.objects.count(),
        directive_rows=Assignment.objects.filter(directive=big).count(),
        province=province.name,
        province_rows=Assignment.objects.filter(
            directive=big, unit_path__gte=province.path, unit_path__lt=province.path + "~"
        ).count(),
    )
    print(results, flush=True)

    def r(key, fn):
        results[key] = round(timed(fn, args.runs, args.warmup), 2)
        print(f"{key}: {results[key]}", flush=True)

    r(
        "rollup province (admin)",
        lambda: queries.rollup(admin, unit=province, directive=big, as_of=AS_OF),
    )
    r(
        "rollup province (coordinator)",
        lambda: queries.rollup(prov_user, unit=province, directive=big, as_of=AS_OF),
    )
    r("baseline GROUP BY province", lambda: baseline(big.pk, province))
    r("rollup country", lambda: queries.rollup(admin, unit=root, directive=big, as_of=AS_OF))
    r("baseline GROUP BY country", lambda: baseline(big.pk, root))
    r(
        "rollup country, all directives",
        lambda: queries.rollup(admin, unit=root, as_of=AS_OF),
    )
    r(
        "coverage province",
        lambda: queries.coverage(prov_user, unit=province, directive=big, as_of=AS_OF),
    )
    r("coverage country", lambda: queries.coverage(admin, unit=root, directive=big, as_of=AS_OF))
    r("overdue first page country", lambda: queries.overdue(admin, unit=root, as_of=AS_OF))
    r(
        "overdue first page country, one directive",
        lambda: queries.overdue(admin, unit=root, directive=big, as_of=AS_OF),
    )
    r(
        "overdue first page province (coordinator)",
        lambda: queries.overdue(prov_user, unit=province, as_of=AS_OF),
    )
    # Correctness guard: the roll-up must count every row of the directive.
    rows = queries.rollup(admin, unit=root, directive=big, as_of=AS_OF)
    assert sum(row.total for row in rows) == results["directive_rows"]

    if args.covering:
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(
                f"CREATE INDEX {COVERING} ON tracking_assignment "
                "(directive_id, unit_path, due, completed_on, started_on)"
            )
            cur.execute("ANALYZE tracking_assignment")
        results["covering index build s"] = round(time.perf_counter() - t0, 1)
        try:
            r(
                "rollup province, covering index",
                lambda: queries.rollup(admin, unit=province, directive=big, as_of=AS_OF),
            )
            r(
                "rollup country, covering index",
                lambda: queries.rollup(admin, unit=root, directive=big, as_of=AS_OF),
            )
            r("baseline GROUP BY country, covering index", lambda: baseline(big.pk, root))
            r(
                "coverage province, covering index",
                lambda: queries.coverage(prov_user, unit=province, directive=big, as_of=AS_OF),
            )
        finally:
            with connection.cursor() as cur:
                cur.execute(f"DROP INDEX {COVERING}")

    if args.experiments:
        experiments(results, r, admin, prov_user, root, province, big, args)

    # Writes. Status updates: one UPDATE per transaction (autocommit), as a report would do.
    ids = list(
        Assignment.objects.filter(directive=big, completed_on__isnull=True).values_list(
            "pk", flat=True
        )[: args.updates]
    )
    random.Random(1).shuffle(ids)
    t0 = time.perf_counter()
    for pk in ids:
        Assignment.objects.filter(pk=pk).update(started_on=AS_OF, percent=60)
    elapsed = time.perf_counter() - t0
    results["status updates per s (one per transaction)"] = round(len(ids) / elapsed)
    print(results["status updates per s (one per transaction)"], flush=True)

    grassroots = list(Unit.objects.filter(kind="grassroots", valid_to__isnull=True))
    results["fan-out units"] = len(grassroots)
    plan = big.plans_for_directive.first()
    try:
        with transaction.atomic():
            t_, occ = bulk.task(plan, due=datetime.date(2023, 6, 30))
            t0 = time.perf_counter()
            bulk.assign(t_, occ, grassroots, dates=lambda u: (None, None))
            results["fan-out to grassroots s (bulk builder)"] = round(time.perf_counter() - t0, 2)
            raise Rollback
    except Rollback:
        pass
    fan_out_with_action(results, plan)
    print(results, flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
