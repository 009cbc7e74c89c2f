"""PostgreSQL restarted under a write load: errors (503) only while it is down, then the
application reconnects by itself; every acknowledged write is there."""

import os
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from tests.deploy import cluster
from tests.deploy.test_failover import Writer
from tests.test_cli import _free_port

STANDBY = cluster.ROOT / "deploy" / "postgresql" / "standby.sh"


@pytest.fixture
def app(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="tk-restart-"))
    primary, standby = _free_port(), _free_port()
    started = subprocess.run(
        ["bash", str(STANDBY), "start", str(folder), str(primary), str(standby)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.returncode == 0, started.stderr
    server = None
    try:
        with psycopg.connect(
            host="127.0.0.1", port=primary, user="postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE trienkhai")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
        env.update(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{primary}/trienkhai?connect_timeout=3",
            TRIENKHAI_DATA_DIR=str(tmp_path / "data"),
            PYTHONPATH=str(cluster.ROOT),
        )
        ids = cluster.build_world(env)
        server, base = cluster.serve(env, tmp_path / "serve.log", workers=2)
        yield {"base": base, "folder": folder, "primary": primary, "server": server, **ids}
    finally:
        if server is not None:
            server.stop()
        subprocess.run(["bash", str(STANDBY), "stop", str(folder)], capture_output=True)
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def test_a_restart_under_writes_recovers_by_itself(app):
    session = cluster.token(app["base"], app["writer"], app["password"])
    writer = Writer(app["base"], session.headers["Authorization"].split()[1], app["assignment"])
    writer.start()
    bin_dir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    restart = [str(bin_dir / "pg_ctl"), "-D", str(app["folder"] / "primary"), "-m", "fast"]
    restart += ["-w", "restart", "-l", str(app["folder"] / "primary.log")]
    if os.geteuid() == 0:
        restart = ["runuser", "-u", "postgres", "--", *restart]
    try:
        deadline = time.monotonic() + 30
        while len(writer.acknowledged) < 20:
            assert time.monotonic() < deadline, writer.failures
            time.sleep(0.1)
        assert not writer.failures, writer.failures
        stopped = time.monotonic()
        subprocess.run(restart, check=True, capture_output=True, timeout=60)
        restarted = time.monotonic()
        deadline = restarted + 30
        while sum(1 for t, _m in writer.acknowledged if t > restarted) < 20:
            assert time.monotonic() < deadline, app["server"].output()
            time.sleep(0.1)
    finally:
        writer.stop.set()
        writer.join(timeout=30)
    back = min(t for t, _m in writer.acknowledged if t > stopped)
    assert all(stopped <= t <= back for t, _code in writer.failures), writer.failures
    assert {code for _t, code in writer.failures} <= {0, 503}, writer.failures
    with psycopg.connect(
        host="127.0.0.1", port=app["primary"], user="postgres", dbname="trienkhai"
    ) as conn:
        stored = {
            row[0]
            for row in conn.execute(
                "SELECT narrative FROM tracking_progressreport WHERE narrative LIKE 'ghi-%%'"
            )
        }
    assert {m for _t, m in writer.acknowledged} <= stored
    print(
        f"\nrestart: {len(writer.failures)} refused over {back - stopped:.1f} s "
        f"(the restart itself {restarted - stopped:.1f} s), "
        f"{len(writer.acknowledged)} acknowledged, none lost"
    )
