"""The classification screen: the inflated rating carries its overdue-tasks warning, and deciding
one excellent too many is refused until the standing committee writes its reason."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.evaluations.actions import periods as period_actions
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.models import Evaluation, Level
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.tests.test_actions import central_plan, one_off
from trienkhai.tree.kinds import UnitKind

pytestmark = pytest.mark.browser

PASSWORD = "mat-khau-dung-1"
D = datetime.date


def _walk(ev, level, general, results, decide=False):
    ev = rating_actions.self_rate(
        None, ev, general=general, results=results, level=level, on_time_percent=100,
        exceeded_percent=35, rated_on=D(2025, 12, 10),
    )  # fmt: skip
    ev = rating_actions.review(
        None, ev, general=general, results=results, level=level, reviewed_on=D(2026, 1, 5)
    )
    return rating_actions.decide(None, ev, level=level, decided_on=D(2026, 1, 15)) if decide else ev


@pytest.fixture
def classification(transactional_db):
    tree = factories.small_tree()
    commune = tree["commune_a"]
    orgs = [tree["org_a"]] + [
        factories.unit(commune, UnitKind.GRASSROOTS, f"Chi bộ thôn {i}", f"G-a{i}")
        for i in range(2, 6)
    ]
    task = one_off(central_plan(tree), deadline="tháng 6/2025")
    assign_actions.assign(None, task, units=[orgs[0]], rule="units")  # left overdue
    period = period_actions.create_period(None, unit=tree["root"], year=2025)
    rating_actions.open_evaluations(None, period, commune)
    evs = {ev.unit_id: ev for ev in Evaluation.objects.filter(period=period)}
    evs = [evs[o.pk] for o in orgs]
    proposals = [
        _walk(evs[0], Level.EXCELLENT, 28, 64),
        _walk(evs[1], Level.EXCELLENT, 29, 65),
        *[_walk(ev, Level.GOOD, 25, 55) for ev in evs[2:]],
    ]
    rating_actions.decide(None, proposals[1], level=Level.EXCELLENT, decided_on=D(2026, 1, 15))
    factories.user("thuong-vu", (Role.COORDINATOR, commune), password=PASSWORD)
    return {"period": period, "commune": commune, "inflated": orgs[0]}


def test_flag_and_cap_block_on_the_classification_screen(browser_page, classification):
    page = browser_page
    screen = (
        f"/evaluations/periods/{classification['period'].pk}/units/{classification['commune'].pk}/"  # noqa: E501
    )
    login(page, "thuong-vu", PASSWORD, screen)
    page.goto(screen)
    row = page.locator(f"tr.eval-row[data-unit='{classification['inflated'].code}']")
    expect(row).to_have_class("eval-row flagged")
    flag = row.locator(".eval-flag a")
    expect(flag).to_contain_text("1 nhiệm vụ quá hạn chưa hoàn thành tại ngày 31/12/2025")
    expect(flag).to_have_attribute(
        "href", f"/tracking/?unit={classification['inflated'].pk}&as_of=31/12/2025#overdue"
    )  # noqa: E501
    expect(page.locator(".cap-status")).to_contain_text("Đã đủ tỷ lệ")

    with page.expect_navigation():
        row.locator("a.decide-link").click()
    expect(page.locator(".flag-card")).to_contain_text("nhiệm vụ quá hạn")
    expect(page.locator("#id_level")).to_have_value("excellent")
    with page.expect_navigation():
        page.click("form.step-form button[type=submit]")
    expect(page.locator(".cap-blocked")).to_be_visible()
    expect(page.locator(".field.has-errors")).to_contain_text("vượt tỷ lệ 20%")

    page.fill("#id_override_reason", "Đơn vị được Tỉnh ủy khen thưởng đột xuất")
    with page.expect_navigation():
        page.click("form.step-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Đã quyết định")
    expect(page.locator(".step-decision .override-reason")).to_contain_text("khen thưởng đột xuất")

    page.goto(screen)
    expect(row.locator(".override-reason")).to_contain_text("khen thưởng đột xuất")
    expect(page.locator(".cap-status")).to_contain_text("Đã vượt tỷ lệ tối đa")


def test_return_to_the_organisation_with_a_reason(browser_page, classification):
    """The standing committee sends a proposal back: an empty reason is refused next to the
    field; with a reason the evaluation reopens for self-rating and the reason stays shown."""
    page = browser_page
    ev = Evaluation.objects.get(unit=classification["inflated"])
    detail = f"/evaluations/{ev.pk}/"
    login(page, "thuong-vu", PASSWORD, detail)
    page.goto(detail)
    expect(page.locator("h1")).to_contain_text("Đã thẩm định, đề xuất")
    page.click("details.return-box summary")
    with page.expect_navigation():
        page.click("form.return-form button[type=submit]")
    expect(page.locator("form.return-form .field.has-errors")).to_contain_text(
        "Hãy ghi rõ lý do trả lại tổ chức."
    )
    expect(page.locator("h1")).to_contain_text("Đã thẩm định, đề xuất")

    reason = "Chưa có minh chứng cho tỷ lệ 100% nhiệm vụ đúng hạn"
    page.fill("form.return-form textarea[name=reason]", reason)
    with page.expect_navigation():
        page.click("form.return-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Trả lại để tự đánh giá lại")
    expect(page.locator(".step-return .return-reason")).to_contain_text(reason)
    expect(page.locator("table.history .log-evaluationsreturn")).to_contain_text(reason)
    expect(page.locator("form.return-form")).to_have_count(0)
    expect(page.locator(".step-review td").nth(4)).to_have_text("—")


def test_period_rules_are_read_only_once_decided(browser_page, classification):
    factories.user("quan-tri", superuser=True, password=PASSWORD)
    page = browser_page
    edit = f"/evaluations/periods/{classification['period'].pk}/edit/"
    login(page, "quan-tri", PASSWORD, edit)
    page.goto(edit)
    expect(page.locator(".rules-locked")).to_contain_text("Kỳ đã có 1 quyết định xếp loại")
    expect(page.locator("#id_cap_percent")).to_be_disabled()
    expect(page.locator("#id_name")).to_be_enabled()
