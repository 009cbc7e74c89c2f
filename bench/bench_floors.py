"""Roll-ups and dashboards over HTTP against their database floors, measured in the same run.

On a database filled for bench_tracking.py and prepared by bench/morning.py, with
`trienkhai serve` started here (default settings; the environment is passed on, so
TRIENKHAI_PANEL_CACHE_SECONDS=0 measures every answer computed afresh):
- the province roll-up API (`/api/rollup/`, the province of morning.py, the largest directive)
  as its coordinator, against a plain SQL GROUP BY child over the same assignment rows;
- the root roll-up API as a national administrator, against the counters query the roll-up
  itself runs (the largest directive's counter rows by child of the root, a filtered sum per
  status, as of today);
- the province's dashboard for that directive and its default dashboard (no directive), as its
  coordinator, and the national administrator's default dashboard.
Runs alternate (one request, one floor query) so that both see the same machine. Median of
--runs after --warmup, in milliseconds; the server time is the Server-Timing header's.

Usage: python bench/bench_floors.py [--runs 30] [--warmup 3]
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")

import django  # noqa: E402

django.setup()

import bench_worklist  # noqa: E402
import requests  # noqa: E402
from bench_requests import start_server  # noqa: E402
from django.db import connection  # noqa: E402
from mix import server_timing  # noqa: E402
from morning import session_for  # noqa: E402

from trienkhai.units.models import Unit  # noqa: E402


def sql_timer(sql, params):
    def run():
        with connection.cursor() as cur:
            t0 = time.perf_counter()
            cur.execute(sql, params)
            cur.fetchall()
            return (time.perf_counter() - t0) * 1000

    return run


def counters_query(root, directive_id):
    """The SQL the root's roll-up runs on the counters (tracking.queries._grouped): counter rows
    of the directive by child of the root, one filtered sum per status."""
    from trienkhai.documents.models import Document
    from trienkhai.tracking import queries
    from trienkhai.tracking.status import Status, status_q

    admin = bench_worklist.user("bench-m-admin", superuser=True)
    source = queries._source(admin, root, Document.objects.get(pk=directive_id))
    as_of = datetime.date.today()
    sums = {s: source.count(source.column, filter=status_q(s, as_of)) for s in Status.ORDER}
    qs = source.rows.annotate(child=source.child).values("child").annotate(**sums).order_by()
    return qs.query.sql_with_params()


def http_timer(base, plan, session, path):
    s = requests.Session()
    s.cookies.set(plan["session_cookie"], session, domain="127.0.0.1")

    def run():
        t0 = time.perf_counter()
        r = s.get(base + path)
        wall = (time.perf_counter() - t0) * 1000
        if r.status_code != 200:
            raise SystemExit(f"HTTP {r.status_code} for {path}")
        return wall, server_timing(r.headers["Server-Timing"])["app"]

    return run


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--port", type=int, default=8134)
    args = parser.parse_args()
    plan = json.loads((HERE / "results" / f"morning-{connection.vendor}.json").read_text())
    prov = Unit.objects.get(pk=plan["province"])
    root = Unit.objects.get(depth=0)
    big = plan["directive"]
    coordinator = next(p["session"] for p in plan["people"] if p["kind"] == "coordinator")
    admin = session_for(bench_worklist.user("bench-m-admin", superuser=True))
    floors = {
        "province": sql_timer(
            "SELECT substr(unit_path, 1, %s), count(*) FROM tracking_assignment "
            "WHERE directive_id = %s AND unit_path >= %s AND unit_path < %s GROUP BY 1",
            [len(prov.path) + 4, big, prov.path, prov.path + "~"],
        ),
        "root": sql_timer(*counters_query(root, big)),
    }
    proc = start_server(args.port)
    base = f"http://127.0.0.1:{args.port}"
    pages = {
        "roll-up API, province (coordinator)": (
            coordinator,
            f"/api/rollup/?unit={prov.pk}&directive={big}",
            "province",
        ),
        "roll-up API, root (administrator)": (
            admin,
            f"/api/rollup/?unit={root.pk}&directive={big}",
            "root",
        ),
        "dashboard, province, largest directive": (
            coordinator,
            f"/tracking/?unit={prov.pk}&directive={big}",
            None,
        ),
        "default dashboard, province coordinator": (coordinator, "/tracking/", None),
        "default dashboard, national administrator": (admin, "/tracking/", None),
    }
    cache = os.environ.get("TRIENKHAI_PANEL_CACHE_SECONDS", "600")
    print(f"{connection.vendor}; panel cache {'off' if cache == '0' else 'on'}; {prov.name}")
    try:
        for name, (session, path, floor_name) in pages.items():
            page = http_timer(base, plan, session, path)
            floor = floors.get(floor_name)
            for _ in range(args.warmup):
                page()
                floor and floor()
            walls, servers, floor_ms = [], [], []
            for _ in range(args.runs):
                wall, server = page()
                walls.append(wall)
                servers.append(server)
                if floor:
                    floor_ms.append(floor())
            line = (
                f"{name:44} wall p50 {statistics.median(walls):7.1f}  "
                f"server p50 {statistics.median(servers):7.1f} ms"
            )
            if floor:
                f50 = statistics.median(floor_ms)
                line += (
                    f"  floor ({floor_name}) {f50:6.1f} ms  "
                    f"ratio {statistics.median(walls) / f50:4.1f}x"
                )
            print(line, flush=True)
    finally:
        os.killpg(proc.pid, 15)
        proc.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
