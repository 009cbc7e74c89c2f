"""A worker killed with SIGKILL in the middle of a long unit import: the next worker runs the
import again once the killed one's lease has lapsed, and it finishes with every unit written
exactly once (the batches already written are found unchanged), in two attempts of one task."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from tests.deploy import cluster

COMMUNES = 3000  # 9,000 units in batches of 300


def test_a_worker_killed_mid_import_finishes_it_on_the_next_pass(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "REDIS_")) and k not in ("TRIENKHAI_TASKS",)
    }
    env.update(
        TRIENKHAI_DATA_DIR=str(tmp_path),
        TRIENKHAI_JOB_LEASE="1",
        TRIENKHAI_IMPORT_CHUNK_ROWS="300",
        PYTHONPATH=str(cluster.ROOT),
    )
    cli = [sys.executable, "-m", "trienkhai.cli"]
    subprocess.run([*cli, "manage", "migrate", "-v0"], env=env, check=True, cwd=tmp_path)
    made = subprocess.run(
        [sys.executable, str(cluster.ROOT / "tests" / "deploy" / "import_world.py"), str(COMMUNES)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=cluster.ROOT,
    )
    import_id, task_id = made.stdout.split()[-2:]
    db = sqlite3.connect(tmp_path / "trienkhai.sqlite3", timeout=30)

    def one(query, *params):
        return db.execute(query, params).fetchone()

    def imported() -> int:
        return one("SELECT count(*) FROM units_unit WHERE code LIKE '%XN%'")[0]

    worker = subprocess.Popen([*cli, "worker", "--poll", "0.2"], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while imported() < 900:  # past the third batch
            assert worker.poll() is None, "the worker exited"
            state = one("SELECT state, errors FROM units_unitimport WHERE id = ?", import_id)
            assert state[0] not in ("done", "refused", "failed", "interrupted"), state
            assert time.monotonic() < deadline, one(
                "SELECT state, done, total FROM units_unitimport WHERE id = ?", import_id
            )
            time.sleep(0.02)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    partial = imported()
    assert 0 < partial < 3 * COMMUNES, partial  # killed half-way: some batches written
    assert one("SELECT state FROM units_unitimport WHERE id = ?", import_id)[0] == "applying"

    time.sleep(1.5)  # the killed worker's lease lapses
    subprocess.run([*cli, "worker", "--once"], env=env, check=True, capture_output=True)
    assert imported() == 3 * COMMUNES
    assert one("SELECT count(DISTINCT code) FROM units_unit WHERE code LIKE '%XN%'")[0] == (
        3 * COMMUNES
    )
    state, created, unchanged = one(
        "SELECT state, created, unchanged FROM units_unitimport WHERE id = ?", import_id
    )
    assert state == "done"
    assert created + unchanged == 3 * COMMUNES and unchanged >= partial
    status, workers = one(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = ?",
        task_id.replace("-", ""),
    ) or one(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = ?", task_id
    )
    assert status == "SUCCESSFUL" and workers.count(":") >= 2  # claimed twice: two attempts
    print(f"\nimport: killed after {partial} of {3 * COMMUNES} units; finished on the next pass")
