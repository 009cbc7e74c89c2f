"""API tokens expire and can be revoked; passwords change (validated); accounts can be locked."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.builders import factories
from trienkhai.accounts.models import Grant, Role
from trienkhai.core.models import ChangeLogEntry

PW = "s3cret-pass!"


@pytest.fixture
def alice(tree):
    return factories.user("alice", (Role.VIEWER, tree["prov_a"]))


def _token(username="alice", password=PW):
    response = APIClient().post("/api/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_each_sign_in_gives_a_new_token_stored_hashed(alice):
    first, second = _token(), _token()
    assert first != second
    assert _client(first).get("/api/me/").status_code == 200
    assert _client(second).get("/api/me/").status_code == 200
    from knox.models import AuthToken

    stored = list(AuthToken.objects.filter(user=alice).values_list("digest", flat=True))
    assert len(stored) == 2 and first not in stored and second not in stored


def test_tokens_expire(alice, settings):
    token = _token()
    response = APIClient().post("/api/auth/token/", {"username": "alice", "password": PW})
    expiry = datetime.datetime.fromisoformat(response.json()["expiry"])
    ttl = datetime.timedelta(seconds=settings.API_TOKEN_TTL)
    assert expiry - timezone.now() <= ttl
    later = timezone.now() + ttl + datetime.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        refused = _client(token).get("/api/me/")
    assert refused.status_code == 401
    assert refused.json()["detail"] == "Khóa truy cập không hợp lệ hoặc đã hết hạn."


def test_logout_revokes_that_token_and_logout_all_every_token(alice):
    first, second, third = _token(), _token(), _token()
    assert _client(first).post("/api/auth/logout/").status_code == 200
    assert _client(first).get("/api/me/").status_code == 401
    assert _client(second).get("/api/me/").status_code == 200
    assert _client(second).post("/api/auth/logout-all/").status_code == 200
    assert _client(second).get("/api/me/").status_code == 401
    assert _client(third).get("/api/me/").status_code == 401
    assert ChangeLogEntry.objects.filter(action="accounts.revoke_tokens").count() == 2


def test_a_token_dies_with_the_last_grant(alice, tree):
    token = _token()
    from trienkhai.accounts.actions import revoke_grant

    admin = factories.user("prov-admin", (Role.ADMINISTRATOR, tree["prov_a"]))
    revoke_grant(admin, Grant.objects.get(user=alice))
    response = _client(token).get("/api/units/")
    assert response.status_code == 401
    assert "không còn được phân quyền" in response.json()["detail"]


def test_a_malformed_token_is_refused_not_a_crash(alice):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token caf\xe9")
    assert client.get("/api/me/").status_code == 401


def test_token_endpoint_answers_bad_shapes_with_400(db):
    client = APIClient()
    for body in ([1, 2], ["username", "password"], {"username": ["a"], "password": "b"}):
        response = client.post("/api/auth/token/", body, format="json")
        assert response.status_code == 400 and response.json()["detail"]


# --- passwords -------------------------------------------------------------------------------


def test_password_change_by_api_is_validated_logged_and_revokes_other_tokens(alice):
    token, other = _token(), _token()
    client = _client(token)
    wrong = client.post(
        "/api/auth/password/", {"old_password": "sai", "new_password": "Mat-khau-moi-2025"}
    )
    assert wrong.status_code == 400 and wrong.json()["field"] == "old_password"
    weak = client.post("/api/auth/password/", {"old_password": PW, "new_password": "12345678901"})
    assert weak.status_code == 400 and weak.json()["field"] == "new_password"
    like_name = client.post("/api/auth/password/", {"old_password": PW, "new_password": "alice"})
    assert like_name.status_code == 400
    ok = client.post(
        "/api/auth/password/", {"old_password": PW, "new_password": "Mat-khau-moi-2025"}
    )
    assert ok.status_code == 200
    assert client.get("/api/me/").status_code == 200
    assert _client(other).get("/api/me/").status_code == 401
    entry = ChangeLogEntry.objects.get(action="accounts.change_password")
    assert "Mat-khau" not in str(entry.after) and entry.after == {"tokens_revoked": 1}
    assert _token(password="Mat-khau-moi-2025")


def test_password_change_page_is_in_the_user_menu(client, alice):
    client.login(username="alice", password=PW)
    home = client.get("/").content.decode()
    assert f'href="{reverse("account")}"' in home
    token = _token()
    response = client.post(
        reverse("account"),
        {
            "old_password": PW,
            "new_password": "12345678901",
            "new_password_again": "12345678901",
        },
    )
    assert response.status_code == 200 and "hoàn toàn là số" in response.content.decode()
    response = client.post(
        reverse("account"),
        {
            "old_password": PW,
            "new_password": "Mat-khau-moi-2025",
            "new_password_again": "Mat-khau-moi-2025",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("account")).status_code == 200  # the session survives
    assert _client(token).get("/api/me/").status_code == 401
    alice.refresh_from_db()
    assert alice.check_password("Mat-khau-moi-2025")


def test_own_tokens_are_listed_and_revoked_one_by_one(client, alice):
    keep, drop = _token(), _token()
    client.login(username="alice", password=PW)
    page = client.get(reverse("account")).content.decode()
    assert drop[:8] in page and keep[:8] in page
    from knox.models import AuthToken

    row = AuthToken.objects.get(token_key=drop[:15])
    client.post(reverse("account-tokens-revoke"), {"token": row.token_key})
    assert _client(drop).get("/api/me/").status_code == 401
    assert _client(keep).get("/api/me/").status_code == 200


def test_new_accounts_get_validated_passwords(client, admin_user):
    client.force_login(admin_user)
    client.post(reverse("user-list"), {"username": "newbie", "password": "1234567890"})
    assert not get_user_model().objects.filter(username="newbie").exists()
    client.post(reverse("user-list"), {"username": "newbie", "password": "Mat-khau-tot-2025"})
    assert get_user_model().objects.filter(username="newbie").exists()


# --- locking accounts ------------------------------------------------------------------------


@pytest.fixture
def province(tree):
    admin = factories.user("prov-admin", (Role.ADMINISTRATOR, tree["prov_a"]))
    staff = factories.user("staff", (Role.REPORTER, tree["commune_a"]))
    return tree, admin, staff


def test_administrator_locks_and_unlocks_an_account(client, province):
    tree, admin, staff = province
    token = _token("staff")
    staff_browser = APIClient()
    staff_browser.login(username="staff", password=PW)
    client.force_login(admin)
    url = reverse("user-set-active", args=[staff.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    staff.refresh_from_db()
    assert not staff.is_active
    assert _client(token).get("/api/me/").status_code == 401
    assert staff_browser.get("/api/me/").status_code in (401, 403)
    refused = APIClient().post("/api/auth/token/", {"username": "staff", "password": PW})
    assert refused.status_code == 400
    entry = ChangeLogEntry.objects.get(action="accounts.deactivate", object_id=str(staff.pk))
    assert entry.user == admin and entry.after["tokens_revoked"] == 1
    client.post(url, {"active": "1"})
    staff.refresh_from_db()
    assert staff.is_active
    assert ChangeLogEntry.objects.filter(action="accounts.reactivate").count() == 1
    assert _token("staff")


def test_administrator_revokes_an_accounts_tokens(client, province):
    tree, admin, staff = province
    token = _token("staff")
    client.force_login(admin)
    client.post(reverse("user-tokens-revoke", args=[staff.pk]))
    assert _client(token).get("/api/me/").status_code == 401
    entry = ChangeLogEntry.objects.get(action="accounts.revoke_tokens")
    assert entry.user == admin and entry.object_id == str(staff.pk)


def test_locking_is_scoped_to_what_the_administrator_administers(client, province):
    tree, admin, staff = province
    elsewhere = factories.user("elsewhere", (Role.VIEWER, tree["commune_b"]))
    both = factories.user("both", (Role.VIEWER, tree["commune_a"]), (Role.VIEWER, tree["prov_b"]))
    root = factories.user("root", (Role.VIEWER, tree["commune_a"]), superuser=True)
    client.force_login(admin)
    assert (
        client.post(reverse("user-set-active", args=[elsewhere.pk]), {"active": "0"}).status_code
        == 404
    )
    client.post(reverse("user-set-active", args=[both.pk]), {"active": "0"})
    client.post(reverse("user-set-active", args=[root.pk]), {"active": "0"})
    client.post(reverse("user-set-active", args=[admin.pk]), {"active": "0"})
    for user in (elsewhere, both, root, admin):
        user.refresh_from_db()
        assert user.is_active, user.username
    assert not ChangeLogEntry.objects.filter(action="accounts.deactivate").exists()
