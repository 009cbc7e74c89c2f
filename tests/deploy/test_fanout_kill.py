"""The web server killed with SIGKILL in the middle of a fan-out to 30,000 grassroots
organisations: nothing of it is written (one transaction), and the same request sent again
assigns each unit exactly once."""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import psycopg
import pytest
import requests

from tests.deploy import cluster

GRASSROOTS = 30000
INSERTING = "%INSERT INTO%"  # the fan-out's INSERT … SELECT of assignments, then of log rows


def _sql(dbname: str, query: str, *params):
    with psycopg.connect(
        host="127.0.0.1", port=5432, user="postgres", dbname=dbname, autocommit=True
    ) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def database():
    name = f"tk_fanout_kill_{os.getpid()}"
    _sql("postgres", f'DROP DATABASE IF EXISTS "{name}"')
    _sql("postgres", f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        _sql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_fan_out_killed_midway_leaves_nothing_and_runs_once_when_sent_again(database, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        TRIENKHAI_DATA_DIR=str(tmp_path / "data"),
        PYTHONPATH=str(cluster.ROOT),
    )
    generate = [sys.executable, "-m", "trienkhai.cli", "generate", "--provinces", "3"]
    generate += ["--communes", "300", "--grassroots", str(GRASSROOTS), "--cells", "0"]
    made = subprocess.run(generate, env=env, capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stderr[-2000:]
    world = subprocess.run(
        [sys.executable, str(cluster.ROOT / "tests" / "deploy" / "fanout_world.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cluster.ROOT,
    )
    assert world.returncode == 0, world.stderr[-2000:]
    ids = json.loads(world.stdout.strip().splitlines()[-1])
    assert ids["n"] == GRASSROOTS
    count = f"SELECT count(*) FROM tracking_assignment WHERE task_id = {int(ids['task'])}"  # noqa: S608

    server, base = cluster.serve(env, tmp_path / "serve1.log")
    session = cluster.token(base, ids["user"], ids["password"])
    url = f"{base}/api/tasks/{ids['task']}/assign/"
    outcome = {}

    def send():
        try:
            outcome["response"] = session.post(url, json={"rule": "kind", "kind": "grassroots"})
        except requests.RequestException as exc:
            outcome["error"] = exc

    sender = threading.Thread(target=send)
    sender.start()
    # Kill the server while its INSERT … SELECT of the assignments is running.
    deadline = time.monotonic() + 60
    while not _sql(
        database,
        "SELECT 1 FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
        "AND query LIKE %s AND pid <> pg_backend_pid()",
        database,
        INSERTING,
    ):
        assert sender.is_alive(), f"the fan-out finished before it could be killed: {outcome}"
        assert time.monotonic() < deadline, "the fan-out never started"
        time.sleep(0.01)
    os.killpg(server.proc.pid, signal.SIGKILL)
    server.proc.wait()
    sender.join(timeout=60)
    assert "error" in outcome, f"the request was answered: {outcome}"
    # The backend of the killed server rolls back once PostgreSQL sees its client gone.
    deadline = time.monotonic() + 30
    while _sql(
        database,
        "SELECT 1 FROM pg_stat_activity WHERE datname = %s AND query LIKE %s "
        "AND pid <> pg_backend_pid()",
        database,
        INSERTING,
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert _sql(database, count) == [(0,)]
    server.stop()

    server, base = cluster.serve(env, tmp_path / "serve2.log")
    try:
        session = cluster.token(base, ids["user"], ids["password"])
        again = session.post(
            f"{base}/api/tasks/{ids['task']}/assign/", json={"rule": "kind", "kind": "grassroots"}
        )
        assert again.status_code == 200, again.text
        assert again.json()["created"] == GRASSROOTS
        assert _sql(database, count) == [(GRASSROOTS,)]
        # Sent a third time, nothing is assigned twice.
        third = session.post(
            f"{base}/api/tasks/{ids['task']}/assign/", json={"rule": "kind", "kind": "grassroots"}
        )
        assert third.status_code == 200 and third.json()["created"] == 0
        assert _sql(database, count) == [(GRASSROOTS,)]
    finally:
        server.stop()
