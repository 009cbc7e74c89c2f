"""A database still locked after the wait is a 503 asking to try again, never a 500."""

from django.db import OperationalError
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from trienkhai.core.views import server_error


def locked(*args, **kwargs):
    raise OperationalError("database is locked")


def test_a_page_that_finds_the_database_locked_answers_503_in_vietnamese(
    client, tree, admin_user, monkeypatch
):
    monkeypatch.setattr("trienkhai.units.views.queries.children", locked)
    client.force_login(admin_user)
    response = client.get(reverse("unit-tree"))
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.content.decode()
    assert "Hệ thống đang bận" in body and "database is locked" not in body


def test_the_api_answers_503_with_a_detail(tree, admin_user, monkeypatch):
    monkeypatch.setattr("trienkhai.units.api.scoped_units", locked)
    api = APIClient()
    api.force_authenticate(admin_user)
    response = api.get("/api/units/")
    assert response.status_code == 503
    assert "Hệ thống đang bận" in response.json()["detail"]


def test_other_database_errors_stay_errors(tree, admin_user, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("no such table: units_unit")

    monkeypatch.setattr("trienkhai.units.views.queries.children", broken)
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    assert client.get(reverse("unit-tree")).status_code == 500


def test_a_lock_escaping_outside_a_view_gets_the_same_answer(db):
    """E.g. the session saved after the view: the 500 handler still answers 503."""
    request = RequestFactory().get("/units/")
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and "Hệ thống đang bận" in response.content.decode()
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        assert server_error(request).status_code == 500


def test_a_postgresql_outage_is_a_503_to_try_again(client, tree, admin_user, monkeypatch):
    """A failover or restart: the connection fails or breaks; nothing was written."""
    import psycopg

    def gone(*args, **kwargs):
        try:
            raise psycopg.OperationalError("connection to server at 127.0.0.1 failed")
        except psycopg.OperationalError as exc:
            raise OperationalError("connection to server at 127.0.0.1 failed") from exc

    monkeypatch.setattr("trienkhai.units.views.queries.children", gone)
    client.force_login(admin_user)
    response = client.get(reverse("unit-tree"))
    assert response.status_code == 503 and response["Retry-After"]
    body = response.content.decode()
    assert "tạm thời gián đoạn" in body and "127.0.0.1" not in body


def test_a_postgresql_error_with_an_answer_stays_an_error(client, tree, admin_user, monkeypatch):
    import psycopg

    def broken(*args, **kwargs):
        try:
            raise psycopg.errors.UndefinedTable("relation does not exist")
        except psycopg.Error as exc:
            raise OperationalError("relation does not exist") from exc

    monkeypatch.setattr("trienkhai.units.views.queries.children", broken)
    client.raise_request_exception = False
    client.force_login(admin_user)
    assert client.get(reverse("unit-tree")).status_code == 500
