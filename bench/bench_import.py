"""Unit import benchmark: reading a file, applying it, and what other writers see meanwhile.

Run on an empty database (a fresh data dir, see bench/README.md). Writes the file with
`build_rows` of `trienkhai generate` (CSV or XLSX), reads it with `units.imports.files.read_rows`,
applies it with `units.imports.actions.import_units` as the superuser, while a second thread
creates a unit under an unrelated root through `units.actions.create_unit` every --every
seconds (another user's ordinary write; --no-writer leaves it out). Prints the times, the
process's peak memory, and the writer's waits and failures.

Usage: python bench/bench_import.py [--scale national|20k] [--format csv|xlsx] [--every 0.2]
       [--no-writer] [--chunk N]
"""

import argparse
import csv
import datetime
import os
import resource
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection  # noqa: E402

from tests.builders import factories  # noqa: E402
from trienkhai.core.context import acting_as  # noqa: E402
from trienkhai.demo.generate import build_rows  # noqa: E402
from trienkhai.units import actions  # noqa: E402
from trienkhai.units.imports.actions import import_units  # noqa: E402
from trienkhai.units.imports.files import COLUMNS, read_rows  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402

SCALES = {
    "national": dict(provinces=34, communes=3300, grassroots=55000, cells=240000),
    "20k": dict(provinces=34, communes=330, grassroots=5500, cells=14000),
}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_file(rows, fmt: str, folder: str) -> str:
    path = os.path.join(folder, f"don_vi.{fmt}")
    if fmt == "csv":
        with open(path, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(COLUMNS)
            out.writerows([r[c] for c in COLUMNS] for r in rows)
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(COLUMNS)
        for r in rows:
            sheet.append([r[c] for c in COLUMNS])
        book.save(path)
    return path


def writer(unit_pk, admin, every, stop, waits, failures):
    """Another user's write, again and again, until the import ends."""
    n = 0
    try:
        while not stop.is_set():
            n += 1
            t0 = time.perf_counter()
            try:
                with acting_as(admin):
                    actions.create_unit(
                        admin,
                        code=f"W-{n}",
                        name=f"Đảng bộ khác {n}",
                        kind="central_org",
                        parent=Unit.objects.get(pk=unit_pk),
                        valid_from=datetime.date(2025, 7, 1),
                    )
            except OperationalError as exc:
                failures.append(str(exc))
            waits.append(time.perf_counter() - t0)
            stop.wait(every)
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=sorted(SCALES), default="national")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--every", type=float, default=0.2)
    parser.add_argument("--no-writer", action="store_true")
    parser.add_argument("--chunk", type=int, default=0, help="units per transaction")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    admin = factories.user("bench-admin", superuser=True)
    other = factories.unit(None, "central", "Gốc khác", code="W-0")
    rows = build_rows(seed=1, **SCALES[args.scale])
    folder = tempfile.mkdtemp()
    path = write_file(rows, args.format, folder)
    del rows
    print(f"{args.format} file: {os.path.getsize(path) / 1e6:.1f} MB, peak {peak_mb():.0f} MB")
    t0 = time.perf_counter()
    with open(path, "rb") as f:
        rows = read_rows(f)
    elapsed = time.perf_counter() - t0
    print(f"read_rows: {len(rows)} rows in {elapsed:.1f} s, peak {peak_mb():.0f} MB")
    stop, waits, failures = threading.Event(), [], []
    thread = threading.Thread(
        target=writer, args=(other.pk, admin, args.every, stop, waits, failures)
    )
    if not args.no_writer:
        thread.start()
    options = {"chunk": args.chunk} if args.chunk else {}
    t0 = time.perf_counter()
    with acting_as(admin):
        result = import_units(admin, rows, **options)
    elapsed = time.perf_counter() - t0
    stop.set()
    if not args.no_writer:
        thread.join()
    assert result.ok, result.errors[:5]
    print(f"import_units: {result.created} created in {elapsed:.1f} s, peak {peak_mb():.0f} MB")
    if waits:
        print(
            f"other writer: {len(waits)} writes, {len(failures)} failed"
            f" ({failures[0] if failures else '-'}), longest {max(waits):.2f} s,"
            f" median {statistics.median(waits):.3f} s"
        )


if __name__ == "__main__":
    main()
