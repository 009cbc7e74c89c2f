"""The product runs on closed networks: no page and no static file may reach outside the host.

Every page of the URL conf is rendered for a signed-in superuser over a small tree with documents,
in HTML as a browser asks for it, and searched for anything that would make the browser load from
another host (src, href, action, srcset, url(), @import). Static files are searched for any
http(s) or protocol-relative address; XML namespace names (w3.org) are names, not loads, and are
allowed, as are addresses inside /* */ comments (licence headers).
"""

import re
from pathlib import Path

from django.conf import settings

STATIC_ROOT = Path(settings.BASE_DIR) / "static"
SAME_HOST = ("http://testserver/", "https://testserver/", "//testserver/")

# An attribute or CSS construct that makes the browser fetch or navigate, and its target.
LOADS = re.compile(
    r"""(?:\b(?:src|href|action|formaction|poster|data|srcset)\s*=\s*["']?\s*
         |url\(\s*["']?\s*
         |@import\s+["']?\s*)
        (?P<target>(?:[a-z][a-z0-9+.-]*:)?//[^\s"'<>)]*)""",
    re.IGNORECASE | re.VERBOSE,
)
ANY_ADDRESS = re.compile(r"""(?:https?:)?//[a-z0-9][a-z0-9.-]*\.[a-z]{2,}[^\s"'<>)]*""", re.I)
NAMESPACES = re.compile(r"^(?:https?:)?//www\.w3\.org/", re.I)
BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/vnd.oai")


def external_loads(body: str) -> list[str]:
    return [
        m.group("target")
        for m in LOADS.finditer(body)
        if not m.group("target").lower().startswith(SAME_HOST)
    ]


def test_the_detector_finds_external_loads():
    """The check itself: it must see a CDN script, a remote font and a protocol-relative image."""
    body = (
        '<script src="https://cdn.example.com/x.js"></script>'
        "<style>@font-face{src:url( 'https://fonts.example.net/a.woff2')}</style>"
        "<img src=//img.example.org/a.png><a href='/local/'>ok</a>"
        '<a href="http://testserver/units/">ok</a>'
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
    )
    assert external_loads(body) == [
        "https://cdn.example.com/x.js",
        "https://fonts.example.net/a.woff2",
        "//img.example.org/a.png",
    ]


def test_no_page_loads_anything_from_another_host(client, site_pages, site_data):
    client.force_login(site_data["admin"])
    checked = 0
    problems: dict[str, list[str]] = {}
    for url, _route in site_pages.urls:
        response = client.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
        assert response.status_code < 500, f"{url}: {response.status_code}"
        content_type = response.headers.get("Content-Type", "")
        if getattr(response, "streaming", False) or not content_type.startswith(TEXT_TYPES):
            continue
        body = response.content.decode("utf-8", errors="replace")
        for target in external_loads(body):
            problems.setdefault(target, []).append(url)
        checked += 1
    assert checked >= 10, site_pages.skipped
    assert not problems, "pages reference other hosts:\n" + "\n".join(
        f"  {target} on {len(urls)} page(s): {', '.join(urls[:3])}"
        for target, urls in problems.items()
    )


def test_no_static_file_names_another_host():
    files = [p for p in STATIC_ROOT.rglob("*") if p.is_file()]
    assert any(p.suffix == ".css" for p in files) and any(p.suffix == ".js" for p in files)
    problems = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images and fonts: binary, they load nothing
        text = BLOCK_COMMENT.sub("", text)
        for m in ANY_ADDRESS.finditer(text):
            if not NAMESPACES.match(m.group(0)):
                problems.append(f"{path.relative_to(STATIC_ROOT)}: {m.group(0)}")
    assert not problems, "static files name other hosts:\n" + "\n".join(problems)
