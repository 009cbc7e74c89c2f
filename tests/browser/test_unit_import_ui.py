"""A unit file imported in the background: the progress page follows the job to its result."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.background.worker import run_pending
from trienkhai.units.imports.files import COLUMNS
from trienkhai.units.models import Unit

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"
ROWS = [
    ["X-1", "Xã Một", "", "commune", "P-a", "01/07/2025"],
    ["G-1", "Đảng bộ Trường Một", "", "grassroots", "X-1", "01/07/2025"],
    ["C-1", "Chi bộ Một", "", "cell", "G-1", "01/07/2025"],
]


@pytest.fixture
def province(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TRIENKHAI_IMPORT_INLINE_BYTES = 10  # this small file goes to the worker
    tree = factories.small_tree()
    factories.user("quantri-an", (Role.ADMINISTRATOR, tree["prov_a"]), password=PASSWORD)
    return tree


def test_the_progress_page_turns_into_the_result_when_the_job_is_done(browser_page, province):
    page = browser_page
    login(page, "quantri-an", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("link", name="Nhập đơn vị").click()
    text = "\n".join(",".join(r) for r in [COLUMNS, *ROWS]) + "\n"
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "don_vi.csv", "mimeType": "text/csv", "buffer": text.encode()}],
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Nhập").click()
    expect(page).to_have_url(re.compile(r"/units/import/\d+/$"))
    expect(page.locator("h1")).to_have_text("Đang nhập đơn vị")
    expect(page.locator("progress.import-progress")).to_be_visible()
    assert not Unit.objects.filter(code="X-1").exists()

    assert run_pending() == 1  # what `trienkhai worker` does
    # the page's script sees the job finished and reloads into the result, by itself
    expect(page.locator("h1")).to_have_text("Kết quả nhập đơn vị", timeout=10_000)
    expect(page.locator("[data-count=created]")).to_have_text("3")
    assert Unit.objects.get(code="C-1").parent.code == "G-1"
