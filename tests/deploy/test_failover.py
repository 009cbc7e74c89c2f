"""The primary's machine is lost under a light write load; the standby takes over.

deploy/postgresql/failover.sh starts pg_auto_failover (a monitor, a primary, a synchronous
standby) with a pgbouncer in transaction mode in front of each node; `trienkhai serve`
connects to both poolers with target_session_attrs=read-write (TRIENKHAI_PGBOUNCER=1). A
reporter files a report every 50 ms; the primary's pg_autoctl, PostgreSQL and pgbouncer are
killed with SIGKILL. The monitor promotes the standby, the application reconnects by itself,
and every report that was answered 201 is on the new primary. Errors (503, never 500) happen
only between the kill and the first write after it.
"""

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import psycopg
import pytest
import requests

from tests.deploy import cluster

OUTAGE_LIMIT = 90  # seconds the test waits for the standby to take over


@pytest.fixture
def app(tmp_path):
    with cluster.formation() as f:
        env = cluster.environment(f, tmp_path / "data")
        ids = cluster.build_world(env)
        server, base = cluster.serve(env, tmp_path / "serve.log", workers=2)
        try:
            yield {"base": base, **ids, **f, "server": server}
        finally:
            server.stop()


class Writer(threading.Thread):
    """Files a report every 50 ms and notes what each attempt got back."""

    def __init__(self, base, token, assignment):
        super().__init__(daemon=True)
        self.s = requests.Session()
        self.s.trust_env = False
        self.s.headers["Authorization"] = f"Token {token}"
        self.url = f"{base}/api/assignments/{assignment}/"
        self.acknowledged: list[tuple[float, str]] = []
        self.failures: list[tuple[float, int]] = []
        self.stop = threading.Event()
        self.version = None

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            mark = f"ghi-{n:05d}"
            try:
                if self.version is None:
                    got = self.s.get(self.url, timeout=10)
                    got.raise_for_status()
                    self.version = got.json()["version"]
                r = self.s.post(
                    self.url + "report/",
                    json={
                        "reported_on": time.strftime("%Y-%m-%d"),
                        "percent": n % 90 + 5,
                        "narrative": mark,
                        "expected_version": self.version,
                    },
                    timeout=15,
                )
                if r.status_code == 201:
                    self.acknowledged.append((time.monotonic(), mark))
                    self.version += 1
                else:
                    self.failures.append((time.monotonic(), r.status_code))
                    self.version = None
            except requests.RequestException:
                self.failures.append((time.monotonic(), 0))
                self.version = None
            time.sleep(0.05)


def _kill_primary_machine(folder: Path) -> None:
    """SIGKILL the node1 keeper's process group (pg_autoctl and its PostgreSQL) and its pooler."""
    pgdata = str(folder / "node1")
    out = subprocess.run(["ps", "-eo", "pgid=,args="], capture_output=True, text=True).stdout
    groups = {
        int(line.split(None, 1)[0])
        for line in out.splitlines()
        if line.strip().endswith(f"pg_autoctl run --pgdata {pgdata}") and "runuser" not in line
    }
    assert groups, "node1's pg_autoctl is not running"
    for group in groups:
        os.killpg(group, signal.SIGKILL)
    os.kill(int((folder / "bouncer1.pid").read_text()), signal.SIGKILL)


def test_failover_under_writes_loses_no_acknowledged_write(app):
    token = requests.post(
        app["base"] + "/api/auth/token/",
        json={"username": app["writer"], "password": app["password"]},
        timeout=10,
    ).json()["token"]
    writer = Writer(app["base"], token, app["assignment"])
    writer.start()
    try:
        deadline = time.monotonic() + 30
        while len(writer.acknowledged) < 20:
            assert time.monotonic() < deadline, f"no writes before the kill: {writer.failures}"
            time.sleep(0.1)
        assert not writer.failures, writer.failures
        killed = time.monotonic()
        _kill_primary_machine(app["folder"])
        deadline = killed + OUTAGE_LIMIT
        while (
            not any(t > killed + 0.5 for t, _m in writer.acknowledged[-5:])
            or sum(1 for t, _m in writer.acknowledged if t > killed) < 20
        ):
            if time.monotonic() > deadline:
                pytest.fail(
                    f"no write succeeded {OUTAGE_LIMIT} s after the kill\n" + app["server"].output()
                )
            time.sleep(0.2)
    finally:
        writer.stop.set()
        writer.join(timeout=30)

    after = [t for t, _m in writer.acknowledged if t > killed]
    back = min(after)
    outage = back - killed
    # Errors only during the outage, and answered as "try again" (503) or a dropped connection.
    assert all(killed <= t <= back for t, _code in writer.failures), writer.failures
    assert {code for _t, code in writer.failures} <= {0, 503}, writer.failures
    # Every acknowledged write is on the promoted standby.
    with psycopg.connect(
        host="127.0.0.1", port=app["pg2"], user="postgres", dbname="trienkhai"
    ) as conn:
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone() == (False,)
        stored = {
            row[0]
            for row in conn.execute(
                "SELECT narrative FROM tracking_progressreport WHERE narrative LIKE 'ghi-%%'"
            )
        }
    acknowledged = {m for _t, m in writer.acknowledged}
    assert acknowledged - stored == set(), "acknowledged writes lost in the failover"
    print(
        f"\nfailover: {len(acknowledged)} writes acknowledged, {len(writer.failures)} refused "
        f"during an outage of {outage:.1f} s, none lost"
    )
