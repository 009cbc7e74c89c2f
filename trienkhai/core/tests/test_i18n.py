"""English interface: the language switch, formats that stay dd/mm/yyyy, a complete catalogue."""

import datetime
import gettext
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

import trienkhai
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.context import acting_as
from trienkhai.core.forms import DateField
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType
from trienkhai.units import actions as unit_actions

D = datetime.date
PASSWORD = "pw-i18n-admin!"  # noqa: S105
CATALOGUE = Path(trienkhai.__file__).parent / "locale" / "en" / "LC_MESSAGES"

# Per page: words that must show in Vietnamese, and their English counterparts. Each language's
# words must be present in its own rendering and absent from the other's.
PAGES = {
    "login": (
        ["Đăng nhập", "Tên đăng nhập", "Mật khẩu"],
        ["Sign in", "Username", "Password"],
    ),
    "home": (
        ["Việc cần làm", "quá hạn chưa hoàn thành", "Sổ văn bản", "Đăng xuất"],
        ["To do", "overdue, not completed", "Document register", "Sign out"],
    ),
    "unit-tree": (
        ["Cây tổ chức", "Tìm đơn vị", "Hiện cả đơn vị đã kết thúc", "Nhật ký thay đổi"],
        ["Organisation tree", "Find a unit", "Include closed units", "Change log"],
    ),
    "document-list": (
        ["Sổ văn bản", "Số và ký hiệu", "Trích yếu", "Nghị quyết", "1 văn bản"],
        ["Document register", "Number and symbol", "Subject line", "Resolution", "1 document"],
    ),
    "change-log": (
        ["Nhật ký thay đổi", "Người thực hiện", "Lọc", "Mã yêu cầu"],
        ["Change log", "Performed by", "Filter", "Request ID"],
    ),
}


@pytest.fixture(autouse=True)
def _memory_cache(settings):
    """Sign-in throttling uses the cache; the database cache table is not part of test setup."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture
def site(tree):
    """An administrator over the whole tree, one document dated 05/03/2024, one logged rename."""
    admin = factories.user("i18n-admin", (Role.ADMINISTRATOR, tree["root"]), password=PASSWORD)
    doc_actions.register_document(
        None,
        symbol="21-NQ/TW",
        doc_type=DocType.RESOLUTION,
        issuing_unit=tree["root"],
        term="XIII",
        date=D(2024, 3, 5),
        subject="Về công tác cán bộ",
    )
    with acting_as(admin, "b" * 32):
        unit_actions.rename_unit(
            admin, tree["commune_a"], name="Phường An", date=D(2024, 1, 1), confirm_backdated=True
        )
    return tree


def csrf_token(client):
    return client.cookies[django_settings.CSRF_COOKIE_NAME].value


def choose_language(client, code):
    """What the language menu does: a CSRF-protected POST to set_language, answered by a cookie."""
    client.get(reverse("login"))
    response = client.post(
        reverse("set_language"),
        {"language": code, "next": reverse("login"), "csrfmiddlewaretoken": csrf_token(client)},
    )
    assert response.status_code == 302
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == code


def sign_in(client):
    client.get(reverse("login"))
    response = client.post(
        reverse("login"),
        {"username": "i18n-admin", "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(client)},
    )
    assert response.status_code == 302, response.content.decode()[:500]


def body(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def test_sign_in_page_is_vietnamese_by_default(db):
    html = body(Client(enforce_csrf_checks=True), "login")
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html and "Sign in" not in html


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_pages_speak_the_chosen_language(site, lang):
    client = Client(enforce_csrf_checks=True)
    if lang == "en":
        choose_language(client, "en")
    own, other = (0, 1) if lang == "vi" else (1, 0)
    html = body(client, "login")
    assert f'<html lang="{lang}">' in html
    assert all(w in html for w in PAGES["login"][own]), PAGES["login"][own]
    assert not any(w in html for w in PAGES["login"][other])
    sign_in(client)
    for name, words in PAGES.items():
        if name == "login":
            continue
        html = body(client, name)
        missing = [w for w in words[own] if w not in html]
        leaked = [w for w in words[other] if w in html]
        assert not missing and not leaked, (name, missing, leaked)
    assert "05/03/2024" in body(client, "document-list")
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", body(client, "change-log"))


@pytest.mark.parametrize(("lang", "number"), [("vi", "15.500"), ("en", "15,500")])
def test_dates_stay_dd_mm_yyyy_and_numbers_follow_the_language(lang, number):
    template = Template('{% load l10n %}{{ d|date:"SHORT_DATE_FORMAT" }}|{{ n }}|{{ n|localize }}')
    with translation.override(lang):
        rendered = template.render(Context({"d": D(2024, 3, 5), "n": 15500}))
        assert rendered == f"05/03/2024|{number}|{number}"
        assert formats.number_format(15500, force_grouping=True) == number
        assert formats.date_format(D(2024, 3, 5), "SHORT_DATE_FORMAT") == "05/03/2024"
        assert DateField().clean("05/03/2024") == D(2024, 3, 5)


def _unquote(token):
    return token[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")


def parse_po(path):
    """Entries of a .po file as dicts: 'msgid', optional 'msgid_plural', 'msgstr…', 'flags'."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and "msgid" in entry:
                entries.append(entry)
            entry = None
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += _unquote(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = _unquote(value)
    return entries


def test_every_msgid_has_an_english_translation_with_the_same_placeholders():
    entries = parse_po(CATALOGUE / "django.po")
    messages = [e for e in entries if e["msgid"]]
    assert len(messages) > 300
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]")
    problems = []
    for e in messages:
        strs = {k: v for k, v in e.items() if k.startswith("msgstr")}
        if "msgid_plural" in e and set(strs) != {"msgstr[0]", "msgstr[1]"}:
            problems.append(("plural forms", e["msgid"]))
        for value in strs.values():
            if not value.strip():
                problems.append(("empty", e["msgid"]))
            elif sorted(placeholder.findall(value)) != sorted(placeholder.findall(e["msgid"])):
                problems.append(("placeholders", e["msgid"], value))
        if "fuzzy" in e["flags"]:
            problems.append(("fuzzy", e["msgid"]))
    assert not problems, problems


def test_committed_mo_matches_the_po(tmp_path):
    """The .mo ships in the package; it must hold exactly what the .po says today."""
    fresh = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603
        ["msgfmt", "--check-format", "-o", str(fresh), str(CATALOGUE / "django.po")],  # noqa: S607
        check=True,
    )
    with (CATALOGUE / "django.mo").open("rb") as committed, fresh.open("rb") as compiled:
        committed_catalog = gettext.GNUTranslations(committed)._catalog
        compiled_catalog = gettext.GNUTranslations(compiled)._catalog
    assert committed_catalog == compiled_catalog
    home = next(e for e in parse_po(CATALOGUE / "django.po") if e["msgid"] == "Việc cần làm")
    assert committed_catalog["Việc cần làm"] == home["msgstr"] == "To do"


def test_an_english_browser_still_gets_vietnamese_until_it_chooses(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="vi"' in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="vi")
    assert 'lang="en"' in page.content.decode()


def test_words_with_two_meanings_get_their_own_english(client, db):
    """ "Thông báo" is a notice (document type) and the notifications page; each reads right."""
    from tests.builders import factories

    user = factories.user("song-ngu", superuser=True)
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/notifications/").content.decode()
    assert "<h1>Notifications</h1>" in body
    assert ">Plans</a>" in client.get("/tracking/").content.decode()
