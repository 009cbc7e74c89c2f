"""Fan-out benchmark: `tracking.actions.assign` of a one-off task to every grassroots organisation.

Run on a tree made by `trienkhai generate` (see bench/README.md, "Fan-out"), with
TRIENKHAI_DATA_DIR / DATABASE_URL as for the app. Each run registers a directive, a plan at the
root and a one-off task through the ordinary actions (not timed), times
`assign(None, task, rule="kind", kind="grassroots")`, checks the assignments and their change-log
rows, then rolls everything back. Prints the median of --runs runs in seconds.
Usage: python bench/bench_fanout.py [--runs 3] [--json out.json]
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

from django.db import connection, transaction  # noqa: E402

from trienkhai.core.context import acting_as  # noqa: E402
from trienkhai.core.models import ChangeLogEntry  # noqa: E402
from trienkhai.demo.generate import ROOT_CODE  # noqa: E402
from trienkhai.documents import actions as doc_actions  # noqa: E402
from trienkhai.documents.models import DocType  # noqa: E402
from trienkhai.tracking.actions import assign as assign_actions  # noqa: E402
from trienkhai.tracking.actions import plans as plan_actions  # noqa: E402
from trienkhai.tracking.models import Assignment  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402


class Rollback(Exception):
    pass


def one_run(root: Unit, n: int) -> tuple[float, int]:
    """One timed fan-out inside a transaction that is rolled back; returns (seconds, created)."""
    out = {}
    try:
        with transaction.atomic(), acting_as(None, f"bench-fanout-{n}"):
            directive = doc_actions.register_document(
                None,
                symbol=f"{900 + n}-KL/TW",
                doc_type=DocType.CONCLUSION,
                issuing_unit=root,
                term="XIII",
                date=datetime.date(2021, 10, 25),
                subject="Kết luận (bench fan-out)",
            )
            plan_doc = doc_actions.register_document(
                None,
                symbol=f"{900 + n}-KH/TW",
                doc_type=DocType.PLAN,
                issuing_unit=root,
                term="XIII",
                date=datetime.date(2021, 12, 1),
                subject="Kế hoạch (bench fan-out)",
            )
            plan = plan_actions.register_plan(None, plan_doc, implements=directive)
            task = plan_actions.add_task(
                None, plan, title="Nhiệm vụ", lead_unit=root, deadline_text="quý I/2022"
            )
            t0 = time.perf_counter()
            created = assign_actions.assign(None, task, rule="kind", kind="grassroots")
            out["s"] = time.perf_counter() - t0
            logged = ChangeLogEntry.objects.filter(
                action="tracking.assign", request_id=f"bench-fanout-{n}"
            ).count()
            rows = Assignment.objects.filter(task=task).count()
            assert created == rows == logged, (created, rows, logged)
            out["created"] = created
            raise Rollback
    except Rollback:
        pass
    return out["s"], out["created"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    root = Unit.objects.get(code=ROOT_CODE)
    times = []
    created = 0
    for n in range(args.runs):
        s, created = one_run(root, n)
        times.append(s)
        print(f"run {n + 1}: {s:.2f} s, {created} assignments", flush=True)
    result = {
        "vendor": connection.vendor,
        "units": Unit.objects.count(),
        "grassroots": Unit.objects.filter(kind="grassroots", valid_to__isnull=True).count(),
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
