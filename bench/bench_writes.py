"""Progress reports written over HTTP by concurrent clients, against `trienkhai serve` with its
default settings (started here on 127.0.0.1, or --url).

Each of --clients threads is one commune reporter of bench/morning.py's plan, filing reports
on their own assignment as fast as the server answers, --writes each:
- `--mode api` (default): POST /api/assignments/<id>/report/ with the reporter's API token,
  the version tracked by the client (a report raises it by one; a 409 gives the current one);
- `--mode form`: what the browser does, the assignment page (its form carries the version)
  then the POST of the form; only the POSTs are counted as writes, the pages' time is paid.
Every write is committed before the answer. Prints writes per second over the whole run, the
latency percentiles and the server time the Server-Timing header gives.

Usage: python bench/bench_writes.py [--clients 8] [--writes 250] [--mode api|form]
"""

import argparse
import json
import os
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_requests import start_server  # noqa: E402
from mix import VERSION, report_form, server_timing  # noqa: E402


def api_writer(base, person, n, out):
    s = requests.Session()
    s.headers["Authorization"] = f"Token {person['token']}"
    a = person["assignment"]
    version = s.get(f"{base}/api/assignments/{a}/").json()["version"]
    for i in range(n):
        body = {
            "reported_on": time.strftime("%Y-%m-%d"),
            "percent": 10 + i % 80,
            "narrative": "Đang tổ chức thực hiện.",
            "expected_version": version,
        }
        t0 = time.perf_counter()
        r = s.post(f"{base}/api/assignments/{a}/report/", json=body)
        wall = (time.perf_counter() - t0) * 1000
        if r.status_code == 201:
            version += 1
            out.append((wall, server_timing(r.headers.get("Server-Timing", ""))))
        elif r.status_code == 409:
            version = r.json()["current"]["version"]
        else:
            raise SystemExit(f"HTTP {r.status_code}: {r.text[:300]}")


def form_writer(base, person, n, out, plan):
    s = requests.Session()
    token = secrets.token_hex(16)
    s.cookies.set(plan["session_cookie"], person["session"], domain="127.0.0.1")
    s.cookies.set(plan["csrf_cookie"], token, domain="127.0.0.1")
    page = f"{base}/tracking/assignments/{person['assignment']}/"
    for _ in range(n):
        version = VERSION.search(s.get(page).text).group(1)
        data = {**report_form(version), "csrfmiddlewaretoken": token}
        t0 = time.perf_counter()
        r = s.post(page + "report/", data=data, allow_redirects=False)
        wall = (time.perf_counter() - t0) * 1000
        if r.status_code != 302:
            raise SystemExit(f"HTTP {r.status_code}")
        out.append((wall, server_timing(r.headers.get("Server-Timing", ""))))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--writes", type=int, default=250, help="per client")
    parser.add_argument("--mode", choices=["api", "form"], default="api")
    parser.add_argument("--url")
    parser.add_argument("--port", type=int, default=8133)
    engine = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    args = parser.parse_args()
    plan = json.loads((HERE / "results" / f"morning-{engine}.json").read_text())
    reporters = [p for p in plan["people"] if p["kind"] == "reporter"][: args.clients]
    proc = None
    base = args.url
    if base is None:
        proc = start_server(args.port)
        base = f"http://127.0.0.1:{args.port}"
    try:
        results = [[] for _ in reporters]
        if args.mode == "api":
            threads = [
                threading.Thread(target=api_writer, args=(base, p, args.writes, out))
                for p, out in zip(reporters, results, strict=True)
            ]
        else:
            threads = [
                threading.Thread(target=form_writer, args=(base, p, args.writes, out, plan))
                for p, out in zip(reporters, results, strict=True)
            ]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
    finally:
        if proc is not None:
            os.killpg(proc.pid, 15)
            proc.wait()
    done = [w for out in results for w in out]
    walls = sorted(w for w, _t in done)
    q = statistics.quantiles(walls, n=100)
    print(
        f"{engine}, {args.mode}, {len(reporters)} clients: {len(done)} writes in {elapsed:.1f} s "
        f"= {len(done) / elapsed:.0f} writes/s; latency p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms, "
        f"p99 {q[98]:.1f} ms; server time p50 {statistics.median(t['app'] for _w, t in done):.1f}"
        f" ms (CPU {statistics.median(t['cpu'] for _w, t in done):.1f}, database "
        f"{statistics.median(t['db'] for _w, t in done):.1f} ms in "
        f"{statistics.median(t['queries'] for _w, t in done):.0f} queries)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
