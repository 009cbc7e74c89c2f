"""A streaming hot standby serves the dashboards' reads; whoever just wrote reads the primary.

Two PostgreSQL clusters on loopback (deploy/postgresql/standby.sh: initdb, pg_basebackup -R),
`trienkhai serve` with DATABASE_URL on the primary and DATABASE_REPLICA_URL on the standby.
With replay paused on the standby, a reporter's new report is in the roll-up the reporter
reads next (from the primary), and not in the one another reader gets (from the standby: the
proof that the standby serves); once replay resumes, both see it. A stopped standby is skipped.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
import requests

from tests.test_cli import _free_port

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "postgresql" / "standby.sh"


def _sql(port: int, query: str, dbname: str = "postgres"):
    with psycopg.connect(
        host="127.0.0.1", port=port, user="postgres", dbname=dbname, autocommit=True
    ) as conn:
        cursor = conn.execute(query)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def clusters():
    # Not under pytest's tmp_path: PostgreSQL runs as postgres, which cannot enter root's 0700
    # folders; the script hands this one over.
    folder = Path(tempfile.mkdtemp(prefix="tk-standby-"))
    primary, standby = _free_port(), _free_port()
    started = subprocess.run(
        ["bash", str(SCRIPT), "start", str(folder), str(primary), str(standby)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 0, started.stderr
    try:
        _sql(primary, "CREATE DATABASE trienkhai")
        yield {"primary": primary, "standby": standby, "folder": folder}
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", str(folder)], capture_output=True, timeout=60)
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def _wait_replayed(c, timeout=30):
    """Until the standby has replayed everything the primary has written so far."""
    (target,) = _sql(c["primary"], "SELECT pg_current_wal_lsn()::text")[0]
    deadline = time.monotonic() + timeout
    while True:
        (done,) = _sql(c["standby"], f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0]
        if done:
            return
        assert time.monotonic() < deadline, "the standby did not catch up"
        time.sleep(0.1)


@pytest.fixture
def server(clusters, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(
        {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{clusters['primary']}/trienkhai",
            "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{clusters['standby']}/trienkhai",
            "TRIENKHAI_DATA_DIR": str(tmp_path / "data"),
            "TRIENKHAI_PANEL_CACHE_SECONDS": "0",  # every read goes to a database
            "PYTHONPATH": str(ROOT),
        }
    )
    world = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "deploy" / "standby_world.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert world.returncode == 0, world.stderr[-3000:]
    ids = json.loads(world.stdout.strip().splitlines()[-1])
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "trienkhai.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail("trienkhai serve did not start:\n" + log.read()[-3000:])
            time.sleep(0.2)
        yield {"base": base, **ids, **clusters}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _token(base, username, password) -> requests.Session:
    s = requests.Session()
    s.trust_env = False
    r = s.post(base + "/api/auth/token/", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    s.headers["Authorization"] = f"Token {r.json()['token']}"
    return s


def _rollup(s, base, root):
    r = s.get(base + "/api/rollup/", params={"unit": root})
    assert r.status_code == 200, r.text
    served_by_standby = 'replica;desc="standby"' in r.headers.get("Server-Timing", "")
    body = r.json()
    prov_a = next(c for c in body["children"] if c["unit"]["code"] == "P-a")
    return prov_a["counts"], served_by_standby


def test_the_standby_serves_reads_and_the_writer_reads_its_own_write(server):
    base, root = server["base"], server["root"]
    writer = _token(base, server["writer"], server["password"])
    watcher = _token(base, server["watcher"], server["password"])
    _wait_replayed(server)
    before, by_standby = _rollup(watcher, base, root)
    assert by_standby, "with the standby caught up, a reader is served by it"

    _sql(server["standby"], "SELECT pg_wal_replay_pause()")
    version = writer.get(f"{base}/api/assignments/{server['assignment']}/").json()["version"]
    report = writer.post(
        f"{base}/api/assignments/{server['assignment']}/report/",
        json={
            "reported_on": time.strftime("%Y-%m-%d"),
            "percent": 60,
            "narrative": "Đã tổ chức hội nghị quán triệt.",
            "expected_version": version,
        },
    )
    assert report.status_code == 201, report.text

    mine, mine_by_standby = _rollup(writer, base, root)
    assert not mine_by_standby, "the writer must read from the primary"
    assert mine != before, "the writer sees the report just filed"

    theirs, theirs_by_standby = _rollup(watcher, base, root)
    assert theirs_by_standby and theirs == before, "the paused standby still has the old figures"

    _sql(server["standby"], "SELECT pg_wal_replay_resume()")
    _wait_replayed(server)
    theirs, theirs_by_standby = _rollup(watcher, base, root)
    assert theirs_by_standby and theirs == mine
    mine, mine_by_standby = _rollup(writer, base, root)
    assert mine_by_standby, "caught up: the writer is served by the standby again"

    # The standby goes away: reads fall back to the primary, nobody gets an error.
    bin_dir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    stop = [
        str(bin_dir / "pg_ctl"),
        "-D",
        str(server["folder"] / "standby"),
        "-m",
        "immediate",
        "stop",
    ]
    if os.geteuid() == 0:
        stop = ["runuser", "-u", "postgres", "--", *stop]
    subprocess.run(stop, check=True, capture_output=True)
    after, after_by_standby = _rollup(watcher, base, root)
    assert not after_by_standby and after == mine
