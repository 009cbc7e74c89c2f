"""Reached against target at national scale: one task with a numeric target assigned to every
commune-level and grassroots unit of the tree made by `trienkhai generate`.

The rows are written with INSERT … SELECT (tests/builders/bulk.py), each unit's share and amount
reached drawn from a hash of its id (70 % with an accepted amount, 10 % with a later amount
awaiting review); `--noise N` adds N directives of ordinary assignments first (directive 1 to
every unit), so the targeted rows sit among many others as in use. It runs ANALYZE (and
VACUUM on PostgreSQL), then prints
the median of --runs timed runs after --warmup, in milliseconds, of
`tracking.queries.target_rollup` + `target_total` (what the task page, the dashboard, the export
and the API read) for the province with the most targeted rows (as its coordinator, and as a
national administrator) and for the country.
Usage: python bench/bench_targets.py [--runs 20] [--warmup 3] [--noise 20] [--json out.json]
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
from django.db.models.functions import Substr  # noqa: E402

from tests.builders import bulk  # noqa: E402
from trienkhai.accounts.models import Grant, Role  # noqa: E402
from trienkhai.demo.generate import ROOT_CODE  # noqa: E402
from trienkhai.tracking import queries  # noqa: E402
from trienkhai.tracking.models import Assignment, Task  # noqa: E402
from trienkhai.tree.paths import SEGMENT_WIDTH  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402

TITLE = "Bench: kết nạp đảng viên (chỉ tiêu)"
KINDS = ("commune", "ward", "special_zone", "grassroots")


def timed(fn, runs: int, warmup: int) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(samples), 2)


def build(root: Unit, noise: int) -> Task:
    task = Task.objects.filter(title=TITLE).first()
    if task is not None:
        return task
    if noise:
        t0 = time.perf_counter()
        counts = bulk.build_national(directives=noise, reports_per_assignment=0)
        print(f"noise: {counts} in {time.perf_counter() - t0:.1f} s", flush=True)
    t0 = time.perf_counter()
    with transaction.atomic():
        doc = bulk.directive(root, subject="Chỉ tiêu kết nạp đảng viên")
        plan = bulk.plan(doc, root)
        task, occ = bulk.task(plan, due=datetime.date(2022, 12, 31), title=TITLE)
        Task.objects.filter(pk=task.pk).update(target_value=500_000, target_unit="đảng viên")
        kinds = ", ".join(f"'{k}'" for k in KINDS)  # fixed literals
        n = bulk._insert_assignments(task, occ, root, f"u.kind IN ({kinds})", 7)
        h = "((id * 2654435761) %% 1000)"
        with connection.cursor() as cur:
            cur.execute(
                "UPDATE tracking_assignment SET "  # noqa: S608 - fixed text and an int
                f"target = 5 + {h} %% 16, "
                f"reached = CASE WHEN {h} < 700 THEN {h} %% 19 END, "
                f"reached_pending = CASE WHEN {h} >= 900 THEN {h} %% 23 END "
                "WHERE task_id = %s",
                [task.pk],
            )
    print(f"targeted rows: {n} in {time.perf_counter() - t0:.1f} s", flush=True)
    return Task.objects.get(pk=task.pk)


def province_user(province: Unit):
    User = get_user_model()
    user = User.objects.filter(username="bench-targets-province").first()
    if user is None:
        # Benchmark fixture, like the bulk rows: a grant row written directly.
        user = User.objects.create_user("bench-targets-province", password="x-bench-pass")  # noqa: S106
        Grant.objects.create(user=user, role=Role.COORDINATOR, unit=province, include_subtree=True)
    admin = User.objects.filter(username="bench-admin").first()
    if admin is None:
        admin = User.objects.create_superuser("bench-admin", password="bench-admin-pass")  # noqa: S106
    return User.objects.get(pk=user.pk), User.objects.get(pk=admin.pk)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--noise", type=int, default=20)
    p.add_argument("--json")
    args = p.parse_args()
    root = Unit.objects.get(code=ROOT_CODE)
    task = build(root, args.noise)
    occ = task.occurrences.get()
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # After a bulk load the visibility map is empty: index-only scans still read the
            # heap until a VACUUM, which autovacuum would do in use.
            cur.execute("VACUUM ANALYZE tracking_assignment")
        cur.execute("ANALYZE")
    # The province with the most targeted rows under it.
    top = (
        Assignment.objects.filter(task=task)
        .values_list(Substr("unit_path", 1, 2 * SEGMENT_WIDTH))
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    province = Unit.objects.get(path=top[0])
    coordinator, admin = province_user(province)
    total_rows = Assignment.objects.count()

    def roll(user, unit):
        lines = queries.target_rollup(user, unit=unit, task=task, occurrence=occ)
        return queries.target_total(unit, task, lines)

    check = roll(coordinator, province)
    assert check.units == top[1], (check.units, top[1])
    results = {
        "engine": connection.vendor,
        "assignments": total_rows,
        "targeted rows": Assignment.objects.filter(task=task).count(),
        "province": f"{province.name} ({top[1]} targeted units)",
        "province total": check.text,
        "province roll-up, coordinator (ms)": timed(
            lambda: roll(coordinator, province), args.runs, args.warmup
        ),
        "province roll-up, administrator (ms)": timed(
            lambda: roll(admin, province), args.runs, args.warmup
        ),
        "country roll-up, administrator (ms)": timed(
            lambda: roll(admin, root), args.runs, args.warmup
        ),
        "load average": os.getloadavg()[0],
    }
    rows = queries._subtree(coordinator, province, task=task).filter(
        occurrence=occ, target__isnull=False
    )
    results["plan"] = rows.values("unit_path").explain()[:400]
    for key, value in results.items():
        print(f"{key}: {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
