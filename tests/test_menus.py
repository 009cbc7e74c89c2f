"""Menus by role: each person sees only what they can use, and nothing linked answers 403 or 404.

Over the demo data, for a reporter, a coordinator, a viewer, an inspector and an administrator
(grants in Lâm Đồng), the test reads the menu, then follows the links of every menu page and of
the detail pages they lead to (one link per kind of page, two steps deep): each must answer 200.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.db import transaction

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.demo.loader import ensure_demo
from trienkhai.tracking.models import Assignment
from trienkhai.units.models import Unit

pytestmark = pytest.mark.django_db

HREF = re.compile(r"""<a\b[^>]*\bhref="([^"#]*)[^"]*"[^>]*>""")
MENU = re.compile(r'<header class="site-header[^"]*">(.*?)</header>', re.S)
EVERYONE = {
    "/units/",
    "/documents/",
    "/tracking/",
    "/reports/",
    "/inspections/",
    "/conferences/",
    "/practices/",
    "/evaluations/",
    "/log/",
    "/notifications/",
    "/accounts/me/",
}
ADMINISTRATION = {"/units/import/", "/accounts/users/", "/webhooks/"}
ROLES = {
    "reporter": Role.REPORTER,
    "coordinator": Role.COORDINATOR,
    "viewer": Role.VIEWER,
    "inspector": Role.INSPECTOR,
    "administrator": Role.ADMINISTRATOR,
}
# Page buttons that only some roles may use ("Thêm", "Sửa", "Nhập", "Ghi nhận", …).
WRITES = {
    "/tracking/plans/": "/tracking/plans/new/",
    "/documents/": "/documents/new/",
    "/conferences/": "/conferences/new/",
    "/practices/": "/practices/new/",
    "/reports/": "/reports/new/",
}
EVERY_WRITE = set(WRITES.values())
MAY_WRITE = {
    "reporter": {"/conferences/new/", "/practices/new/"},
    "coordinator": EVERY_WRITE,
    "viewer": set(),
    "inspector": set(),
    "administrator": EVERY_WRITE,
}


@pytest.fixture(scope="module")
def _people(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, with one user per role, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_demo()
        province = Unit.objects.get(code="LDG")
        commune = (
            Assignment.objects.filter(unit__path__startswith=province.path)
            .exclude(unit=province)
            .order_by("pk")
            .first()
            .unit
        )
        names = {}
        for name, role in ROLES.items():
            unit = commune if role == Role.REPORTER else province
            names[name] = factories.user(f"menu-{name}", (role, unit)).username
        yield names
        transaction.set_rollback(True)


@pytest.fixture
def people(_people, db):
    from django.contrib.auth import get_user_model

    return {name: get_user_model().objects.get(username=u) for name, u in _people.items()}


def links(html: str) -> list[str]:
    out = []
    for href in HREF.findall(html):
        parts = urlsplit(href)
        if parts.netloc or not parts.path.startswith("/"):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


def menu_links(client) -> set[str]:
    html = client.get("/").content.decode()
    return {u for u in links(MENU.search(html).group(1)) if not u.startswith("/i18n/")} - {"/"}


def kind(url: str) -> str:
    return re.sub(r"\d+", "N", url.split("?")[0])


@pytest.mark.parametrize("role", list(ROLES))
def test_menu_shows_what_the_role_can_use(client, people, role):
    client.force_login(people[role])
    expected = EVERYONE | (ADMINISTRATION if role == "administrator" else set())
    assert menu_links(client) == expected


@pytest.mark.parametrize("role", list(ROLES))
def test_page_buttons_by_role(client, people, role):
    client.force_login(people[role])
    shown = {
        button
        for page, button in WRITES.items()
        if button in links(client.get(page).content.decode())
    }
    assert shown == MAY_WRITE[role]


@pytest.mark.parametrize("role", list(ROLES))
def test_every_linked_page_answers(client, people, role):
    client.force_login(people[role])
    frontier, seen_kinds, visited, broken = ["/", *sorted(menu_links(client))], set(), 0, []
    for _depth in range(3):
        following = []
        for url in frontier:
            if kind(url) in seen_kinds:
                continue
            seen_kinds.add(kind(url))
            response = client.get(url)
            visited += 1
            if response.status_code != 200:
                broken.append((url, response.status_code))
                continue
            if "html" in response.get("Content-Type", ""):
                following += [u for u in links(response.content.decode()) if u != "/logout/"]
        frontier = following
    assert visited > 25
    assert not broken, broken


def test_menu_marks_the_current_section(client, people):
    client.force_login(people["administrator"])
    html = client.get("/tracking/plans/").content.decode()
    assert 'href="/tracking/" aria-current="true"' in html
    html = client.get("/units/import/").content.decode()
    assert 'href="/units/import/" aria-current="page"' in html
    assert 'href="/units/" aria-current' not in html
    # Home is the work list, the menu's first entry: the only one marked there.
    menu = MENU.search(client.get("/").content.decode()).group(1)
    assert menu.count("aria-current") == 1 and 'href="/" aria-current="page"' in menu
