"""The whole dashboard page, rendered through Django, on a database filled for bench_tracking.py.

Measures GET /tracking/ (coverage, roll-up by child with its chart, ranking, first overdue page,
trend) for the largest directive, as the national administrator for the country and as the
coordinator of the largest province, median of --runs after --warmup, in milliseconds.
Prints the median wall time and the median CPU time of the process (steadier on a shared machine).
Usage: python bench/bench_dashboard.py [--runs 10] [--warmup 2] [--as-of 2022-06-30]
"""

import argparse
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
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from trienkhai.accounts.models import Grant, Role  # noqa: E402
from trienkhai.tracking.models import Assignment  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402


def timed(client, url, runs, warmup) -> tuple[float, float, int]:
    """Median wall time and median CPU time of this process, in ms, and the last status.

    On a shared machine the CPU time moves less with the other processes' load than the wall
    time (SQLite runs in this process, so its work is counted too).
    """
    for _ in range(warmup):
        client.get(url)
    wall, cpu = [], []
    status = 0
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        response = client.get(url)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        status = response.status_code
    return statistics.median(wall), statistics.median(cpu), status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--as-of", default="30/06/2022", help="dd/mm/yyyy, as the form takes it")
    parser.add_argument(
        "--default-page",
        action="store_true",
        help="only GET /tracking/ with no parameter (all directives, today), as the administrator",
    )
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    if args.default_page:
        admin, _ = get_user_model().objects.get_or_create(
            username="bench-dash-admin", is_superuser=True
        )
        client = Client()
        client.force_login(admin)
        assert client.get("/tracking/").status_code == 200
        ms, cpu, status = timed(client, "/tracking/", args.runs, args.warmup)
        print(
            f"vendor {connection.vendor}; default dashboard {ms:8.1f} ms "
            f"(CPU {cpu:.1f} ms, HTTP {status})"
        )
        return
    big = (
        Assignment.objects.values("directive_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["directive_id"]
    )
    root = Unit.objects.get(depth=0)
    province = (
        Unit.objects.filter(parent=root, kind="province")
        .annotate(n=Count("children"))
        .order_by("-n")
        .first()
    )
    User = get_user_model()
    admin, _ = User.objects.get_or_create(username="bench-dash-admin", is_superuser=True)
    coord, created = User.objects.get_or_create(username="bench-dash-province")
    if created:
        Grant.objects.create(user=coord, role=Role.COORDINATOR, unit=province)
    print(f"vendor {connection.vendor}; directive {big}; province {province.name}")
    for label, user, unit in (("country", admin, root), ("province", coord, province)):
        client = Client()
        client.force_login(user)
        url = f"/tracking/?unit={unit.pk}&directive={big}&as_of={args.as_of}"
        page = client.get(url).content.decode()
        assert args.as_of in page and "errors" not in page, "the dashboard did not take the date"
        ms, cpu, status = timed(client, url, args.runs, args.warmup)
        print(f"dashboard {label:<9} {ms:8.1f} ms (CPU {cpu:.1f} ms, HTTP {status})")


if __name__ == "__main__":
    main()
