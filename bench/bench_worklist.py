"""The daily loop at national scale: the home page (work list and summary band), the review
queue, and accepting 1,000 reports at once, on a database filled for bench_tracking.py.

Setup (once, idempotent): the province with the largest subtree issues its own plan with one
task assigned to every unit of its subtree (assigned by the province, so its coordinators review
it), and 10,000 of those units have filed a report waiting for review (half of them "done").
Users: the national administrator, that province's coordinator, and a reporter of one of its
communes.

Measured through Django's test client (URL routing, middleware, session, scope, templates;
every write committed): GET / for each user, GET /tracking/review/ for the coordinator (first
page of 50 of the 10,000), and POST /tracking/review/accept/ confirming 1,000 reports (one
transaction: the reports, their assignments, the counters' triggers and 2,000 log rows).
Median of --runs after --warmup, wall and CPU milliseconds.

Usage: python bench/bench_worklist.py [--runs 20] [--warmup 3] [--accept-runs 3]
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.builders import bulk  # noqa: E402
from trienkhai.accounts.models import Grant, Role  # noqa: E402
from trienkhai.tracking.models import Assignment, ProgressReport, ReportState  # noqa: E402
from trienkhai.tree.kinds import UnitKind  # noqa: E402
from trienkhai.tree.paths import UPPER  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402

WAITING = 10_000
TAG = "Kế hoạch bench_worklist"


def province() -> Unit:
    """The province with the most units below it."""
    best, size = None, -1
    for p in Unit.objects.filter(kind=UnitKind.PROVINCE):
        n = Unit.objects.filter(path__gte=p.path, path__lt=p.path + UPPER).count()
        if n > size:
            best, size = p, n
    return best


def user(name, *grants, superuser=False):
    User = get_user_model()
    u, created = User.objects.get_or_create(username=name)
    if created:
        u.is_superuser = u.is_staff = superuser
        u.set_password("bench-pass-2026")
        u.save()
        for role, unit, subtree in grants:
            Grant.objects.create(user=u, role=role, unit=unit, include_subtree=subtree)
    return u


def setup(prov: Unit) -> None:
    """The province's own plan, assigned to its subtree, with WAITING reports waiting (topped
    up again after the acceptances of an earlier run)."""
    today = timezone.localdate()
    if not Assignment.objects.filter(task__title=TAG).exists():
        with transaction.atomic():
            doc = bulk.directive(prov, date=today - datetime.timedelta(days=30), subject=TAG)
            plan = bulk.plan(doc, prov, date=today - datetime.timedelta(days=25))
            task, occ = bulk.task(plan, due=today + datetime.timedelta(days=5), title=TAG)
            units = list(Unit.objects.filter(path__gt=prov.path, path__lt=prov.path + UPPER))
            bulk.assign(task, occ, units, dates=lambda _u: (None, None))
            Assignment.objects.filter(task=task).update(assigned_by=prov)
    waiting = ProgressReport.objects.filter(
        state=ReportState.SUBMITTED, assignment__task__title=TAG
    ).count()
    if waiting >= WAITING:
        return
    with transaction.atomic():
        rows = list(
            Assignment.objects.filter(
                task__title=TAG, completed_on__isnull=True, claimed_on__isnull=True
            )
            .exclude(reports__state=ReportState.SUBMITTED)
            .order_by("id")[: WAITING - waiting]
        )
        reports = []
        for i, a in enumerate(rows):
            done = i % 2 == 0
            reports.append(
                ProgressReport(
                    assignment_id=a.pk,
                    assigner_path=prov.path,
                    reported_on=today - datetime.timedelta(days=i % 20),
                    done=done,
                    percent=100 if done else 40,
                    narrative="Đã triển khai tới các chi bộ",
                    state=ReportState.SUBMITTED,
                )
            )
        ProgressReport.objects.bulk_create(reports, batch_size=2000)
        done_ids = [a.pk for i, a in enumerate(rows) if i % 2 == 0]
        for start in range(0, len(done_ids), 900):
            Assignment.objects.filter(pk__in=done_ids[start : start + 900]).update(
                claimed_on=today - datetime.timedelta(days=3), percent=100, started_on=today
            )
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def timed(client, method, url, runs, warmup, data=None) -> tuple[float, float, int]:
    call = getattr(client, method)
    for _ in range(warmup):
        call(url, data) if data is not None else call(url)
    wall, cpu, status = [], [], 0
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        response = call(url, data) if data is not None else call(url)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        status = response.status_code
    return statistics.median(wall), statistics.median(cpu), status


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--accept-runs", type=int, default=3)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    prov = province()
    t0 = time.perf_counter()
    setup(prov)
    print(
        f"vendor {connection.vendor}; province {prov.name}; setup {time.perf_counter() - t0:.1f} s"
    )
    commune = (
        Unit.objects.filter(kind=UnitKind.COMMUNE, path__gt=prov.path, path__lt=prov.path + UPPER)
        .order_by("path")
        .first()
    )
    people = {
        "commune reporter": user("bench-wl-reporter", (Role.REPORTER, commune, False)),
        "province coordinator": user("bench-wl-coord", (Role.COORDINATOR, prov, True)),
        "national administrator": user("bench-wl-admin", superuser=True),
    }
    waiting = ProgressReport.objects.filter(
        state=ReportState.SUBMITTED, assignment__assigned_by=prov
    ).count()
    print(f"reports waiting for the province: {waiting}")
    for who, u in people.items():
        client = Client()
        client.force_login(u)
        cache.clear()
        ms, cpu, status = timed(client, "get", "/", args.runs, args.warmup)
        print(f"home, {who:24} {ms:8.1f} ms (CPU {cpu:.1f} ms, HTTP {status})")
    coord = Client()
    coord.force_login(people["province coordinator"])
    ms, cpu, status = timed(coord, "get", "/tracking/review/", args.runs, args.warmup)
    print(f"review queue, first page   {ms:8.1f} ms (CPU {cpu:.1f} ms, HTTP {status})")
    for n in range(args.accept_runs):
        ids = list(
            ProgressReport.objects.filter(state=ReportState.SUBMITTED, assignment__assigned_by=prov)
            .order_by("submitted_at", "id")
            .values_list("pk", flat=True)[:1000]
        )
        c0, t0 = time.process_time(), time.perf_counter()
        # What the confirmation page posts: the ids in one field, and the confirmation.
        response = coord.post(
            "/tracking/review/accept/", {"ids": ",".join(map(str, ids)), "confirm": "1"}
        )
        wall = (time.perf_counter() - t0) * 1000
        cpu = (time.process_time() - c0) * 1000
        left = ProgressReport.objects.filter(pk__in=ids, state=ReportState.SUBMITTED).count()
        print(
            f"accept 1,000 reports, run {n + 1} {wall:8.1f} ms (CPU {cpu:.1f} ms, "
            f"HTTP {response.status_code}, still waiting among them: {left})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
