"""Sign-in throttling: by (name, address) and by address, a true wait, backoff, trusted proxies."""

import contextlib
import datetime
from unittest import mock

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from tests.builders import factories
from trienkhai.accounts import throttle

PW = "s3cret-pass!"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_THROTTLE_LIMIT = 5
    settings.LOGIN_THROTTLE_ADDRESS_LIMIT = 15
    settings.LOGIN_THROTTLE_WINDOW = 900
    settings.LOGIN_THROTTLE_MAX_WAIT = 86400
    settings.TRIENKHAI_TRUSTED_PROXIES = []


def _post(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_success_does_not_clear_the_address_counter(db):
    """The reproducer: 4 wrong guesses on each of 4 accounts, signing in to one's own account in
    between, went unthrottled. The address's count now outlives those successes."""
    factories.user("attacker")
    for i in range(4):
        factories.user(f"victim{i}")
    client = Client(REMOTE_ADDR="192.0.2.10")
    statuses = []
    for i in range(4):
        for _ in range(4):
            statuses.append(_post(client, f"victim{i}", "doan-mo").status_code)
        assert _post(Client(REMOTE_ADDR="192.0.2.10"), "attacker", PW).status_code in (302, 429)
    assert statuses == [200] * 14 + [429, 429]


def test_a_success_keeps_other_names_counts_from_the_same_address(db):
    factories.user("attacker")
    factories.user("victim")
    client = Client(REMOTE_ADDR="192.0.2.11")
    for _ in range(4):
        assert _post(client, "victim", "doan-mo").status_code == 200
    assert _post(Client(REMOTE_ADDR="192.0.2.11"), "attacker", PW).status_code == 302
    assert _post(client, "victim", "doan-mo").status_code == 429
    assert _post(client, "victim", PW).status_code == 429


def test_the_wait_announced_is_the_wait_enforced(db):
    """The lock used to end after 300 s (the cache's default timeout) while saying 15 minutes."""
    factories.user("alice")
    client = Client(REMOTE_ADDR="192.0.2.12")
    for _ in range(5):
        _post(client, "alice", "sai")
    locked = _post(client, "alice", PW)
    assert locked.status_code == 429 and "thử lại sau 15 phút" in locked.content.decode()
    start = timezone.now()
    with _clock(start + datetime.timedelta(seconds=301)):
        later = _post(client, "alice", PW)
    assert later.status_code == 429 and "thử lại sau 10 phút" in later.content.decode()
    with _clock(start + datetime.timedelta(seconds=901)):
        assert _post(client, "alice", PW).status_code == 302


@contextlib.contextmanager
def _clock(moment):
    """Every clock a lock could be read from (Django's, and the database cache's) at `moment`."""
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        mock.patch("django.core.cache.backends.db.tz_now", return_value=moment),
    ):
        yield


def test_failures_back_off(db):
    """After a lock, each failure locks again, and every `limit` more failures double the wait."""
    t = timezone.now()
    for _ in range(4):
        assert throttle.note_failure("bob", "192.0.2.13", t) is None
    assert throttle.note_failure("bob", "192.0.2.13", t) == t + datetime.timedelta(seconds=900)
    waits = []
    for _ in range(10):
        t = throttle.locked_until("bob", "192.0.2.13", t) or t
        t += datetime.timedelta(seconds=1)
        assert throttle.locked_until("bob", "192.0.2.13", t) is None
        waits.append((throttle.note_failure("bob", "192.0.2.13", t) - t).total_seconds())
    assert waits == [900] * 4 + [1800] * 5 + [3600]


def test_the_token_endpoint_is_throttled_by_name_and_address(db, tree):
    from rest_framework.test import APIClient

    from trienkhai.accounts.models import Role

    factories.user("alice", (Role.VIEWER, tree["prov_a"]))
    client = APIClient(REMOTE_ADDR="192.0.2.14")
    for _ in range(4):
        response = client.post("/api/auth/token/", {"username": "alice", "password": "x"})
        assert response.status_code == 400
    response = client.post("/api/auth/token/", {"username": "alice", "password": "x"})
    assert response.status_code == 429 and "15 phút" in response.json()["detail"]
    assert 890 <= int(response["Retry-After"]) <= 900
    other = APIClient(REMOTE_ADDR="192.0.2.15")
    assert other.post("/api/auth/token/", {"username": "alice", "password": PW}).status_code == 200


# --- the client address behind proxies -------------------------------------------------------


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/login/", **meta)


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(settings):
    settings.TRIENKHAI_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    # Straight from the client: its header is its own invention.
    assert throttle.client_ip(_request("198.51.100.7", "203.0.113.99")) == "198.51.100.7"
    # Through the proxy: the nearest untrusted hop, whatever the client wrote further left.
    assert throttle.client_ip(_request("127.0.0.1", "203.0.113.5")) == "203.0.113.5"
    assert throttle.client_ip(_request("127.0.0.1", "1.2.3.4, 203.0.113.5")) == "203.0.113.5"
    assert throttle.client_ip(_request("127.0.0.1", "203.0.113.5, 10.1.2.3")) == "203.0.113.5"
    assert throttle.client_ip(_request("127.0.0.1", "203.0.113.5:4711")) == "203.0.113.5"
    assert throttle.client_ip(_request("127.0.0.1")) == "127.0.0.1"
    settings.TRIENKHAI_TRUSTED_PROXIES = []
    assert throttle.client_ip(_request("127.0.0.1", "203.0.113.5")) == "127.0.0.1"


def test_people_behind_a_trusted_proxy_are_throttled_apart(db, settings):
    """Behind a proxy every user used to share one address (and one lock)."""
    settings.TRIENKHAI_TRUSTED_PROXIES = ["127.0.0.1"]
    factories.user("alice")
    guesser = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    for _ in range(20):
        _post(guesser, f"name{_ % 7}", "sai")
    assert _post(guesser, "alice", PW).status_code == 429
    colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert _post(colleague, "alice", PW).status_code == 302
