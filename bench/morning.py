"""A province's deadline morning, prepared on a database filled for bench_tracking.py: who is
signed in and what each of them opens. Shared by bench_requests.py (server time per page) and
locustfile.py (200 users at once).

Setup (idempotent, through bench_worklist.setup): the province with the largest subtree has
issued a plan whose task every unit below it carries, with 10,000 reports waiting for its
review. People:
- commune reporters (one per commune of that province, up to --reporters): they open their
  home and their assignment of the province's task, and file a progress report on it;
- province coordinators (whole province): home, the dashboard of the province for the largest
  directive, the roll-up API, the review queue, the tree, a search;
- commune coordinators (whole commune): home, their commune's dashboard, the tree below the
  commune, the review queue, a search.

Each person is signed in by writing a session row directly (the morning's users logged in long
ago: hashing 200 passwords would measure PBKDF2, not the day's work). The plan goes to
bench/results/morning-<engine>.json: base URL-less paths and each user's session cookie.

Usage: python bench/morning.py [--reporters 100] [--coordinators 30] [--commune-leads 70]
"""

import argparse
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")

import django  # noqa: E402

django.setup()

import bench_worklist  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from trienkhai.accounts.auth import issue_token  # noqa: E402
from trienkhai.accounts.models import Grant, Role  # noqa: E402
from trienkhai.tracking.models import Assignment  # noqa: E402
from trienkhai.tree.kinds import UnitKind  # noqa: E402
from trienkhai.tree.paths import UPPER  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402

BACKEND = "django.contrib.auth.backends.ModelBackend"
SEARCHES = ["ket luan 21", "chinh don dang", "sat lo bo song", "nghi quyet"]


def session_for(user) -> str:
    """A signed-in session for `user`, as django.contrib.auth.login would leave it."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def largest_directive() -> int:
    return (
        Assignment.objects.values("directive_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()["directive_id"]
    )


def open_shares(units) -> dict[int, int]:
    """unit id -> its assignment of the province's task, open and not claimed done."""
    return dict(
        Assignment.objects.filter(
            task__title=bench_worklist.TAG,
            unit__in=units,
            completed_on__isnull=True,
            claimed_on__isnull=True,
        ).values_list("unit_id", "pk")
    )


def prepare(reporters: int, coordinators: int, leads: int) -> dict:
    prov = bench_worklist.province()
    bench_worklist.setup(prov)
    big = largest_directive()
    communes = list(
        Unit.objects.filter(kind=UnitKind.COMMUNE, path__gt=prov.path, path__lt=prov.path + UPPER)
        .order_by("path")
        .only("pk", "path", "name")
    )
    own = open_shares(communes)
    people = []
    with_task = [c for c in communes if c.pk in own]
    if len(with_task) < reporters:
        # Not enough communes with an open share of the task: reporters of grassroots
        # organisations below them too, each with their own assignment (two people filing on
        # one record would meet the stale-edit refusal, which is not what this measures).
        more = list(
            Unit.objects.filter(
                kind=UnitKind.GRASSROOTS, path__gt=prov.path, path__lt=prov.path + UPPER
            ).order_by("path")[: 4 * reporters]
        )
        own.update(open_shares(more))
        with_task += [u for u in more if u.pk in own][: reporters - len(with_task)]
    for i in range(reporters):
        commune = with_task[i % len(with_task)]
        u = bench_worklist.user(f"bench-m-rep-{i}", (Role.REPORTER, commune, False))
        if not Grant.objects.filter(user=u, unit=commune, role=Role.REPORTER).exists():
            Grant.objects.filter(user=u).delete()  # a plan of an earlier run gave another unit
            Grant.objects.create(user=u, role=Role.REPORTER, unit=commune, include_subtree=False)
        people.append(
            {
                "kind": "reporter",
                "session": session_for(u),
                "token": issue_token(u)[1],  # for bench_writes.py --api
                "unit": commune.pk,
                "assignment": own[commune.pk],
            }
        )
    for i in range(coordinators):
        u = bench_worklist.user(f"bench-m-coord-{i}", (Role.COORDINATOR, prov, True))
        people.append({"kind": "coordinator", "session": session_for(u), "unit": prov.pk})
    for i in range(leads):
        commune = communes[(i * 7) % len(communes)]
        u = bench_worklist.user(f"bench-m-lead-{i}", (Role.COORDINATOR, commune, True))
        people.append({"kind": "lead", "session": session_for(u), "unit": commune.pk})
    return {
        "engine": connection.vendor,
        "province": prov.pk,
        "province_name": prov.name,
        "directive": big,
        "searches": SEARCHES,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "people": people,
    }


def plan_path(engine: str) -> Path:
    return HERE / "results" / f"morning-{engine}.json"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reporters", type=int, default=100)
    parser.add_argument("--coordinators", type=int, default=30)
    parser.add_argument("--commune-leads", type=int, default=70)
    args = parser.parse_args()
    plan = prepare(args.reporters, args.coordinators, args.commune_leads)
    path = plan_path(plan["engine"])
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(plan, ensure_ascii=False, indent=1))
    kinds = {}
    for p in plan["people"]:
        kinds[p["kind"]] = kinds.get(p["kind"], 0) + 1
    print(f"{plan['engine']}: {plan['province_name']}, directive {plan['directive']}, {kinds}")
    print(f"plan written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
