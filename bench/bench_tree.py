"""Read benchmarks on a database filled by `trienkhai generate` (see bench/README.md).

Measures, as a national administrator and as a province coordinator:
- opening a province in the tree page: the children query, and the fragment rendered through
  the Django test client (GET /units/<pk>/children/);
- the scope function's subtree query for a province user: count of units in scope, a page of 50;
- diacritic-free document search: "ket luan 21", a rare term, a common term (count + first page).

Each number is the median of --runs timed runs after --warmup untimed ones, in milliseconds.
Usage: python bench/bench_tree.py [--runs 20] [--warmup 3] [--json out.json]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")
hosts = os.environ.get("TRIENKHAI_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ["TRIENKHAI_ALLOWED_HOSTS"] = hosts + ",testserver"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from trienkhai.accounts import actions as account_actions  # noqa: E402
from trienkhai.accounts.models import Role  # noqa: E402
from trienkhai.core.context import acting_as  # noqa: E402
from trienkhai.demo.generate import ROOT_CODE  # noqa: E402
from trienkhai.documents import queries as doc_queries  # noqa: E402
from trienkhai.units import queries as unit_queries  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402

SEARCHES = {
    "ket luan 21": "ket luan 21",
    "rare term": "sat lo bo song",
    "common term": "chinh don dang",
}


def timed(fn, runs: int, warmup: int) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def users(province: Unit):
    """A superuser and a coordinator of `province`, created once through the actions."""
    User = get_user_model()
    with acting_as(None):
        admin = User.objects.filter(username="bench-admin").first() or account_actions.create_user(
            None, username="bench-admin", password="bench-admin-pass", superuser=True
        )
        prov = User.objects.filter(username="bench-province").first()
        if prov is None:
            prov = account_actions.create_user(
                None, username="bench-province", password="bench-province-pass"
            )
        account_actions.grant_role(None, prov, role=Role.COORDINATOR, unit=province)
    return admin, User.objects.get(pk=prov.pk)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--json")
    parser.add_argument(
        "--no-analyze", action="store_true", help="skip ANALYZE (planner statistics) first"
    )
    args = parser.parse_args()
    if not args.no_analyze:
        # Right after a bulk load neither engine has statistics yet (PostgreSQL's autovacuum
        # would gather them within minutes; SQLite only on ANALYZE / PRAGMA optimize).
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"ANALYZE: {time.perf_counter() - t0:.1f} s")
    root = Unit.objects.get(code=ROOT_CODE)
    # The largest province: the worst case for a province user.
    province = max(
        Unit.objects.filter(parent=root, kind="province"),
        key=lambda p: Unit.objects.filter(path__gte=p.path, path__lt=p.path + "~").count(),
    )
    admin, prov_user = users(province)
    results: dict[str, object] = {
        "vendor": connection.vendor,
        "units": Unit.objects.count(),
        "documents": doc_queries.Document.objects.count(),
        "province": province.name,
        "runs": args.runs,
    }
    r = lambda key, fn: results.__setitem__(key, round(timed(fn, args.runs, args.warmup), 2))  # noqa: E731

    for label, user in (("admin", admin), ("province", prov_user)):
        r(f"tree children query ({label})", lambda u=user: list(unit_queries.children(u, province)))
        client = Client()
        client.force_login(user)
        url = reverse("unit-children", args=[province.pk])

        def fetch(c=client, url=url):
            response = c.get(url)
            assert response.status_code == 200, response.status_code

        r(f"tree fragment GET ({label})", fetch)
    results["children of province"] = unit_queries.children(prov_user, province).count()

    in_scope = unit_queries.visible_units(prov_user)
    results["units in province scope"] = in_scope.count()
    r("scope count (province)", lambda: in_scope.count())
    r("scope page of 50 (province)", lambda: list(in_scope.order_by("path")[:50]))
    middle = results["units in province scope"] // 2
    r(
        "scope page of 50 at the middle (province)",
        lambda: list(in_scope.order_by("path")[middle : middle + 50]),
    )

    for label, user in (("admin", admin), ("province", prov_user)):
        for name, query in SEARCHES.items():
            qs = doc_queries.search(user, query)
            results[f"search hits: {name} ({label})"] = qs.count()
            r(f"search count: {name} ({label})", lambda q=qs: q.count())
            r(
                f"search first 50: {name} ({label})",
                lambda q=qs: list(q.order_by("-date", "-id")[:50]),
            )

    width = max(len(k) for k in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
