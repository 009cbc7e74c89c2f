"""The daily reminder job at national scale, on the database bench_rollups.py reads.

Adds (once) a realistic set of reporters — a coordinator for each province (whole subtree), a
reporter for each commune-level unit (whole subtree) and one for each of the first --grassroots
grassroots organisations (that unit only) — then times `tracking.reminders.send_reminders` for
one day: the digests of every user, their notifications and their e-mails (to Django's in-memory
mail backend), in a transaction that is rolled back so the run can be repeated.
Usage: python bench/bench_reminders.py [--day 2022-06-30] [--grassroots 10000] [--runs 2]
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
from django.db import connection, transaction  # noqa: E402

from trienkhai.accounts.models import Grant, Role  # noqa: E402
from trienkhai.tracking import reminders  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402

PREFIX = "bench-rem-"


class Rollback(Exception):
    pass


def ensure_users(grassroots: int) -> int:
    """Benchmark fixture: users and grants written directly, like the bulk tracking rows."""
    User = get_user_model()
    if User.objects.filter(username__startswith=PREFIX).exists():
        return User.objects.filter(username__startswith=PREFIX).count()
    plans = [(u, Role.COORDINATOR, True) for u in Unit.objects.filter(kind="province")]
    plans += [
        (u, Role.REPORTER, True)
        for u in Unit.objects.filter(kind__in=["commune", "ward", "special_zone"])
    ]
    plans += [
        (u, Role.REPORTER, False)
        for u in Unit.objects.filter(kind="grassroots").order_by("path")[:grassroots]
    ]
    users = User.objects.bulk_create(
        [
            User(username=f"{PREFIX}{unit.pk}", email=f"{PREFIX}{unit.pk}@example.invalid")
            for unit, _role, _sub in plans
        ],
        batch_size=5000,
    )
    Grant.objects.bulk_create(
        [
            Grant(user=user, role=role, unit=unit, include_subtree=sub)
            for user, (unit, role, sub) in zip(users, plans, strict=True)
        ],
        batch_size=5000,
    )
    return len(users)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--day", default="2022-06-30")
    parser.add_argument("--grassroots", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    day = datetime.date.fromisoformat(args.day)
    n_users = ensure_users(args.grassroots)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"{connection.vendor}: {n_users} bench users", flush=True)
    samples = []
    for _ in range(args.runs):
        try:
            with transaction.atomic():
                t0 = time.perf_counter()
                result = reminders.send_reminders(day)
                samples.append(time.perf_counter() - t0)
                print(f"{result} in {samples[-1]:.1f} s", flush=True)
                raise Rollback
        except Rollback:
            pass
    print(f"send_reminders median {statistics.median(samples):.1f} s over {len(samples)} runs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
