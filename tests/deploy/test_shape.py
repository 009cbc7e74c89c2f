"""The multi-server shape on loopback: nginx in front of two application servers, PostgreSQL
primary and standby (pg_auto_failover) each behind pgbouncer, Redis with an RQ worker.

Through nginx a reporter files a report; the RQ worker delivers the hand-off to the coordinator;
another reader's roll-up is served by the standby; both application servers answer; one of them
is killed and nginx goes on serving from the other.
"""

import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest
import requests

from tests.builders.background import redis_client
from tests.deploy import cluster
from tests.deploy.test_nginx import running_nginx

REDIS_DB = "redis://127.0.0.1:6379/13"


@pytest.fixture
def shape(tmp_path):
    redis = redis_client(REDIS_DB)
    redis.flushdb()
    with cluster.formation() as f:
        data = tmp_path / "data"
        env = cluster.environment(
            f,
            data,
            DATABASE_REPLICA_URL=f"postgres://postgres@127.0.0.1:{f['bouncer2']}/trienkhai",
            REDIS_URL=REDIS_DB,
            TRIENKHAI_TASKS="rq",
            TRIENKHAI_PANEL_CACHE_SECONDS="0",
        )
        ids = cluster.build_world(env)
        subprocess.run(
            [sys.executable, "-m", "trienkhai.cli", "manage", "collectstatic", "--noinput"],
            env=env,
            check=True,
            capture_output=True,
            cwd=tmp_path,
        )
        app1, base1 = cluster.serve(env, tmp_path / "app1.log")
        app2, base2 = cluster.serve(env, tmp_path / "app2.log")
        worker = cluster.Process(["worker"], env, tmp_path / "worker.log")
        try:
            addresses = [base1.split("//")[1], base2.split("//")[1]]
            with running_nginx(addresses, data, tmp_path) as nginx:
                yield {
                    **ids,
                    **f,
                    "nginx": nginx,
                    "apps": [(app1, base1), (app2, base2)],
                    "worker": worker,
                }
        finally:
            for process in (worker, app2, app1):
                process.stop()
            redis.flushdb()


def _session(shape, username) -> requests.Session:
    return cluster.token(
        shape["nginx"]["https"], username, shape["password"], verify=shape["nginx"]["ca"]
    )


def _served_views(base: str) -> int:
    """How many API requests this application server has answered (its own /metrics)."""
    text = requests.get(base + "/metrics", timeout=5).text
    return int(
        sum(
            float(line.split()[-1])
            for line in text.splitlines()
            if line.startswith("django_http_requests_latency_seconds_by_view_method_count")
            and 'view="api-rollup"' in line
        )
    )


def test_the_whole_shape_on_loopback(shape):
    https = shape["nginx"]["https"]
    writer = _session(shape, shape["writer"])
    watcher = _session(shape, shape["watcher"])

    url = f"{https}/api/assignments/{shape['assignment']}/"
    version = writer.get(url).json()["version"]
    filed = writer.post(
        url + "report/",
        json={
            "reported_on": time.strftime("%Y-%m-%d"),
            "percent": 40,
            "narrative": "Báo cáo qua nginx",
            "expected_version": version,
        },
    )
    assert filed.status_code == 201, filed.text

    # The RQ worker delivers the hand-off: the coordinator of the assigning unit is told.
    deadline = time.monotonic() + 60
    with psycopg.connect(
        host="127.0.0.1", port=shape["pg1"], user="postgres", dbname="trienkhai", autocommit=True
    ) as conn:
        while True:
            (told,) = conn.execute(
                "SELECT count(*) FROM notify_notification n JOIN auth_user u ON u.id = n.user_id "
                "WHERE u.username = 'dieuphoi-tw'"
            ).fetchone()
            if told:
                break
            assert time.monotonic() < deadline, shape["worker"].output()
            time.sleep(0.3)

    # Reads through nginx reach both application servers; the standby serves the watcher.
    # (The watcher has written nothing; the standby replays the report within moments.)
    by_standby = 0
    for _ in range(12):
        r = watcher.get(f"{https}/api/rollup/", params={"unit": shape["root"]})
        assert r.status_code == 200, r.text
        by_standby += 'replica;desc="standby"' in r.headers.get("Server-Timing", "")
    assert by_standby >= 10
    (app1, base1), (app2, base2) = shape["apps"]
    assert _served_views(base1) > 0 and _served_views(base2) > 0

    # One application server dies: nginx keeps serving from the other.
    os.killpg(app1.proc.pid, signal.SIGKILL)  # the machine goes: master and workers
    app1.proc.wait()
    for _ in range(6):
        r = watcher.get(f"{https}/api/rollup/", params={"unit": shape["root"]})
        assert r.status_code == 200, r.text
