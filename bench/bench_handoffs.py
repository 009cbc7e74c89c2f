"""Hand-off fan-out: one task assigned to every grassroots organisation, each with its reporter.

Run on a tree made by `trienkhai generate` (see bench/README.md, "Hand-offs"), with
TRIENKHAI_DATA_DIR / DATABASE_URL as for the app. The first run gives every open grassroots
organisation one reporter (an exact grant on it, an e-mail address, one in ten on the daily
digest) and every commune one coordinator (a subtree grant): ~58,000 users, bulk-inserted once,
kept for later runs. Each run then makes a directive, a plan at the root and a one-off task
(committed, not timed) and times:

- queued: `tracking.actions.assign(rule="kind", kind="grassroots")` in its own transaction,
  commit included, up to the moment the hand-off task is in the queue (the database backend's
  row, or Redis with TRIENKHAI_TASKS=rq): the fan-out itself, plus one enqueue;
- the enqueue alone (the on-commit callback);
- delivered: the worker running that one task (`run_pending`): the recipients resolved and
  their notifications inserted by one INSERT … SELECT, then the immediate e-mails rendered in
  each reader's language and handed to the mail backend (Django's dummy backend: nothing
  leaves the machine), with the split between the two.

Afterwards the run's assignments and notifications are deleted (not timed).
Usage: python bench/bench_handoffs.py [--runs 3] [--json out.json]
"""

import argparse
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

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from trienkhai.accounts.models import Grant, Role  # noqa: E402
from trienkhai.core.background.worker import run_pending  # noqa: E402
from trienkhai.core.context import acting_as  # noqa: E402
from trienkhai.demo.generate import ROOT_CODE  # noqa: E402
from trienkhai.documents import actions as doc_actions  # noqa: E402
from trienkhai.documents.models import DocType  # noqa: E402
from trienkhai.notify import email as notify_email  # noqa: E402
from trienkhai.notify import handoffs  # noqa: E402
from trienkhai.notify.models import Delivery, Notification, Preference  # noqa: E402
from trienkhai.tracking.actions import assign as assign_actions  # noqa: E402
from trienkhai.tracking.actions import plans as plan_actions  # noqa: E402
from trienkhai.tracking.models import Assignment  # noqa: E402
from trienkhai.tree.kinds import COMMUNE_LEVEL  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402

PREFIX = "bench-ho-"
BATCH = 5000


def people() -> int:
    """One reporter per open grassroots organisation, one coordinator per commune (once)."""
    User = get_user_model()
    if User.objects.filter(username__startswith=PREFIX).exists():
        return User.objects.filter(username__startswith=PREFIX).count()
    t0 = time.perf_counter()
    orgs = list(
        Unit.objects.filter(kind="grassroots", valid_to__isnull=True).values_list("id", flat=True)
    )
    communes = list(
        Unit.objects.filter(kind__in=sorted(COMMUNE_LEVEL), valid_to__isnull=True).values_list(
            "id", flat=True
        )
    )
    plan = [(f"{PREFIX}r{u}", u, Role.REPORTER, False) for u in orgs]
    plan += [(f"{PREFIX}c{u}", u, Role.COORDINATOR, True) for u in communes]
    for i in range(0, len(plan), BATCH):
        chunk = plan[i : i + BATCH]
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(username=name, email=f"{name}@example.vn", password="!")  # noqa: S106
                    for name, *_rest in chunk
                ]
            )
            if users[0].pk is None:  # SQLite before RETURNING: read the ids back
                ids = dict(
                    User.objects.filter(username__in=[c[0] for c in chunk]).values_list(
                        "username", "id"
                    )
                )
            else:
                ids = {u.username: u.pk for u in users}
            Grant.objects.bulk_create(
                Grant(user_id=ids[name], unit_id=unit, role=role, include_subtree=subtree)
                for name, unit, role, subtree in chunk
            )
            Preference.objects.bulk_create(
                Preference(user_id=ids[name], delivery=Delivery.DIGEST)
                for n, (name, *_rest) in enumerate(chunk)
                if n % 10 == 0
            )
    print(f"people: {len(plan)} users in {time.perf_counter() - t0:.1f} s", flush=True)
    return len(plan)


def new_task(root: Unit, tag: str):
    with transaction.atomic(), acting_as(None, f"bench-setup-{tag}"):
        directive = doc_actions.register_document(
            None,
            symbol=f"{tag}-KL/TW",
            doc_type=DocType.CONCLUSION,
            issuing_unit=root,
            term="XIII",
            date=django.utils.timezone.localdate(),
            subject="Kết luận (bench hand-offs)",
        )
        plan_doc = doc_actions.register_document(
            None,
            symbol=f"{tag}-KH/TW",
            doc_type=DocType.PLAN,
            issuing_unit=root,
            term="XIII",
            date=django.utils.timezone.localdate(),
            subject="Kế hoạch (bench hand-offs)",
        )
        plan = plan_actions.register_plan(None, plan_doc, implements=directive)
        return plan_actions.add_task(
            None, plan, title="Nhiệm vụ toàn quốc", lead_unit=root, deadline_text="quý IV/2030"
        )


def drain() -> None:
    """Run whatever an earlier, interrupted run left queued (not timed)."""
    while run_pending(limit=10):
        pass


def one_run(root: Unit, n: int) -> dict:
    drain()
    task = new_task(root, str(random.randrange(10**6, 10**7)))  # a fresh document number
    timing = {}
    real_enqueue = handoffs._enqueue

    def timed_enqueue(entry_id):
        t = time.perf_counter()
        real_enqueue(entry_id)
        timing["enqueue"] = time.perf_counter() - t
        timing["entry"] = entry_id

    handoffs._enqueue = timed_enqueue
    try:
        t0 = time.perf_counter()
        with acting_as(None, f"bench-handoff-{n}"):
            created = assign_actions.assign(None, task, rule="kind", kind="grassroots")
        queued = time.perf_counter() - t0
    finally:
        handoffs._enqueue = real_enqueue
    key = handoffs.key_of(timing["entry"])
    # The worker: the one queued task, as `trienkhai worker` runs it.
    real_email = notify_email.email_pending
    mail = {}

    def timed_email(k):
        t = time.perf_counter()
        out = real_email(k)
        mail["s"] = time.perf_counter() - t
        return out

    notify_email.email_pending = timed_email  # deliver_entry imports it when it runs
    try:
        t1 = time.perf_counter()
        ran = run_pending(limit=1)
        delivered = time.perf_counter() - t1
    finally:
        notify_email.email_pending = real_email
    notified = Notification.objects.filter(key=key).count()
    emailed = Notification.objects.filter(key=key, emailed_at__isnull=False).count()
    assert ran == 1 and notified == created, (ran, notified, created)
    # Clean up (not timed): the bench's notifications and this run's assignments.
    with transaction.atomic():
        Notification.objects.filter(key__startswith="handoff:").delete()
        Assignment.objects.filter(task=task).delete()
    return {
        "assignments": created,
        "queued s": round(queued, 2),
        "enqueue ms": round(timing["enqueue"] * 1000, 1),
        "delivered s": round(delivered, 2),
        "notifications inserted s": round(delivered - mail.get("s", 0), 2),
        "e-mails s": round(mail.get("s", 0), 2),
        "notified": notified,
        "emailed": emailed,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    users = people()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    root = Unit.objects.get(code=ROOT_CODE)
    runs = []
    for n in range(args.runs):
        r = one_run(root, n)
        runs.append(r)
        print(f"run {n + 1}: {json.dumps(r, ensure_ascii=False)}", flush=True)
    result = {
        "vendor": connection.vendor,
        "backend": settings.TASKS["default"]["BACKEND"],
        "units": Unit.objects.count(),
        "users": users,
        "runs": runs,
        **{
            f"median {k}": statistics.median(r[k] for r in runs)
            for k in ("queued s", "enqueue ms", "delivered s", "notifications inserted s")
        },
    }
    print(json.dumps(result, ensure_ascii=False), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
