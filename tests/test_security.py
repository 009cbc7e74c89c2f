"""Security properties every page must keep, checked over the whole URL conf.

The page list comes from `site_pages` (tests/conftest.py), so a new page is covered without being
listed here. This module also serves as a URL conf (`urlpatterns` below) that adds a failing view to
the real one, to see the project's own 500 page.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import include, path

from trienkhai import urls as project_urls

# Pages anyone may open without signing in.
# Sign-in surfaces: the login page and the API token endpoint (POST credentials, throttled).
PUBLIC = {"login", "logout", "set_language", "api-token"}
# For machines: probes (status only), a browser's CSP report, and /metrics, which answers only a
# token or this machine (trienkhai/ops/tests/test_health.py).
PUBLIC |= {"healthz", "readyz", "csp-report", "metrics"}


def _boom(request):
    raise RuntimeError("secret internals: SELECT * FROM auth_user")


urlpatterns = [path("boom/", _boom), path("", include(project_urls))]
handler404 = project_urls.handler404
handler500 = project_urls.handler500


def _directives(csp: str) -> dict[str, list[str]]:
    out = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def assert_security_headers(response, what):
    csp = response.headers.get("Content-Security-Policy")
    assert csp, f"{what}: no Content-Security-Policy"
    directives = _directives(csp)
    script_src = directives.get("script-src", directives.get("default-src"))
    assert script_src, f"{what}: CSP sets no script-src/default-src"
    assert "'unsafe-inline'" not in script_src, f"{what}: script-src allows inline scripts"
    assert "'unsafe-eval'" not in script_src, f"{what}: script-src allows eval"
    assert "'unsafe-inline'" not in directives.get("style-src", []), f"{what}: inline styles"
    assert directives.get("frame-ancestors") == ["'none'"], f"{what}: frame-ancestors"
    assert response.headers.get("X-Content-Type-Options") == "nosniff", what
    assert response.headers.get("X-Frame-Options") == "DENY", what
    assert response.headers.get("Referrer-Policy"), f"{what}: no Referrer-Policy"


def test_every_page_carries_the_security_headers(client, site_pages, site_data):
    """Signed in or not, every response (pages, API, redirects, errors) has the headers."""
    assert len(site_pages.urls) >= 10, site_pages.skipped
    anonymous = Client()
    client.force_login(site_data["admin"])
    for url, _route in site_pages.urls:
        assert_security_headers(client.get(url), f"GET {url} (signed in)")
        assert_security_headers(anonymous.get(url), f"GET {url} (anonymous)")
    assert_security_headers(client.get("/khong-co-trang-nay/"), "404 page")
    # Static files are not framed pages: they need the CSP and nosniff, not X-Frame-Options.
    static = client.get(settings.STATIC_URL + "trienkhai/css/app.css")
    assert static.status_code == 200
    assert static.headers.get("Content-Security-Policy") == settings.CONTENT_SECURITY_POLICY
    assert static.headers.get("X-Content-Type-Options") == "nosniff"


def test_pages_with_arguments_are_reached(site_pages):
    """The detail pages are filled with real objects, not silently left out."""
    names = {route.name for _url, route in site_pages.urls}
    assert "unit-detail" in names, site_pages.skipped


def test_anonymous_users_are_sent_to_login(site_pages):
    """No page but the sign-in page shows anything to an anonymous visitor."""
    anonymous = Client()
    login_url = settings.LOGIN_URL if settings.LOGIN_URL.startswith("/") else "/login/"
    checked = 0
    for url, route in site_pages.urls:
        if route.name in PUBLIC:
            continue
        response = anonymous.get(url)
        if url.startswith("/api/"):
            assert response.status_code in (401, 403), f"{url}: {response.status_code}"
        else:
            assert response.status_code == 302, f"{url}: {response.status_code}"
            assert response.headers["Location"].startswith(f"{login_url}?next="), url
        checked += 1
    assert checked >= 8


def test_token_endpoint_gives_nothing_without_credentials(db):
    response = Client().post("/api/auth/token/", {})
    assert response.status_code == 400 and "token" not in response.json()


def test_login_page_is_public(client, db):
    response = client.get("/login/")
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_csrf_is_enforced_on_login(admin_user):
    """A sign-in POST without the CSRF token is refused, even with the right password."""
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/login/", {"username": "root-admin", "password": "s3cret-pass!"})
    assert response.status_code == 403
    assert "_auth_user_id" not in strict.session
    # With the token from the form it goes through: the refusal above was CSRF, not the password.
    strict.get("/login/")
    token = strict.cookies["csrftoken"].value
    response = strict.post(
        "/login/",
        {"username": "root-admin", "password": "s3cret-pass!", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def _attempt(client, password, username="root-admin"):
    return client.post("/login/", {"username": username, "password": password})


def test_login_throttle_refuses_even_the_right_password(client, admin_user):
    limit = settings.LOGIN_THROTTLE_LIMIT
    for _ in range(limit - 1):
        response = _attempt(client, "sai-mat-khau")
        assert response.status_code == 200
    # The failure that reaches the limit is told at once how long to wait.
    response = _attempt(client, "sai-mat-khau")
    assert response.status_code == 429
    minutes = settings.LOGIN_THROTTLE_WINDOW // 60
    assert f"Vui lòng thử lại sau {minutes} phút" in response.content.decode()
    response = _attempt(client, "s3cret-pass!")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in body
    assert "_auth_user_id" not in client.session


def test_login_throttle_counter_is_cleared_by_a_success(client, admin_user):
    limit = settings.LOGIN_THROTTLE_LIMIT
    assert limit >= 2
    for _round in range(2):
        for _ in range(limit - 1):
            assert _attempt(client, "sai-mat-khau").status_code == 200
        assert _attempt(client, "s3cret-pass!").status_code == 302
        client.post("/logout/")
    # Two rounds made 2 × (limit − 1) ≥ limit failures: only the clearing lets this one in.
    assert _attempt(client, "s3cret-pass!").status_code == 302


def test_failures_from_elsewhere_do_not_lock_the_account_here(admin_user):
    """Guessing a name from one address locks that name there, not for everyone."""
    limit = settings.LOGIN_THROTTLE_LIMIT
    guesser = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(limit):
        guesser.post("/login/", {"username": "root-admin", "password": "sai"})
    assert (
        guesser.post("/login/", {"username": "root-admin", "password": "s3cret-pass!"}).status_code
        == 429
    )
    response = Client(REMOTE_ADDR="10.0.1.1").post(
        "/login/", {"username": "root-admin", "password": "s3cret-pass!"}
    )
    assert response.status_code == 302


def test_404_page_is_vietnamese_without_internals(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy trang" in body
    assert "Traceback" not in body and "urlpatterns" not in body.lower()
    assert_security_headers(response, "404 page")


@pytest.mark.urls("tests.test_security")
def test_500_page_is_vietnamese_without_stack_trace(client, admin_user):
    assert not settings.DEBUG
    client.raise_request_exception = False
    client.force_login(admin_user)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Đã có lỗi xảy ra" in body
    for leak in ("Traceback", "RuntimeError", "secret internals", "SELECT"):
        assert leak not in body
    assert_security_headers(response, "500 page")
