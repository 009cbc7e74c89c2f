"""Reports upward at national scale: pre-fill, consolidation, and the documents.

Run on a database filled by `trienkhai generate` and `tests/builders/bulk.build_national` (see
bench/README.md). The first run sets up, through `reports.actions` (as the system):
- a request from the root to its children (the provinces and central bodies) on directive 1
  (every unit's task, and every non-cell unit's plan obligation) and directive 2, for the
  first half of 2022, with every computed figure of `reports.figures.DEFAULT_CODES` and two
  hand-entered lines; each province's report pre-filled and sent;
- a request from the root to every commune-level unit (~3,300), whose reports' hand-entered
  figures are bulk-inserted as a fixture (the rows `save_draft` writes), for the annex.

Then it prints the median of --runs timed runs after --warmup, in milliseconds, each through
the Django test client as the administrator (what a person waits for; writes committed):
- POST /reports/<province>/open/: pre-filling the largest province's report (every figure with
  its breakdown by child, the facts of each outline section, written and committed);
- POST /reports/<root>/open/ then GET /reports/<root>/: the national consolidation (every figure
  recomputed over the country, then the page gathering the provinces' reports);
- GET …/report.docx and …/report.pdf of the province's report;
- GET …/annex.xlsx of the commune request's consolidated report (one row per commune).
Usage: python bench/bench_reports.py [--runs 5] [--warmup 1] [--json out.json]
"""

import argparse
import datetime
import json
import os
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
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from trienkhai.demo.generate import ROOT_CODE  # noqa: E402
from trienkhai.documents.models import Document  # noqa: E402
from trienkhai.reports import figures, outline  # noqa: E402
from trienkhai.reports.actions import drafting  # noqa: E402
from trienkhai.reports.actions import requests as request_actions  # noqa: E402
from trienkhai.reports.models import FigureValue, ReportRequest, UnitReport  # noqa: E402
from trienkhai.tree.kinds import COMMUNE_LEVEL  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402

D = datetime.date
TITLE = "bench-reports"
MANUAL = [
    {"code": "KH-TYLE", "label": "Tỷ lệ đã ban hành kế hoạch", "measure": "%",
     "check_against": "plan_coverage_rate"},
    {"code": "DV-HT", "label": "Số đảng viên được học tập", "measure": "người"},
]  # fmt: skip


def timed(fn, runs: int, warmup: int) -> float:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(samples), 1)


def _sections():
    return [
        {"number": n, "title": str(t), "facts": f, "guidance": str(g)}
        for n, t, f, g in outline.DEFAULT_OUTLINE
    ]


def _directives():
    names = ["Chỉ thị quốc gia 1", "Chỉ thị quốc gia 2"]
    return [Document.objects.filter(subject__startswith=n).order_by("id").first() for n in names]


def _request(root, title, rule, kinds=()):
    found = ReportRequest.objects.filter(title=title).first()
    if found:
        return found
    return request_actions.create_request(
        None, unit=root, title=title, kind="six_months", directives=_directives(),
        period_start=D(2022, 1, 1), period_end=D(2022, 6, 30), deadline=D(2030, 1, 1),
        rule=rule, kinds=kinds, sections=_sections(), figure_codes=figures.DEFAULT_CODES,
        manual=MANUAL,
    )  # fmt: skip


def setup(root, measured):
    """Every province's report sent, except the one measured (left as a draft to pre-fill)."""
    national = _request(root, TITLE, "children")
    pending = UnitReport.objects.filter(request=national, own=False, prefilled_at__isnull=True)
    for report in pending.exclude(unit=measured):
        report = drafting.prefill(None, report)
        ids = {f.indicator.code: f.indicator_id for f in report.figures.select_related("indicator")}
        written = {ids["KH-TYLE"]: ("100", ""), ids["DV-HT"]: ("1500", "")}
        report = drafting.save_draft(
            None, report, figures_entered=written, expected_version=report.version
        )
        drafting.submit(None, report, expected_version=report.version)
    communes = _request(root, TITLE + "-communes", "kinds", sorted(COMMUNE_LEVEL))
    if not FigureValue.objects.filter(report__request=communes, report__own=False).exists():
        lines = list(communes.indicators.all())
        rows = []
        for n, report in enumerate(communes.reports.filter(own=False).order_by("id")):
            for line in lines:
                value = Decimal(90 + n % 11) if line.measure == "%" else Decimal(10 + n % 97)
                rows.append(FigureValue(report=report, indicator=line, computed=value,
                                        entered=value if not line.figure else None))  # fmt: skip
        FigureValue.objects.bulk_create(rows, batch_size=5000)
        communes.reports.filter(own=False).update(
            state="submitted",
            submitted_on=D(2029, 12, 1),
            prefilled_at=datetime.datetime.now(datetime.UTC),
        )
    drafting.prefill(None, communes.answers)
    return national, communes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--json")
    args = parser.parse_args()
    root = Unit.objects.get(code=ROOT_CODE)
    province = (
        Unit.objects.filter(parent=root, kind="province")
        .annotate(n=Count("children"))
        .order_by("-n")
        .first()
    )
    t0 = time.perf_counter()
    national, communes = setup(root, province)
    print(f"setup {time.perf_counter() - t0:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    report = UnitReport.objects.get(request=national, unit=province)
    own = national.answers
    users = get_user_model().objects
    admin = users.filter(is_superuser=True).first() or users.create_superuser("bench", "", "x")
    client = Client()
    client.force_login(admin)

    def reopen(target):
        target.refresh_from_db()
        r = client.post(f"/reports/{target.pk}/open/", {"version": target.version})
        assert r.status_code == 302, r.status_code

    def national_consolidation():
        reopen(own)
        r = client.get(f"/reports/{own.pk}/")
        assert r.status_code == 200 and b'id="consolidation"' in r.content

    def get(url, kind):
        r = client.get(url)
        assert r.status_code == 200 and kind in r["Content-Type"], (url, r.status_code)

    communes_asked = communes.reports.filter(own=False).count()
    out = {
        "engine": connection.vendor,
        "province": province.name,
        "province_children": province.n,
        "communes_in_annex": communes_asked,
        "prefill_province_ms": timed(lambda: reopen(report), args.runs, args.warmup),
        "national_consolidation_ms": timed(national_consolidation, args.runs, args.warmup),
        "docx_ms": timed(lambda: get(f"/reports/{report.pk}/report.docx", "wordprocessing"),
                         args.runs, args.warmup),
        "pdf_ms": timed(lambda: get(f"/reports/{report.pk}/report.pdf", "pdf"),
                        args.runs, args.warmup),
        "annex_3300_ms": timed(lambda: get(f"/reports/{communes.answers_id}/annex.xlsx",
                                           "spreadsheet"), args.runs, args.warmup),
    }  # fmt: skip
    for key, value in out.items():
        print(f"{key:32s} {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
