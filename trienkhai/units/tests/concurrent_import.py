"""Run by test_import_sqlite.py in a fresh process: an import on a SQLite file, and other writers.

The test database of the suite lives in memory, where locking differs from the WAL file an
installation uses, so this runs against a real file in TRIENKHAI_DATA_DIR and prints what it saw
as JSON. Thread A imports 3,000 units in batches; between two batches it lets thread B create a
unit elsewhere and waits for it; thread C writes again and again for the whole import.
"""

import json
import os
import sys
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402

from tests.builders import factories  # noqa: E402
from trienkhai.accounts.models import Role  # noqa: E402
from trienkhai.core.context import acting_as  # noqa: E402
from trienkhai.units import actions  # noqa: E402
from trienkhai.units.imports.actions import import_units  # noqa: E402
from trienkhai.units.imports.files import COLUMNS  # noqa: E402
from trienkhai.units.models import Unit  # noqa: E402


def rows(n):
    out = []
    for i in range(n):
        out.append([f"X{i}", f"Xã {i}", "", "commune", "P-a", "01/07/2025"])
        out.append([f"GX{i}", f"Đảng bộ {i}", "", "grassroots", f"X{i}", "01/07/2025"])
        out.append([f"CX{i}", f"Chi bộ {i}", "", "cell", f"GX{i}", "01/07/2025"])
    return [dict(zip(COLUMNS, r, strict=True), line=k + 2) for k, r in enumerate(out)]


def other_write(admin_b, parent, code, report):
    """Another administrator's ordinary write, on its own connection."""
    t0 = time.perf_counter()
    try:
        with acting_as(admin_b):
            actions.create_unit(
                admin_b,
                code=code,
                name=f"Xã {code}",
                kind="commune",
                parent=parent,
                valid_from=parent.valid_from,
            )
        report["ok"] = True
    except Exception as exc:  # reported to the test, which fails on it
        report["ok"] = False
        report["error"] = f"{type(exc).__name__}: {exc}"
    report["wait"] = time.perf_counter() - t0
    report["imported_seen"] = Unit.objects.filter(
        Q(code__startswith="X") | Q(code__startswith="GX") | Q(code__startswith="CX")
    ).count()
    connection.close()


def main() -> None:
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy = cursor.fetchone()[0]
    tree = factories.small_tree()
    admin_a = factories.user("admin-a", (Role.ADMINISTRATOR, tree["prov_a"]))
    admin_b = factories.user("admin-b", (Role.ADMINISTRATOR, tree["prov_b"]))
    data = rows(1000)
    between: dict = {}
    steady: list[dict] = []
    importing = threading.Event()
    importing.set()

    def keep_writing():
        n = 0
        while importing.is_set():
            n += 1
            report: dict = {}
            other_write(admin_b, tree["prov_b"], f"C-{n}", report)
            steady.append(report)
            time.sleep(0.02)

    def progress(done, total):
        if done and not between:
            between["in_transaction"] = connection.in_atomic_block
            thread = threading.Thread(
                target=other_write, args=(admin_b, tree["prov_b"], "B-1", between)
            )
            thread.start()
            thread.join(120)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        with acting_as(admin_a):
            result = import_units(admin_a, data, progress=progress, chunk=200)
    finally:
        importing.clear()
        writer.join(120)
    json.dump(
        {
            "journal": journal,
            "busy_timeout": busy,
            "ok": result.ok,
            "created": result.created,
            "errors": [e.message for e in result.errors[:3]],
            "between": between,
            "steady_writes": len(steady),
            "steady_failures": [r["error"] for r in steady if not r["ok"]],
            "steady_longest_wait": max((r["wait"] for r in steady), default=0),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
