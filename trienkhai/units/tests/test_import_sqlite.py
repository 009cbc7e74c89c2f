"""On a SQLite file (WAL), other people's writes go on while a long import is being written."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_another_administrator_writes_while_a_long_import_is_written(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "TRIENKHAI_DATA_DIR")}
    env["TRIENKHAI_DATA_DIR"] = str(tmp_path)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    run = subprocess.run(
        [sys.executable, "-m", "trienkhai.units.tests.concurrent_import"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout)
    assert seen["journal"] == "wal"
    assert seen["busy_timeout"] >= 30000  # a writer waits, rather than failing after 5 s
    assert seen["ok"] and seen["created"] == 3000, seen["errors"]
    between = seen["between"]
    # between two batches the import holds no transaction: the other write goes through and
    # sees part of the import already there (one long transaction would show none or all)
    assert between["in_transaction"] is False
    assert between["ok"], between.get("error")
    assert 0 < between["imported_seen"] < 3000
    # and a writer that never waits for a gap is never refused either
    assert seen["steady_writes"] >= 1 and seen["steady_failures"] == []
