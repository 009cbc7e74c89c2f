"""API sign-in by token (throttled like the login page), /api/me/, and the OpenAPI schema."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.builders import factories
from trienkhai.accounts.models import Clearance, Role


@pytest.fixture
def alice(tree):
    return factories.user("alice", (Role.COORDINATOR, tree["prov_a"], True, Clearance.CONFIDENTIAL))


def test_token_then_me(alice, tree):
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": "alice", "password": "s3cret-pass!"})
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/me/").json()
    assert me["username"] == "alice" and me["is_superuser"] is False
    (grant,) = me["grants"]
    assert grant["role"] == "coordinator" and grant["unit"]["name"] == "Tỉnh An"
    assert grant["clearance"] == Clearance.CONFIDENTIAL and grant["include_subtree"] is True
    assert client.get("/api/units/").status_code == 200


def test_wrong_password_is_refused_in_vietnamese(alice):
    response = APIClient().post("/api/auth/token/", {"username": "alice", "password": "nope"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Tên đăng nhập hoặc mật khẩu không đúng."


@override_settings(LOGIN_THROTTLE_LIMIT=3)
def test_repeated_failures_lock_the_token_endpoint(alice):
    client = APIClient()
    for _ in range(2):
        assert (
            client.post("/api/auth/token/", {"username": "alice", "password": "x"}).status_code
            == 400
        )
    # The failure that reaches the limit already says so, with the wait.
    third = client.post("/api/auth/token/", {"username": "alice", "password": "x"})
    assert third.status_code == 429 and "15 phút" in third.json()["detail"]
    locked = client.post("/api/auth/token/", {"username": "alice", "password": "s3cret-pass!"})
    assert locked.status_code == 429 and "quá nhiều lần" in locked.json()["detail"]
    assert "token" not in locked.json()


def test_bad_token_and_no_credentials_are_refused(alice):
    client = APIClient()
    assert client.get("/api/me/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Token 0000")
    assert client.get("/api/units/").status_code == 401


def test_schema_builds_and_names_every_endpoint(alice):
    from drf_spectacular.drainage import GENERATOR_STATS

    client = APIClient()
    client.force_authenticate(alice)
    GENERATOR_STATS.reset()
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
    paths = response.json()["paths"]
    for path in (
        "/api/units/",
        "/api/units/{id}/",
        "/api/units/{id}/children/",
        "/api/units/{id}/history/",
        "/api/units/merge/",
        "/api/documents/",
        "/api/documents/{id}/",
        "/api/documents/{id}/relations/",
        "/api/documents/{id}/cascade/",
        "/api/relations/",
        "/api/relations/{id}/",
        "/api/auth/token/",
        "/api/auth/logout/",
        "/api/auth/logout-all/",
        "/api/auth/password/",
        "/api/me/",
    ):
        assert path in paths, path
    assert "post" in paths["/api/documents/"] and "delete" in paths["/api/relations/{id}/"]


@pytest.mark.parametrize("body", ["[null, null]", "[]", "42", '"alice"', "null"])
def test_a_body_that_is_not_an_object_is_a_400_with_a_message(alice, body):
    client = APIClient(raise_request_exception=False)
    response = client.post("/api/auth/token/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]
