"""The API answers its refusals in the user's language: Vietnamese unless the request chose
English (the language cookie, or Accept-Language for a program, which has no cookie)."""

import gettext
import subprocess
from pathlib import Path

import django
import pytest
import rest_framework
from django.conf import settings
from django.utils import translation
from rest_framework import exceptions
from rest_framework.test import APIClient

import trienkhai
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.api import exception_handler

CATALOGUE = Path(trienkhai.__file__).parent / "api_locale" / "vi" / "LC_MESSAGES"
NOT_SENT_VI = "Chưa gửi thông tin xác thực"
NOT_SENT_EN = "Authentication credentials were not provided."


def _detail(response) -> str:
    return response.json()["detail"]


@pytest.mark.django_db
def test_unauthenticated_answers_are_vietnamese_unless_english_is_asked_for():
    client = APIClient()
    response = client.get("/api/units/")
    assert response.status_code == 401
    assert _detail(response).startswith(NOT_SENT_VI) and response["Content-Language"] == "vi"
    assert "Accept-Language" in response["Vary"]
    # a program asks with Accept-Language; the first language the product speaks wins
    asked = client.get("/api/units/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9,vi;q=0.5")
    assert _detail(asked) == NOT_SENT_EN and asked["Content-Language"] == "en"
    other = client.get("/api/units/", HTTP_ACCEPT_LANGUAGE="fr-FR, de;q=0.8")
    assert _detail(other).startswith(NOT_SENT_VI)
    # the language a person chose on the site (its cookie) comes before the header
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _detail(client.get("/api/units/", HTTP_ACCEPT_LANGUAGE="vi")) == NOT_SENT_EN
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    chosen_vi = client.get("/api/units/", HTTP_ACCEPT_LANGUAGE="en")
    assert _detail(chosen_vi).startswith(NOT_SENT_VI)


@pytest.mark.django_db
def test_pages_still_ignore_the_browsers_language(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="vi"' in page.content.decode()


def test_a_bad_token_is_refused_in_the_users_language(db):
    client = APIClient()
    refused = client.get("/api/units/", HTTP_AUTHORIZATION="Token nope")
    assert _detail(refused) == "Khóa truy cập không hợp lệ hoặc đã hết hạn."
    english = client.get("/api/units/", HTTP_AUTHORIZATION="Token nope", HTTP_ACCEPT_LANGUAGE="en")
    assert _detail(english) != _detail(refused)


def test_not_found_in_both_languages(tree):
    viewer = factories.user("xem-a", (Role.VIEWER, tree["prov_a"]))
    client = APIClient()
    client.force_authenticate(viewer)
    outside = f"/api/units/{tree['prov_b'].pk}/"
    assert _detail(client.get(outside)) == "Không tìm thấy."
    assert _detail(client.get(outside, HTTP_ACCEPT_LANGUAGE="en")) == "Not found."


def test_validation_errors_in_both_languages(tree):
    admin = factories.user("qt", superuser=True)
    client = APIClient()
    client.force_authenticate(admin)
    response = client.post("/api/documents/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["symbol"] == ["Trường này là bắt buộc."]
    english = client.post("/api/documents/", {}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["symbol"] == ["This field is required."]
    wrong = client.post("/api/documents/", {"symbol": "1-KH/TU", "date": "x"}, format="json")
    assert wrong.json()["date"][0].startswith("Ngày sai định dạng.")


def test_a_session_write_without_its_csrf_token_is_refused_in_vietnamese(tree):
    admin = factories.user("qt", superuser=True)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(admin)
    response = client.post("/api/documents/", {}, format="json")
    assert response.status_code == 403
    assert "CSRF" in _detail(response) and "Yêu cầu bị từ chối" in _detail(response)
    assert "CSRF Failed" not in _detail(response)


@pytest.mark.parametrize(
    ("exc", "vi", "en"),
    [
        (
            exceptions.PermissionDenied,
            "Bạn không có quyền thực hiện thao tác này.",
            "You do not have permission to perform this action.",
        ),
        (exceptions.NotAuthenticated, NOT_SENT_VI, NOT_SENT_EN),
        (exceptions.ParseError, "Yêu cầu không đúng định dạng.", "Malformed request."),
        (
            lambda: exceptions.MethodNotAllowed("PUT"),
            'Không chấp nhận phương thức "PUT".',
            'Method "PUT" not allowed.',
        ),
    ],
)
def test_each_refusal_in_both_languages(exc, vi, en):
    with translation.override("vi"):
        assert str(exception_handler(exc(), {}).data["detail"]).startswith(vi)
    with translation.override("en"):
        assert str(exception_handler(exc(), {}).data["detail"]) == en


def test_throttling_says_when_to_try_again_in_the_users_language():
    with translation.override("vi"):
        response = exception_handler(exceptions.Throttled(wait=2.2), {})
    assert response.status_code == 429 and response["Retry-After"] == "3"
    assert response.data["detail"] == (
        "Quá nhiều yêu cầu trong thời gian ngắn. Hãy thử lại sau 3 giây."
    )
    assert response.data["detail"].code == "throttled"


def test_the_catalogue_holds_only_the_frameworks_messages_and_is_compiled(tmp_path):
    """Each msgid is a message Django REST framework still uses (an upgrade that rewords one
    shows here), every one is translated, and the committed .mo is the .po compiled."""
    fresh = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603
        ["msgfmt", "--check-format", "-o", str(fresh), str(CATALOGUE / "django.po")],  # noqa: S607
        check=True,
    )
    with (CATALOGUE / "django.mo").open("rb") as committed, fresh.open("rb") as compiled:
        catalog = gettext.GNUTranslations(committed)._catalog
        assert catalog == gettext.GNUTranslations(compiled)._catalog
    source = "".join(
        p.read_text(encoding="utf-8") for p in Path(rest_framework.__file__).parent.rglob("*.py")
    ).replace("\\'", "'")
    messages = {k: v for k, v in catalog.items() if k}
    assert len(messages) > 60
    django_vi = Path(django.__file__).parent / "conf" / "locale" / "vi" / "LC_MESSAGES"
    with (django_vi / "django.mo").open("rb") as f:
        djangos = gettext.GNUTranslations(f)._catalog
    for msgid, msgstr in messages.items():
        assert msgid in source or msgid.replace('"', '\\"') in source, msgid
        assert msgstr and msgstr != msgid, msgid
        assert msgid not in djangos, f"{msgid!r}: Django translates it for the forms too"
