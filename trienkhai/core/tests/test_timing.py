"""Every response says where its server time went; a slow one is logged with its view."""

import logging
import re

from django.urls import reverse

from trienkhai.cli import build_parser, default_workers

TIMING = re.compile(
    r'^app;dur=(?P<app>[\d.]+), cpu;dur=(?P<cpu>[\d.]+), db;dur=(?P<db>[\d.]+);desc="(?P<n>\d+)"$'
)


def test_server_timing_counts_the_database_share(client, tree, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("unit-tree"))
    timing = TIMING.match(response["Server-Timing"])
    assert timing, response["Server-Timing"]
    assert int(timing["n"]) > 0  # the page read units
    assert float(timing["db"]) <= float(timing["app"])
    login = client.get("/login/")
    assert TIMING.match(login["Server-Timing"])


def test_a_slow_request_is_logged_with_its_view(client, tree, admin_user, settings, caplog):
    settings.TRIENKHAI_SLOW_REQUEST_MS = 0
    client.force_login(admin_user)
    with caplog.at_level(logging.WARNING, logger="trienkhai.timing"):
        client.get(reverse("unit-tree"))
    assert any("slow request GET /units/ (unit-tree)" in r.getMessage() for r in caplog.records)


def test_the_server_follows_the_machines_cores(monkeypatch):
    monkeypatch.delenv("TRIENKHAI_WORKERS", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert default_workers() == 8
    assert build_parser().parse_args(["serve"]).workers == 8
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert default_workers() == 2
    monkeypatch.setenv("TRIENKHAI_WORKERS", "3")
    assert build_parser().parse_args(["serve"]).workers == 3
