"""The deadline morning as a load: the people of bench/morning.py acting on the mix of
bench/mix.py against a running server on this machine (see bench/load.sh).

Each simulated user is one person of the plan, the kinds in the plan's proportions whatever the
number of users (with 200 users and the default plan: 100 commune reporters, 30 province
coordinators, 70 commune coordinators), already signed
in, who every TK_PAUSE_MIN..TK_PAUSE_MAX seconds (default 5..10; 0..0 for the saturation run)
opens a page of their mix or, for a reporter, files a progress report: the assignment page
first (its form carries the record's version), then the POST.

Bounded: the run stops after --run-time, or after TK_MAX_REQUESTS requests (default 20,000),
whichever comes first; only 127.0.0.1 / localhost is accepted as the host.
"""

import itertools
import json
import os
import random
import secrets
import sys
from pathlib import Path
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from mix import REPORT, VERSION, pages, report_form  # noqa: E402

ENGINE = os.environ.get("TK_ENGINE", "postgresql")
PLAN = json.loads((HERE / "results" / f"morning-{ENGINE}.json").read_text())


def _interleaved(people):
    """The people in an order whose every prefix holds the kinds in the plan's proportions
    (the first 16 of 200 are 8 reporters, 2 or 3 coordinators and 5 or 6 commune leads)."""
    by_kind = {}
    for p in people:
        by_kind.setdefault(p["kind"], []).append(p)
    keyed = [
        ((j + 0.5) / len(group), kind, j, p)
        for kind, group in by_kind.items()
        for j, p in enumerate(group)
    ]
    return [p for *_k, p in sorted(keyed, key=lambda k: k[:3])]


PEOPLE = _interleaved(PLAN["people"])
_next_person = itertools.count()
MAX_REQUESTS = int(os.environ.get("TK_MAX_REQUESTS", "20000"))
PAUSE = (float(os.environ.get("TK_PAUSE_MIN", "5")), float(os.environ.get("TK_PAUSE_MAX", "10")))
_sent = itertools.count(1)


@events.test_start.add_listener
def _loopback_only(environment, **_kw):
    host = urlparse(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"the load test only runs against this machine, not {host!r}")


@events.request.add_listener
def _bounded(**_kw):
    if next(_sent) >= MAX_REQUESTS:
        from locust import runners

        if runners.runner is not None:  # pragma: no cover - depends on the run
            runners.runner.quit()


class Person(HttpUser):
    wait_time = between(*PAUSE)

    def on_start(self):
        # Each simulated user is the next person: the kinds in proportion, whatever the count.
        self.person = PEOPLE[next(_next_person) % len(PEOPLE)]
        self.mix = pages(PLAN, self.person)
        self.weights = [w for _n, _p, w in self.mix]
        token = secrets.token_hex(16)
        self.csrf = token
        self.client.cookies.set(PLAN["session_cookie"], self.person["session"])
        self.client.cookies.set(PLAN["csrf_cookie"], token)

    @task
    def act(self):
        name, path, _w = random.choices(self.mix, weights=self.weights)[0]
        if name == REPORT:
            self.file_report(path)
            return
        with self.client.get(path, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")

    def file_report(self, path):
        form_path = path.removesuffix("report/")
        page = self.client.get(form_path, name="assignment page")
        found = VERSION.search(page.text or "")
        if found is None:
            return
        data = {**report_form(found.group(1)), "csrfmiddlewaretoken": self.csrf}
        with self.client.post(
            path, data=data, name=REPORT, allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code != 302:
                r.failure(f"HTTP {r.status_code}")
