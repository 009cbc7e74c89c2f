"""JSON log lines carry the request id and the user of the request that wrote them."""

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings

from trienkhai.core.context import acting_as

pytestmark = pytest.mark.django_db


def _json_handler(stream):
    config = settings.LOGGING
    formatter = logging.config.DictConfigurator(config).configure_custom(
        dict(config["formatters"]["json"])
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    from trienkhai.ops.logs import ContextFilter

    handler.addFilter(ContextFilter())
    return handler


def test_a_json_line_with_request_and_user(admin_user):
    stream = io.StringIO()
    logger = logging.getLogger("trienkhai.test-json")
    logger.addHandler(_json_handler(stream))
    try:
        with acting_as(admin_user, "req-123"):
            logger.warning("kết luận %s", "21")
        logger.warning("outside")
    finally:
        logger.handlers.clear()
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "kết luận 21"
    assert first["request_id"] == "req-123"
    assert first["user_id"] == admin_user.pk
    assert first["level"] == "WARNING" and first["logger"] == "trienkhai.test-json"
    assert second["request_id"] == "" and second["user_id"] is None


def test_a_request_logs_under_its_id(client, admin_user, caplog):
    from trienkhai.ops.logs import ContextFilter

    client.force_login(admin_user)
    caplog.handler.addFilter(ContextFilter())
    report = {"csp-report": {"violated-directive": "img-src", "blocked-uri": "data"}}
    with caplog.at_level(logging.WARNING, logger="trienkhai.csp"):
        response = client.post("/csp-report/", json.dumps(report), content_type="application/json")
    (record,) = [r for r in caplog.records if r.name == "trienkhai.csp"]
    assert record.request_id == response["X-Request-ID"]
    assert record.user_id == admin_user.pk


def test_the_slow_request_log_names_its_request(client, admin_user, caplog):
    """Timing wraps the whole request, outside the request's context: it passes the id itself."""
    from django.test import override_settings

    from trienkhai.ops.logs import ContextFilter

    client.force_login(admin_user)
    caplog.handler.addFilter(ContextFilter())
    with caplog.at_level(logging.WARNING, logger="trienkhai.timing"):
        with override_settings(TRIENKHAI_SLOW_REQUEST_MS=0):
            response = client.get("/")
    record = [r for r in caplog.records if r.name == "trienkhai.timing"][-1]
    assert record.request_id == response["X-Request-ID"]
    assert record.user_id == admin_user.pk
