"""The `trienkhai` command as a person runs it: refs on a text, demo, and serve behind gunicorn."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from trienkhai.cli import main

ROOT = Path(__file__).resolve().parents[1]
TEXT = (
    "Thực hiện Kết luận số 21-KL/TW ngày 25/10/2021 của Ban Chấp hành Trung ương "
    "và Nghị định số 30/2020/NĐ-CP, Ban Thường vụ Tỉnh ủy ban hành kế hoạch.\n"
)


def test_refs_prints_the_references_as_json(tmp_path, capsys):
    source = tmp_path / "van-ban.txt"
    source.write_text(TEXT, encoding="utf-8")
    assert main(["refs", str(source), "--json"]) == 0
    refs = json.loads(capsys.readouterr().out)
    found = {(r["number"], r["type"], r["issuer"]) for r in refs}
    assert found == {("21", "KL", "TW"), ("30", "NĐ", "CP")}
    kl = next(r for r in refs if r["type"] == "KL")
    assert TEXT[kl["start"] : kl["end"]] == kl["text"]
    assert kl["date"] == "2021-10-25"


@pytest.mark.parametrize("order", ["json-first", "file-first"])
def test_refs_takes_its_flags_in_any_order(tmp_path, capsys, order):
    source = tmp_path / "van-ban.txt"
    source.write_text(TEXT, encoding="utf-8")
    args = ["--json", str(source)] if order == "json-first" else [str(source), "--json"]
    assert main(["refs", *args]) == 0
    refs = json.loads(capsys.readouterr().out)
    assert {(r["number"], r["type"]) for r in refs} == {("21", "KL"), ("30", "NĐ")}


def test_refs_help_prints_its_usage(capsys):
    with pytest.raises(SystemExit) as done:
        main(["refs", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "trienkhai refs" in out and "--json" in out


def test_refs_as_an_installed_command_takes_flags_first(tmp_path):
    source = tmp_path / "van-ban.txt"
    source.write_text(TEXT, encoding="utf-8")
    run = subprocess.run(
        _cli("refs", "--json", str(source)),
        capture_output=True,
        text=True,
        env=_env(tmp_path / "data"),
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert {r["type"] for r in json.loads(run.stdout)} == {"KL", "NĐ"}


def test_manage_passes_its_options_through(capsys):
    assert main(["manage", "--help"]) == 0
    assert "rebuild_rollups" in capsys.readouterr().out


def test_refs_reports_a_missing_file_without_a_trace(tmp_path, capsys):
    missing = tmp_path / "khong-co.txt"
    assert main(["refs", str(missing)]) != 0
    err = capsys.readouterr().err
    assert str(missing) in err and "tệp" in err
    assert "Traceback" not in err


def _env(data_dir: Path) -> dict[str, str]:
    """The environment of a fresh installation: its own data dir, the SQLite default."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["TRIENKHAI_DATA_DIR"] = str(data_dir)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "trienkhai.cli", *args]


def test_demo_creates_the_database_and_prints_the_logins(tmp_path):
    data = tmp_path / "data"
    run = subprocess.run(
        _cli("demo", "--no-serve"),
        env=_env(data),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert (data / "trienkhai.sqlite3").stat().st_size > 0
    assert "Tài khoản demo" in run.stdout
    logins = run.stdout.split("Tài khoản demo", 1)[1].strip().splitlines()[1:]
    assert logins and all(len(line.split()) >= 2 for line in logins), run.stdout
    # A second run finds the demo in place and still prints the same logins.
    again = subprocess.run(
        _cli("demo", "--no-serve"),
        env=_env(data),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.split("Tài khoản demo", 1)[1].strip().splitlines()[1:] == logins


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    return opener.open(url, timeout=10)  # noqa: S310 - a fixed http://127.0.0.1 address


@pytest.fixture
def served(tmp_path):
    """`trienkhai serve` on a free port, with a fresh data dir; stopped after the test."""
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        _cli("serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"),
        env=_env(tmp_path / "data"),
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"trienkhai serve exited with {proc.returncode}:\n{log.read()}")
            try:
                with _get(base + "/login/") as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"trienkhai serve did not answer within 60 s:\n{log.read()}")
            time.sleep(0.25)
        yield base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()


def test_serve_answers_through_gunicorn_with_the_security_headers(served):
    with _get(served + "/login/") as response:
        assert response.status == 200
        csp = response.headers["Content-Security-Policy"]
        body = response.read().decode()
        server = response.headers.get("Server", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "gunicorn" in server.lower()
    assert 'name="csrfmiddlewaretoken"' in body
    # The static files are served by the same process (WhiteNoise), no web server needed.
    with _get(served + "/static/trienkhai/css/app.css") as css:
        assert css.status == 200
        assert "text/css" in css.headers["Content-Type"]


def test_serve_is_ready_and_counts_requests_of_every_worker(served):
    with _get(served + "/readyz") as response:
        assert json.loads(response.read())["status"] == "ok"
    for _ in range(3):
        _get(served + "/healthz").close()
    with _get(served + "/metrics") as response:
        text = response.read().decode()
    line = next(
        line
        for line in text.splitlines()
        if line.startswith("django_http_requests_latency_seconds_by_view_method_count")
        and 'view="healthz"' in line
    )
    assert float(line.split()[-1]) >= 3


def test_backup_and_restore_from_the_command_line(served, tmp_path):
    env = _env(tmp_path / "data")
    archive = tmp_path / "sao-luu.tar"
    made = subprocess.run(
        _cli("backup", "--output", str(archive)), env=env, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    assert "sqlite" in made.stdout and archive.exists()
    back = subprocess.run(
        _cli("restore", "--yes", str(archive)), env=env, capture_output=True, text=True
    )
    assert back.returncode == 0, back.stderr
    assert "restored" in back.stdout
    (tmp_path / "hong.tar").write_bytes(archive.read_bytes()[:5000])
    refused = subprocess.run(
        _cli("restore", "--yes", str(tmp_path / "hong.tar")),
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 1
    assert "Bản sao lưu bị hỏng" in refused.stderr and "Traceback" not in refused.stderr
    asked = subprocess.run(
        _cli("restore", str(archive)), env=env, input="no\n", capture_output=True, text=True
    )
    assert asked.returncode == 1 and "nothing changed" in asked.stderr
