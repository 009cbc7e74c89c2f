"""Fan-out of one task to every grassroots organisation, COMMITTED: the page a coordinator uses.

`bench_fanout.py` rolls its transaction back, so it never pays what PostgreSQL does at commit:
the deferred foreign-key checks of the 55,000 assignments and their change-log rows. Here each
run makes a new directive, plan and one-off task (committed, not timed), then times either
`POST /tracking/tasks/<pk>/assign/` with rule "kind" = grassroots through the Django test client
as the national administrator (`--mode http`: form, permission, action, commit, redirect) or
`tracking.actions.assign` in its own transaction (`--mode action`), commit included. After each
run the new assignments are deleted again (not timed; the change log is append-only).

Run on the national data set of bench/README.md ("Tracking"), with TRIENKHAI_DATA_DIR /
DATABASE_URL as for the app. `--explain` prints the plans of the fan-out's two reads that used
to scan (the task's last id, the target units) on the real statistics.
Usage: python bench/bench_fanout_commit.py [--mode http|action] [--runs 3] [--explain] [--json f]
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from trienkhai.core.context import acting_as  # noqa: E402
from trienkhai.demo.generate import ROOT_CODE  # noqa: E402
from trienkhai.documents import actions as doc_actions  # noqa: E402
from trienkhai.documents.models import DocType  # noqa: E402
from trienkhai.tracking.actions import assign as assign_actions  # noqa: E402
from trienkhai.tracking.actions import plans as plan_actions  # noqa: E402
from trienkhai.tracking.models import Assignment  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402

ADMIN = "bench-fanout-admin"


def new_task(root: Unit, tag: str):
    """A directive, its plan at the root and a one-off task, committed (not timed)."""
    with transaction.atomic(), acting_as(None, f"bench-setup-{tag}"):
        directive = doc_actions.register_document(
            None,
            symbol=f"{tag}-KL/TW",
            doc_type=DocType.CONCLUSION,
            issuing_unit=root,
            term="XIII",
            date=datetime.date(2021, 10, 25),
            subject="Kết luận (bench fan-out committed)",
        )
        plan_doc = doc_actions.register_document(
            None,
            symbol=f"{tag}-KH/TW",
            doc_type=DocType.PLAN,
            issuing_unit=root,
            term="XIII",
            date=datetime.date(2021, 12, 1),
            subject="Kế hoạch (bench fan-out committed)",
        )
        plan = plan_actions.register_plan(None, plan_doc, implements=directive)
        return plan_actions.add_task(
            None, plan, title="Nhiệm vụ", lead_unit=root, deadline_text="quý I/2022"
        )


def remove_assignments(task) -> None:
    """Undo a run (not timed) so the data set stays the same: its assignments go (their counter
    rows with them, by the triggers); the change log is append-only, its rows stay."""
    with transaction.atomic():
        Assignment.objects.filter(task=task).delete()


def explain(task, root: Unit) -> None:
    from trienkhai.tracking.actions.assign import _targets

    queries = {
        "last id of the task": Assignment.objects.filter(task=task)
        .order_by("-id")
        .values_list("id", flat=True)[:1],
        "target units": _targets(task, None, "kind", "grassroots").values("id", "path"),
    }
    for name, qs in queries.items():
        print(f"-- {name}\n{qs.explain()}", flush=True)


def one_run(mode: str, root: Unit, client: Client, n: int) -> tuple[float, int]:
    tag = str(random.randrange(10**6, 10**7))  # a fresh document number
    task = new_task(root, tag)
    t0 = time.perf_counter()
    if mode == "http":
        response = client.post(
            f"/tracking/tasks/{task.pk}/assign/", {"rule": "kind", "kind": "grassroots"}
        )
        seconds = time.perf_counter() - t0
        assert response.status_code == 302, response.status_code
    else:
        with acting_as(None, f"bench-fanout-{tag}"):
            assign_actions.assign(None, task, rule="kind", kind="grassroots")  # its own transaction
        seconds = time.perf_counter() - t0
    assert not connection.in_atomic_block
    created = Assignment.objects.filter(task=task).count()
    remove_assignments(task)
    return seconds, created


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("http", "action"), default="http")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--json")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    root = Unit.objects.get(code=ROOT_CODE)
    admin = get_user_model().objects.filter(username=ADMIN).first()
    if admin is None:
        admin = get_user_model().objects.create_superuser(ADMIN, password=uuid.uuid4().hex)
    client = Client()
    client.force_login(admin)
    if args.explain:
        explain(new_task(root, str(random.randrange(10**6, 10**7))), root)
    times, created = [], 0
    for n in range(args.runs):
        s, created = one_run(args.mode, root, client, n)
        times.append(s)
        print(f"run {n + 1} ({args.mode}): {s:.2f} s committed, {created} assignments", flush=True)
    result = {
        "vendor": connection.vendor,
        "mode": args.mode,
        "created": created,
        "runs s": [round(t, 2) for t in times],
        "median s": round(statistics.median(times), 2),
    }
    print(json.dumps(result, ensure_ascii=False), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
