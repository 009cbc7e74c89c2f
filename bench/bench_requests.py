"""Server time per page over real HTTP, against `trienkhai serve` with its default settings.

Needs the plan of bench/morning.py (run it first on the same database). Starts the server on
127.0.0.1 (or uses --url), then for each kind of person opens each page of their mix
(bench/mix.py) --warmup times, then --runs times, one request at a time, taking turns among
--people people of that kind, and reads back the
`Server-Timing` header every response carries (core/timing.py): the application's wall time,
its CPU time, the database time and the number of queries. A report write is the POST of the
report form (the GET of its form before it is not counted in the write's line).

Prints, per page: the medians of client wall time, server time, CPU, database time and
queries; then the median server time over the whole mix, each page weighted by how many
people open it how often (the population of morning.py and the weights of mix.py).

With the panel cache on (the default), a page seen again before any write in its area comes
from the cache; TRIENKHAI_PANEL_CACHE_SECONDS=0 in the environment (passed on to the server)
measures every page computed afresh, as after a write in the person's area.

Usage: python bench/bench_requests.py [--runs 20] [--warmup 3] [--people 5]
       [--url http://127.0.0.1:8000] [--json out.json]
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from mix import REPORT, VERSION, pages, report_form, server_timing  # noqa: E402


def start_server(port: int) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("trienkhai")
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/login/", timeout=1)
            return proc
        except requests.ConnectionError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


def client(plan: dict, person: dict) -> requests.Session:
    s = requests.Session()
    token = secrets.token_hex(16)  # a CSRF secret of 32 characters, sent back with each POST
    s.cookies.set(plan["session_cookie"], person["session"], domain="127.0.0.1")
    s.cookies.set(plan["csrf_cookie"], token, domain="127.0.0.1")
    s.csrf = token
    return s


def one(s: requests.Session, base: str, name: str, path: str) -> tuple[float, dict, int]:
    if name == REPORT:
        form_page = s.get(base + path.removesuffix("report/"))
        version = VERSION.search(form_page.text)
        if version is None:
            raise SystemExit(f"no version field on {path}")
        data = {**report_form(version.group(1)), "csrfmiddlewaretoken": s.csrf}
        t0 = time.perf_counter()
        r = s.post(base + path, data=data, allow_redirects=False)
    else:
        t0 = time.perf_counter()
        r = s.get(base + path)
    wall = (time.perf_counter() - t0) * 1000
    if r.status_code >= 400 or (name == REPORT and r.status_code != 302):
        raise SystemExit(f"{name}: HTTP {r.status_code} for {path}")
    return wall, server_timing(r.headers.get("Server-Timing", "")), len(r.content)


def weighted_median(samples: list[tuple[float, float]]) -> float:
    samples.sort()
    half = sum(w for _v, w in samples) / 2
    acc = 0.0
    for value, weight in samples:
        acc += weight
        if acc >= half:
            return value
    return samples[-1][0]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--url", help="a running server (default: start one)")
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument(
        "--engine", default="postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    )
    parser.add_argument("--json")
    parser.add_argument(
        "--people", type=int, default=5, help="people of each kind the runs take turns as"
    )
    args = parser.parse_args()
    plan = json.loads((HERE / "results" / f"morning-{args.engine}.json").read_text())
    proc = None
    base = args.url
    if base is None:
        proc = start_server(args.port)
        base = f"http://127.0.0.1:{args.port}"
    population = {}
    for p in plan["people"]:
        population[p["kind"]] = population.get(p["kind"], 0) + 1
    results, mix_samples = [], []
    try:
        for kind, count in population.items():
            # Each run acts as the next of --people people of the kind (each seen in the warm-up
            # first): no one's assignment collects every report of the benchmark.
            people = [p for p in plan["people"] if p["kind"] == kind][: args.people]
            sessions = [client(plan, p) for p in people]
            mixes = [pages(plan, p) for p in people]
            total_weight = sum(w for _n, _p, w in mixes[0])
            for i, (name, _path, weight) in enumerate(mixes[0]):
                turn = iter(range(10**9))

                def call(name=name, i=i, turn=turn, sessions=sessions, mixes=mixes):
                    k = next(turn) % len(sessions)
                    return one(sessions[k], base, name, mixes[k][i][1])

                for _ in range(max(args.warmup, len(people))):
                    call()
                walls, timings, size = [], [], 0
                for _ in range(args.runs):
                    wall, timing, size = call()
                    walls.append(wall)
                    timings.append(timing)
                line = {
                    "page": name,
                    "wall": statistics.median(walls),
                    "app": statistics.median(t["app"] for t in timings),
                    "cpu": statistics.median(t["cpu"] for t in timings),
                    "db": statistics.median(t["db"] for t in timings),
                    "queries": statistics.median(t["queries"] for t in timings),
                    "kb": size / 1024,
                }
                results.append(line)
                share = count * weight / total_weight / args.runs
                mix_samples += [(t["app"], share) for t in timings]
                print(
                    f"{name:30} wall {line['wall']:7.1f}  server {line['app']:7.1f}  "
                    f"cpu {line['cpu']:6.1f}  db {line['db']:6.1f} ms in {line['queries']:4.0f} "
                    f"queries  {line['kb']:6.1f} KB",
                    flush=True,
                )
    finally:
        if proc is not None:
            os.killpg(proc.pid, 15)
            proc.wait()
    mix_median = weighted_median(mix_samples)
    print(f"median server time over the mix: {mix_median:.1f} ms ({plan['engine']})")
    if args.json:
        Path(args.json).write_text(json.dumps({"pages": results, "mix_median": mix_median}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
