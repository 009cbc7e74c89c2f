"""On a 390 px phone the pages fit the screen even with nothing in them yet: the menu folds
behind its button and wide tables scroll inside their own box (test_layout.py walks the same
pages over the demo data)."""

import pytest

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"
PAGES = [
    "/",
    "/tracking/",
    "/tracking/my-work/",
    "/documents/",
    "/conferences/",
    "/practices/",
    "/log/",
    "/accounts/me/",
]


@pytest.mark.parametrize("screen", [360, 390, 414])
def test_pages_fit_a_phone_screen(browser_page, transactional_db, screen):
    tree = factories.small_tree()
    factories.user("dienthoai", (Role.COORDINATOR, tree["prov_a"]), password=PASSWORD)
    browser_page.set_viewport_size({"width": screen, "height": 844})
    login(browser_page, "dienthoai", PASSWORD)
    for url in PAGES:
        response = browser_page.goto(url)
        assert response.status == 200, url
        width = browser_page.evaluate("document.documentElement.scrollWidth")
        assert width <= screen, (url, width)
