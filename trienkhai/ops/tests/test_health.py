"""Liveness, readiness with what is wrong, metrics only for this machine or a token, CSP reports."""

import json
import logging

import pytest
from django.db import connection
from django.test import override_settings

from trienkhai.ops import health

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_each_part(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        "queue": "ok",
        "migrations": "ok",
    }


def test_readyz_is_503_and_names_the_broken_part(client, monkeypatch):
    def broken_cache_set(*args, **kwargs):
        raise ConnectionError("cache server gone")

    monkeypatch.setattr(health.cache, "set", broken_cache_set)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["cache"] == "unreachable (ConnectionError)"
    assert body["checks"]["database"] == "ok"


def test_readyz_finds_unapplied_migrations(client, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", set())
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    last = (
        recorder.migration_qs.filter(app="ops").first()
        or recorder.migration_qs.filter(app="core").order_by("-name").first()
    )
    recorder.record_unapplied(last.app, last.name)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "1 not applied"


def test_readyz_when_the_database_fails(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "database", lambda: health.check_database("missing"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("unreachable")


def test_metrics_for_this_machine(client, admin_user):
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    text = response.content.decode()
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    assert latency + '{method="GET",view="healthz"}' in text
    for name in (
        "trienkhai_tasks_queued",
        "trienkhai_tasks_failed",
        'trienkhai_notifications_pending{state="unread"}',
        "trienkhai_metrics_errors 0.0",
    ):
        assert name in text
    if connection.vendor == "postgresql":
        assert "trienkhai_database_connections{state=" in text


def test_metrics_count_queued_tasks(client):
    from trienkhai.notify.jobs import digest

    before = _gauge(client, "trienkhai_tasks_queued")
    digest.enqueue()
    assert _gauge(client, "trienkhai_tasks_queued") == before + 1


def _gauge(client, name: str) -> float:
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    line = next(line for line in text.splitlines() if line.startswith(name + " "))
    return float(line.split()[1])


def test_metrics_hidden_from_others(client):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
    # Passed on by nginx from outside: loopback address, but a forwarded client.
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert response.status_code == 404


@override_settings(TRIENKHAI_METRICS_TOKEN="t0ken-for-prometheus")
def test_metrics_with_a_token(client):
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope", REMOTE_ADDR="10.0.0.9")
    assert wrong.status_code == 404
    right = client.get(
        "/metrics", HTTP_AUTHORIZATION="Bearer t0ken-for-prometheus", REMOTE_ADDR="10.0.0.9"
    )
    assert right.status_code == 200


def test_csp_report_is_logged(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "https://trienkhai.example/units/",
            "violated-directive": "script-src 'self'",
            "blocked-uri": "https://cdn.example/x.js",
        }
    }
    with caplog.at_level(logging.WARNING, logger="trienkhai.csp"):
        response = client.post(
            "/csp-report/", json.dumps(report), content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert "script-src 'self' blocked https://cdn.example/x.js" in caplog.text


def test_csp_report_refuses_garbage_and_size(client):
    for garbage in ("{not json", "[]", '{"csp-report": 3}'):
        response = client.post("/csp-report/", garbage, content_type="application/json")
        assert response.status_code == 400, garbage
    big = json.dumps({"csp-report": {"blocked-uri": "x" * 70000}})
    assert client.post("/csp-report/", big, content_type="application/json").status_code == 413
    assert client.get("/csp-report/").status_code == 405


def test_the_policy_names_the_report_endpoint(client):
    assert "report-uri /csp-report/" in client.get("/healthz")["Content-Security-Policy"]


REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def test_with_redis_down_pages_work_and_readyz_names_it(client, settings, tree):
    """The cache (and the queue) in Redis, Redis gone: pages are computed without the cache;
    /readyz says what is wrong; a balancer asking only the database keeps the server."""
    from tests.builders import factories
    from trienkhai.accounts.models import Role

    settings.CACHES = REDIS_DOWN
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0", "DEFAULT_TIMEOUT": -1}}
    reporter = factories.user("bao-cao-xa", (Role.REPORTER, tree["commune_a"]))
    client.force_login(reporter)
    assert client.get("/").status_code == 200
    assert client.get("/tracking/").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503
    checks = ready.json()["checks"]
    assert checks["cache"].startswith("unreachable") and checks["queue"].startswith("unreachable")
    assert checks["database"] == "ok"
    assert client.get("/readyz?checks=database,migrations").status_code == 200
    assert client.get("/readyz?checks=nonsense").status_code == 400
