"""Pages: classification screen with flags and cap, step forms, distribution, exports, scope."""

import io

import pytest
from openpyxl import load_workbook

from trienkhai.evaluations import queries
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.models import Level, State
from trienkhai.evaluations.tests.helpers import decide, proposed
from trienkhai.evaluations.tests.test_flags import overdue  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(world, overdue):  # noqa: F811
    """org 1 excellent (decided), org 0 proposed excellent with an overdue task, four good."""
    evs = world["evs"]
    levels = [Level.EXCELLENT, Level.EXCELLENT] + [Level.GOOD] * 4
    evs = [proposed(ev, level) for ev, level in zip(evs, levels, strict=True)]
    for ev, level in list(zip(evs, levels, strict=True))[1:]:
        decide(ev, level)
    return world


def url(world, suffix=""):
    return f"/evaluations/periods/{world['period'].pk}/units/{world['commune'].pk}/{suffix}"


def test_classification_screen_shows_flags_and_cap(client, board):
    client.force_login(board["users"]["decider"])
    page = client.get(url(board)).content.decode()
    assert "Xếp loại các tổ chức do Xã a quyết định" in page
    assert "1 nhiệm vụ quá hạn chưa hoàn thành tại ngày 31/12/2025" in page
    assert f"/tracking/?unit={board['orgs'][0].pk}&amp;as_of=31/12/2025#overdue" in page
    assert "1/1 tổ chức được quyết định" in page and "Đã đủ tỷ lệ" in page
    assert page.count('class="eval-row flagged"') == 1


def test_the_decision_form_blocks_a_cap_breach_until_a_reason_is_given(client, board):
    client.force_login(board["users"]["decider"])
    ev = board["evs"][0]
    form_url = f"/evaluations/{ev.pk}/decide/"
    assert "1 nhiệm vụ quá hạn" in client.get(form_url).content.decode()
    data = {
        "general": "28",
        "results": "64",
        "level": Level.EXCELLENT,
        "decided_on": "15/01/2026",
    }
    ev.refresh_from_db()
    data["version"] = ev.version
    response = client.post(form_url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "vượt tỷ lệ 20%" in page and "Quyết định bị chặn" in page
    ev.refresh_from_db()
    assert ev.state == State.REVIEWED
    data["override_reason"] = "Thành tích đột xuất được Tỉnh ủy ghi nhận"
    response = client.post(form_url, data)
    assert response.status_code == 302
    ev.refresh_from_db()
    assert ev.decided_level == Level.EXCELLENT and ev.cap_override_reason.startswith("Thành tích")
    page = client.get(url(board)).content.decode()
    assert "Vượt tỷ lệ, lý do:" in page and "Thành tích đột xuất" in page
    detail = client.get(f"/evaluations/{ev.pk}/").content.decode()
    assert "Quyết định xếp loại vượt tỷ lệ" in detail and "Thành tích đột xuất" in detail


def test_self_rating_form_refuses_a_level_that_disagrees(client, world):
    client.force_login(world["users"]["reporter"])
    ev = world["evs"][0]
    data = {
        "general": "25",
        "results": "55,5",
        "level": Level.EXCELLENT,
        "rated_on": "10/12/2025",
        "version": ev.version,
        **{f"members_{k}": "0" for k in ("excellent", "good", "complete", "not_complete")},
        "members_not_rated": "0",
    }
    page = client.post(f"/evaluations/{ev.pk}/self-rating/", data).content.decode()
    assert "không khớp với tổng điểm 80,5" in page
    data["level"] = Level.GOOD
    assert client.post(f"/evaluations/{ev.pk}/self-rating/", data).status_code == 302
    ev.refresh_from_db()
    assert ev.self_total == 80.5 and ev.state == State.SELF_RATED
    # A stale version shows the conflict and changes nothing.
    data["general"] = "20"
    page = client.post(f"/evaluations/{ev.pk}/self-rating/", data).content.decode()
    assert "Người khác vừa lưu thay đổi" in page
    ev.refresh_from_db()
    assert ev.self_general == 25


def test_the_reporter_cannot_open_the_decision_form(client, board):
    client.force_login(board["users"]["reporter"])
    assert client.get(f"/evaluations/{board['evs'][0].pk}/decide/").status_code == 403
    assert client.get(f"/evaluations/{board['evs'][0].pk}/").status_code == 200
    # The reporter of org 0 does not see org 2's evaluation at all.
    assert client.get(f"/evaluations/{board['evs'][2].pk}/").status_code == 404


def test_another_province_sees_nothing(client, board):
    client.force_login(board["users"]["other"])
    ev = board["evs"][0]
    assert client.get(url(board)).status_code == 404
    assert client.get(f"/evaluations/{ev.pk}/").status_code == 404
    assert client.post(f"/evaluations/{ev.pk}/decide/", {"level": "good"}).status_code == 404
    assert client.post(url(board, "open/")).status_code == 404
    response = client.get(f"/evaluations/distribution/?unit={board['commune'].pk}")
    assert response.status_code == 404
    # The period (set by the centre) is visible; the classification in it is not.
    page = client.get(f"/evaluations/periods/{board['period'].pk}/").content.decode()
    assert "Xã a" not in page


def test_distribution_counts_and_percentages(client, board):
    client.force_login(board["users"]["admin"])
    prov = board["prov_a"]
    commune = board["commune"]
    # The commune itself is decided by the province: good.
    rating_actions.open_evaluations(None, board["period"], prov)
    (own,) = [e for e in board["period"].evaluations.filter(unit=commune)]
    decide(proposed(own, Level.GOOD), Level.GOOD)
    page = client.get(
        f"/evaluations/distribution/?period={board['period'].pk}&unit={commune.pk}"
    ).content.decode()
    assert "Phân bố xếp loại chất lượng" in page
    rows = queries.distribution(board["users"]["admin"], board["period"], commune)
    by_name = {r.name: r for r in rows}
    assert by_name["Xã a"].own and by_name["Xã a"].counts[Level.GOOD] == 1
    assert by_name["Chi bộ thôn 2"].counts[Level.EXCELLENT] == 1
    total = queries.distribution_total(rows)
    assert total.counts == {
        Level.EXCELLENT: 1,
        Level.GOOD: 5,
        Level.COMPLETE: 0,
        Level.NOT_COMPLETE: 0,
    }
    assert total.undecided == 1 and total.total == 7
    assert total.percent(Level.EXCELLENT) == "16,7"
    # Seen from the province, the commune is one row holding its subtree.
    rows = queries.distribution(board["users"]["admin"], board["period"], prov)
    (row,) = [r for r in rows if r.unit == commune]
    assert row.decided == 6 and row.undecided == 1 and not row.over_cap


def test_distribution_marks_a_decider_over_the_cap(client, board):
    decide(board["evs"][0], Level.EXCELLENT, override_reason="Lý do")
    rows = queries.distribution(board["users"]["admin"], board["period"], board["prov_a"])
    (row,) = [r for r in rows if r.unit == board["commune"]]
    assert row.over_cap and row.deciders_over_cap == ["Xã a"]
    client.force_login(board["users"]["admin"])
    page = client.get(
        f"/evaluations/distribution/?period={board['period'].pk}&unit={board['prov_a'].pk}"
    ).content.decode()
    assert "Vượt tỷ lệ" in page


def test_exports(client, board):
    client.force_login(board["users"]["decider"])
    response = client.get(url(board) + "?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A2"].value == "Tổ chức đảng"
    names = {ws.cell(row=r, column=1).value: r for r in range(3, ws.max_row + 1)}
    row = names["Đảng bộ a"]
    assert ws.cell(row=row, column=3).value == 92
    assert "quá hạn" in ws.cell(row=row, column=12).value
    response = client.get(
        f"/evaluations/distribution/?period={board['period'].pk}&unit={board['commune'].pk}"
        "&export=xlsx"
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "Tổng cộng" and last[1] == 1 and last[3] == 4


def test_period_pages(client, world):
    client.force_login(world["users"]["admin"])
    assert (
        "Đánh giá, xếp loại chất lượng tổ chức đảng năm 2025"
        in client.get("/evaluations/").content.decode()
    )
    page = client.get(f"/evaluations/periods/{world['period'].pk}/").content.decode()
    assert "từ 90 điểm" in page and "Xã a" in page
    response = client.post(
        f"/evaluations/periods/{world['period'].pk}/edit/",
        {
            "name": "Kỳ 2025",
            "general_max": 30,
            "results_max": 70,
            "excellent_min": 90,
            "excellent_on_time_min": 100,
            "excellent_exceeded_min": 30,
            "good_min": 95,
            "complete_min": 50,
            "cap_percent": 20,
            "disqualifiers": "Điều kiện A",
            "version": 1,
        },
    )
    assert "tăng dần" in response.content.decode()
    world["period"].refresh_from_db()
    assert world["period"].good_min == 70
    # A coordinator may not edit the rules.
    client.force_login(world["users"]["decider"])
    assert client.get(f"/evaluations/periods/{world['period'].pk}/edit/").status_code == 403
    assert client.get("/evaluations/periods/new/").status_code == 403
