"""The production nginx site (deploy/nginx/trienkhai.conf), checked by nginx and served through.

The site file is used as shipped, with only its machine-specific parts replaced (ports, paths,
server name, the application's address): TLS, static files from disk, downloads handed over by
the application with X-Accel-Redirect, request limits, and the redirect from plain HTTP.
"""

import contextlib
import datetime
import http.client
import os
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.urls import reverse

from tests.builders import bulk, factories
from trienkhai.accounts.models import Role

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "trienkhai.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"deploy/nginx/trienkhai.conf no longer has {old!r}"
    return text.replace(old, new)


def _site(apps, data: Path, certs: Path, http_port: int, https_port: int) -> str:
    """The shipped site with this machine's parts: `apps` the application servers' addresses."""
    apps = [apps] if isinstance(apps, str) else list(apps)
    text = SITE.read_text()
    text = "\n".join(line for line in text.splitlines() if "[::]" not in line)  # no IPv6 here
    servers = "\n    ".join(f"server {app} max_fails=1 fail_timeout=10s;" for app in apps)
    text = _replace(text, "server 127.0.0.1:8000;", servers)
    text = _replace(text, "listen 80;", f"listen 127.0.0.1:{http_port};")
    text = _replace(text, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    text = _replace(text, "/var/lib/trienkhai/", f"{data}/")
    text = _replace(text, "/etc/ssl/trienkhai/", f"{certs}/")
    return _replace(text, "server_name trienkhai.example.vn;", "server_name localhost;")


def _main_conf(prefix: Path, site: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {kind}_temp_path {prefix}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log warn;\ndaemon off;\n"
        "events { worker_connections 64; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"    access_log {prefix}/access.log;\n{temp}    include {site};\n}}\n"
    )


@contextlib.contextmanager
def running_nginx(apps, data: Path, tmp_path: Path):
    """nginx with the shipped site in front of `apps`, a self-signed certificate for localhost;
    `data` is the data directory (static/ and media/ inside)."""
    assert os.path.exists(NGINX), "nginx is not installed (scripts/install-system-deps.sh)"
    certs, prefix = tmp_path / "certs", tmp_path / "nginx"
    for folder in (certs, prefix):
        folder.mkdir(parents=True)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + [
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(certs / "privkey.pem"),
        ]
        + ["-out", str(certs / "fullchain.pem")],
        check=True,
        capture_output=True,
    )
    http_port, https_port = _free_port(), _free_port()
    site = prefix / "site.conf"
    site.write_text(_site(apps, data, certs, http_port, https_port))
    conf = prefix / "nginx.conf"
    conf.write_text(_main_conf(prefix, site))
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    proc = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", https_port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.1)
        yield {
            "https": f"https://localhost:{https_port}",
            "http": f"http://localhost:{http_port}",
            "port": https_port,
            "data": data,
            "ca": str(certs / "fullchain.pem"),
        }
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def nginx(live_server, settings, tmp_path):
    """nginx in front of the live server."""
    data = tmp_path / "data"
    (data / "media").mkdir(parents=True)
    settings.MEDIA_ROOT = str(data / "media")
    settings.STATIC_ROOT = str(data / "static")
    settings.TRIENKHAI_ACCEL_REDIRECT = "/_protected/"
    call_command("collectstatic", interactive=False, verbosity=0)
    with running_nginx(live_server.url.split("//")[1], data, tmp_path) as running:
        yield running


def _session(nginx, cookie: str | None = None) -> requests.Session:
    s = requests.Session()
    s.trust_env = False  # no proxy from the environment: loopback only
    s.verify = nginx["ca"]  # the test's self-signed certificate, checked
    if cookie:
        s.headers["Cookie"] = f"sessionid={cookie}"
    return s


@pytest.fixture
def evidence(tree, settings, nginx):
    """A report with an uploaded file at province A, by a reporter of province A."""
    from trienkhai.tracking.actions.reports import report_progress

    directive = bulk.directive(tree["root"])
    plan = bulk.plan(directive, tree["prov_a"])
    task, occurrence = bulk.task(plan, due=datetime.date(2026, 12, 31))
    (assignment,) = bulk.assign(task, occurrence, [tree["prov_a"]], dates=lambda u: (None, None))
    reporter = factories.user("rep-a", (Role.REPORTER, tree["prov_a"], False))
    content = b"%PDF-1.4 bien ban hoi nghi quan triet " * 200
    report = report_progress(
        reporter,
        assignment,
        reported_on=datetime.date(2026, 12, 1),
        percent=40,
        done=False,
        files=[("biên bản hội nghị.pdf", content)],
    )
    return {"evidence": report.evidence.get(), "content": content, "reporter": reporter}


def _cookie(client, user) -> str:
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_nginx_serves_pages_static_files_and_redirects_http(nginx):
    s = _session(nginx)
    page = s.get(nginx["https"] + "/login/")
    assert page.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in page.text
    assert page.headers["Server"] == "nginx"  # server_tokens off: no version
    assert page.headers["X-Request-ID"]  # passed on from the application

    css = s.get(nginx["https"] + "/static/trienkhai/css/app.css")
    assert css.status_code == 200 and "text/css" in css.headers["Content-Type"]
    assert "X-Request-ID" not in css.headers  # from disk, the application never saw it
    assert css.content == (nginx["data"] / "static/trienkhai/css/app.css").read_bytes()

    plain = s.get(nginx["http"] + "/units/", allow_redirects=False)
    assert plain.status_code == 301
    assert plain.headers["Location"] == "https://localhost/units/"
    assert s.get(nginx["http"] + "/healthz").json() == {"status": "ok"}
    assert s.get(nginx["https"] + "/readyz").json()["status"] == "ok"
    # The metrics are not for the outside: a request through nginx is a forwarded one.
    assert s.get(nginx["https"] + "/metrics").status_code == 404


def test_a_protected_download_goes_through_nginx_only_for_its_readers(
    nginx, evidence, client, tree
):
    url = nginx["https"] + reverse("tracking-evidence", args=[evidence["evidence"].pk])
    got = _session(nginx, _cookie(client, evidence["reporter"])).get(url)
    assert got.status_code == 200, got.text[:500]
    assert got.content == evidence["content"]
    assert got.headers["Content-Disposition"].startswith("attachment")
    assert "bi%C3%AAn%20b%E1%BA%A3n" in got.headers["Content-Disposition"]
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in got.headers["Content-Security-Policy"]
    assert "X-Accel-Redirect" not in got.headers
    assert got.headers["Content-Type"] == "application/pdf"

    stranger = factories.user("viewer-b", (Role.VIEWER, tree["prov_b"]))
    assert _session(nginx, _cookie(client, stranger)).get(url).status_code == 404
    anonymous = _session(nginx).get(url, allow_redirects=False)
    assert anonymous.status_code == 302 and "/login/" in anonymous.headers["Location"]

    # The stored file is not reachable by its path, neither the internal one nor the media one.
    stored = evidence["evidence"].file.name
    for path in (f"/_protected/{stored}", f"/media/{stored}"):
        assert _session(nginx).get(nginx["https"] + path).status_code == 404, path


def test_nginx_refuses_an_oversized_request_before_the_application(nginx):
    context = ssl.create_default_context(cafile=nginx["ca"])
    conn = http.client.HTTPSConnection("localhost", nginx["port"], context=context, timeout=10)
    conn.putrequest("POST", "/login/")
    conn.putheader("Content-Type", "application/x-www-form-urlencoded")
    conn.putheader("Content-Length", str(41 * 1024 * 1024))
    conn.endheaders()
    assert conn.getresponse().status == 413
    conn.close()
