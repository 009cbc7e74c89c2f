"""Indicator panels at national scale: 50 indicators, a target for every commune, 12 months.

Run on a database filled by `trienkhai generate` (see bench/README.md). `--build` first adds the
indicator data: a set on one document, owned by the root, with 50 indicators (25 sums, 25 rates,
monthly); a target for every open commune-level unit (~3,300), every province and the root;
values for every commune and each of the 12 months of the year (≈2 million rows, bulk-inserted
as a fixture — the same rows `indicators.actions.report_value` writes), then
`indicators.actions.rebuild_rollups` builds the roll-up table the panels read.

Then it runs ANALYZE (VACUUM ANALYZE on PostgreSQL) and prints the median of --runs timed runs
after --warmup, in milliseconds:
- the panel page of the province with the most communes (GET /indicators/<set>/?unit=&indicator=
  through the Django test client: all 50 indicators at the province with colours, and the chosen
  indicator by child commune with colours), as the administrator and as the province's coordinator;
- the same page for the country (the root: 50 indicators, and one indicator by province);
- the two queries alone (`unit_lines`, `child_lines`);
- one value reported through `report_value` (the roll-up of the commune, its province and the
  root kept in the same transaction), rolled back.
Usage: python bench/bench_indicators.py [--build] [--runs 20] [--warmup 3] [--json out.json]
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")
hosts = os.environ.get("TRIENKHAI_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ["TRIENKHAI_ALLOWED_HOSTS"] = hosts + ",testserver"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from trienkhai.accounts.models import Grant, Role  # noqa: E402
from trienkhai.demo.generate import ROOT_CODE  # noqa: E402
from trienkhai.documents.actions import register_document  # noqa: E402
from trienkhai.documents.models import DocType, Document  # noqa: E402
from trienkhai.indicators import actions, queries  # noqa: E402
from trienkhai.indicators.models import IndicatorSet, Rollup, Target, Value  # noqa: E402
from trienkhai.tree.kinds import COMMUNE_LEVEL, UnitKind  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402

YEAR = 2026
TODAY = datetime.date.today()  # the year 2026: eleven months ended on 05/12/2026
SET_NAME = "bench-indicators"
N_INDICATORS = 50


class Rollback(Exception):
    pass


def timed(fn, runs: int, warmup: int) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(samples), 2)


def directive(root: Unit) -> Document:
    """A directive of the centre, which every province reads (a province's own document would
    hide the set from the others), registered through the action."""
    found = Document.objects.filter(issuing_unit=root, symbol="99-NQ/TW").first()
    if found is not None:
        return found
    return register_document(
        None,
        symbol="99-NQ/TW",
        doc_type=DocType.RESOLUTION,
        issuing_unit=root,
        term="XIII",
        date=datetime.date(2025, 1, 10),
        subject="Nghị quyết về chuyển đổi số (dữ liệu đo hiệu năng)",
    )


def build(stdout=sys.stdout) -> IndicatorSet:
    root = Unit.objects.get(code=ROOT_CODE)
    document = directive(root)
    t0 = time.perf_counter()
    with transaction.atomic():
        s = actions.create_set(None, document=document, unit=root, name=SET_NAME, year=YEAR)
        indicators = []
        for i in range(N_INDICATORS):
            rate = i % 2 == 1
            indicators.append(
                actions.add_indicator(
                    None,
                    s,
                    code=f"B-{i + 1:02d}",
                    name=f"Chỉ tiêu {i + 1}",
                    measure="%" if rate else "lượt",
                    direction="more",
                    aggregation="rate" if rate else "sum",
                    period="month",
                )
            )
    communes = list(
        Unit.objects.filter(kind__in=sorted(COMMUNE_LEVEL), valid_to__isnull=True).values_list(
            "pk", "path", "parent_id"
        )
    )
    provinces = list(
        Unit.objects.filter(parent=root, valid_to__isnull=True).values_list("pk", "path")
    )
    rng = random.Random(50)  # noqa: S311 - benchmark data
    per_province: dict[int, int] = {}
    for _pk, _path, parent in communes:
        per_province[parent] = per_province.get(parent, 0) + 1
    targets, n_values, value_seconds = [], 0, 0.0
    for ind in indicators:
        values = []
        rate = ind.aggregation == "rate"
        for pk, path, _parent in communes:
            target = Decimal(90 if rate else 120)
            targets.append(
                Target(indicator=ind, unit_id=pk, unit_path=path, year=YEAR, value=target)
            )
            habit = rng.choice((1.1, 1.05, 0.97, 0.7, 1.2))
            for month in range(1, 13):
                v = 80 * habit + month * 0.5 if rate else 10 * habit
                values.append(
                    Value(
                        indicator=ind,
                        unit_id=pk,
                        unit_path=path,
                        year=YEAR,
                        period=month,
                        value=Decimal(str(round(min(v, 100) if rate else v, 2))),
                    )
                )
        t = time.perf_counter()
        Value.objects.bulk_create(values, batch_size=5000)
        value_seconds += time.perf_counter() - t
        n_values += len(values)
        for pk, path in provinces:
            n = per_province.get(pk, 0)
            targets.append(
                Target(
                    indicator=ind,
                    unit_id=pk,
                    unit_path=path,
                    year=YEAR,
                    value=Decimal(90 if rate else 120 * n),
                )
            )
        targets.append(
            Target(
                indicator=ind,
                unit_id=root.pk,
                unit_path=root.path,
                year=YEAR,
                value=Decimal(90 if rate else 120 * len(communes)),
            )
        )
    Target.objects.bulk_create(targets, batch_size=5000)
    t2 = time.perf_counter()
    rows = actions.rebuild_rollups(None, s)
    t3 = time.perf_counter()
    stdout.write(
        f"built: {len(indicators)} indicators, {len(targets):,} targets, {n_values:,} values "
        f"({value_seconds:.1f} s), {rows:,} roll-up rows by rebuild_rollups ({t3 - t2:.1f} s); "
        f"total {t3 - t0:.1f} s\n"
    )
    return s


def users(province: Unit):
    User = get_user_model()
    admin = User.objects.filter(username="bench-admin").first()
    if admin is None:
        admin = User.objects.create_superuser("bench-admin", password="bench-admin-pass")  # noqa: S106
    coord = User.objects.filter(username="bench-indicators-province").first()
    if coord is None:
        coord = User.objects.create_user("bench-indicators-province", password="x-bench-pass")  # noqa: S106
        Grant.objects.create(user=coord, role=Role.COORDINATOR, unit=province, include_subtree=True)
    return User.objects.get(pk=admin.pk), User.objects.get(pk=coord.pk)


def analyze():
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("VACUUM ANALYZE indicators_rollup")
            cur.execute("VACUUM ANALYZE indicators_target")
            cur.execute("VACUUM ANALYZE indicators_value")
        else:
            cur.execute("ANALYZE")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--json")
    args = parser.parse_args()
    if args.build:
        build()
    analyze()
    s = IndicatorSet.objects.get(name=SET_NAME)
    root = s.unit
    province = (
        Unit.objects.filter(parent=root, kind=UnitKind.PROVINCE)
        .annotate(n=Count("children"))
        .order_by("-n")
        .first()
    )
    admin, coord = users(province)
    ind = s.indicators.order_by("order").first()
    ind.indicator_set = s
    counts = {
        "values": Value.objects.filter(indicator__indicator_set=s).count(),
        "targets": Target.objects.filter(indicator__indicator_set=s).count(),
        "rollups": Rollup.objects.filter(indicator__indicator_set=s).count(),
        "province": province.name,
        "province_children": province.children.count(),
    }
    print(connection.vendor, counts)
    out = {"engine": connection.vendor, "counts": counts}
    url = f"/indicators/{s.pk}/"
    if True:  # the pages read today's date: 2026's data as of the day the bench runs
        for who, user in (("admin", admin), ("coordinator", coord)):
            client = Client()
            client.force_login(user)
            page = client.get(url, {"unit": province.pk, "indicator": ind.pk})
            assert page.status_code == 200, page.status_code
            assert b"risk-row-" in page.content
            out[f"province page ({who})"] = timed(
                lambda c=client: c.get(url, {"unit": province.pk, "indicator": ind.pk}),
                args.runs,
                args.warmup,
            )
        client = Client()
        client.force_login(admin)
        out["country page (admin)"] = timed(
            lambda: client.get(url, {"unit": root.pk, "indicator": ind.pk}),
            args.runs,
            args.warmup,
        )
    out["unit_lines, province (50 indicators)"] = timed(
        lambda: queries.unit_lines(admin, s, province, TODAY), args.runs, args.warmup
    )
    out["child_lines, province (one indicator)"] = timed(
        lambda: queries.child_lines(admin, ind, province, TODAY), args.runs, args.warmup
    )
    out["unit_lines, country"] = timed(
        lambda: queries.unit_lines(admin, s, root, TODAY), args.runs, args.warmup
    )
    out["child_lines, country"] = timed(
        lambda: queries.child_lines(admin, ind, root, TODAY), args.runs, args.warmup
    )
    commune = Unit.objects.filter(parent=province).order_by("path").first()

    def report_once():
        try:
            with transaction.atomic():
                actions.report_value(None, ind, commune, 3, "17", today=TODAY)
                raise Rollback
        except Rollback:
            pass

    out["report_value (one write, rolled back)"] = timed(report_once, args.runs, args.warmup)
    for key, value in out.items():
        if isinstance(value, float):
            print(f"{key:45s} {value:8.2f} ms")
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
