"""Browser tests: one headless Debian Chromium per session, a fresh context and page per test.

`browser_page` is a Playwright (sync API) page whose base URL is the pytest-django live server.
The test fails when the page logs a console error, throws an uncaught exception, or triggers a
Content Security Policy violation; a test that expects such a message may inspect and clear
`browser_errors`. Tests that use `browser_page` are marked `browser` automatically.

Chromium is never downloaded: a missing /usr/bin/chromium fails the tests (it does not skip them),
so CI cannot pass without running them. Install it with scripts/install-system-deps.sh.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop in the test thread; Django would then refuse every
# ORM call made by the test itself (SynchronousOnlyOperation). The ORM is used synchronously here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("TRIENKHAI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Reports every CSP violation of every document the page loads to the test process.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__tkReportCsp(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
});
"""


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser_page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def _chromium():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} not found: browser tests need Debian's chromium "
            "(run scripts/install-system-deps.sh); they are never skipped.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_errors():
    """Console errors, uncaught page errors and CSP violations seen by `browser_page`."""
    return []


@pytest.fixture
def browser_page(_chromium, live_server, transactional_db, browser_errors):
    from django.core.cache import cache

    # The login throttle counts failures in the cache, which the database flush between
    # transactional tests does not empty.
    cache.clear()
    context = _chromium.new_context(
        base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(15_000)
    context.expose_function("__tkReportCsp", lambda text: browser_errors.append(f"CSP: {text}"))
    context.add_init_script(_CSP_LISTENER)
    page = context.new_page()
    page.on(
        "console",
        lambda msg: (
            browser_errors.append(f"console.{msg.type}: {msg.text} ({msg.location.get('url')})")
            if msg.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda exc: browser_errors.append(f"uncaught: {exc}"))
    try:
        yield page
    finally:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """Fail (not error) the test when its page reported a console error or CSP violation."""
    try:
        result = yield
    except BaseException:
        # The test failed by itself: still show what the page reported, it is often the cause.
        errors = _page_errors(item)
        if errors:
            item.add_report_section("call", "browser", "\n".join(errors))
        raise
    errors = _page_errors(item)
    if errors:
        pytest.fail(
            "the page reported errors:\n" + "\n".join(f"  - {e}" for e in errors), pytrace=False
        )
    return result


def _page_errors(item) -> list[str]:
    funcargs = getattr(item, "funcargs", {})
    page = funcargs.get("browser_page")
    if page is None:
        return []
    if not page.is_closed():
        # A round trip delivers the events the browser emitted before it.
        try:
            page.evaluate("0")
        except Exception:  # noqa: S110 - a page that navigated away or crashed
            pass
    return list(funcargs.get("browser_errors") or [])
