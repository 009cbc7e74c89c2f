"""Processes of the multi-server tests: a pg_auto_failover formation with its poolers, the
small world in its database, application servers and workers, each a real process."""

import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.test_cli import _free_port

ROOT = Path(__file__).resolve().parents[2]
FAILOVER = ROOT / "deploy" / "postgresql" / "failover.sh"


@contextmanager
def formation():
    """Monitor, primary, synchronous standby, a pgbouncer per node (deploy/postgresql)."""
    folder = Path(tempfile.mkdtemp(prefix="tk-formation-"))
    ports = {k: _free_port() for k in ("monitor", "pg1", "pg2", "bouncer1", "bouncer2")}
    try:
        started = subprocess.run(
            ["bash", str(FAILOVER), "start", str(folder), *(str(p) for p in ports.values())],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert started.returncode == 0, started.stdout + started.stderr
        assert "secondary" in started.stdout, started.stdout
        yield {"folder": folder, **ports}
    finally:
        subprocess.run(
            ["bash", str(FAILOVER), "stop", str(folder)], capture_output=True, timeout=120
        )
        subprocess.run(["rm", "-rf", str(folder)], check=False)


def environment(f: dict, data_dir: Path, **extra) -> dict:
    """The application's environment: both poolers, the primary kept by read-write."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(
        {
            "DATABASE_URL": (
                f"postgres://postgres@127.0.0.1:{f['bouncer1']},127.0.0.1:{f['bouncer2']}"
                "/trienkhai?target_session_attrs=read-write&connect_timeout=3"
            ),
            "TRIENKHAI_PGBOUNCER": "1",
            "TRIENKHAI_DATA_DIR": str(data_dir),
            "PYTHONPATH": str(ROOT),
            **extra,
        }
    )
    return env


def build_world(env: dict) -> dict:
    run = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "deploy" / "standby_world.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


class Process:
    """A `trienkhai …` command in its own process group, its output in a log file."""

    def __init__(self, args: list[str], env: dict, log: Path):
        self.log_path = log
        self.log = log.open("w+")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "trienkhai.cli", *args],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=log.parent,
            start_new_session=True,
        )

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text()[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
        self.log.close()


def serve(env: dict, log: Path, workers: int = 1) -> tuple[Process, str]:
    """`trienkhai serve` on a free port, once its /readyz answers 200."""
    port = _free_port()
    server = Process(["serve", "--port", str(port), "--workers", str(workers)], env, log)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if requests.get(base + "/readyz", timeout=2).status_code == 200:
                return server, base
        except requests.ConnectionError:
            pass
        if server.proc.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise AssertionError("trienkhai serve did not start:\n" + server.output())
        time.sleep(0.2)


def token(base: str, username: str, password: str, verify=True) -> requests.Session:
    s = requests.Session()
    s.trust_env = False
    s.verify = verify
    r = s.post(base + "/api/auth/token/", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    s.headers["Authorization"] = f"Token {r.json()['token']}"
    return s
