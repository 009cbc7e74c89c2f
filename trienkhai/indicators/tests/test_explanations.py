"""Explanations on red indicators: asked by the level above, answered once by the unit, told to
each side, and counted in the unit's record with the tasks' explanations."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError, PermissionRefused
from trienkhai.core.background.worker import run_pending
from trienkhai.core.models import ChangeLogEntry
from trienkhai.indicators.actions import explanations
from trienkhai.indicators.models import Explanation
from trienkhai.indicators.tests.test_views import _setup
from trienkhai.notify.models import Notification
from trienkhai.tracking.queries import explanation_counts, explanation_counts_of_units

NOW = "2026-07-15 09:00:00"
TODAY = datetime.date(2026, 7, 15)


@pytest.fixture
def red(world):
    """Province A's communes on CDS-02: C-a green (on track), C-a3 red (one month reported)."""
    _setup(world)
    world["reporter_a3"] = factories.user("reporter-a3", (Role.REPORTER, world["commune_a3"]))
    return world


def _ask(w, unit=None, actor=None, **kw):
    return explanations.request_explanation(
        actor or w["coord_a"],
        w["count"],
        unit or w["commune_a3"],
        question=kw.pop("question", "Vì sao số đảng viên dùng Sổ tay thấp?"),
        **kw,
    )


@freeze_time(NOW)
def test_asked_on_a_red_indicator_only_once_and_by_the_level_above(red):
    w = red
    made = _ask(w)
    assert made.answer_by == TODAY + datetime.timedelta(days=7)
    assert made.target == 120 and made.projected == 20  # 10 in one of 6 months: 20 a year
    assert ChangeLogEntry.objects.filter(action="indicators.request_explanation").count() == 1
    with pytest.raises(ActionError, match="chưa trả lời yêu cầu giải trình trước"):
        _ask(w)
    with pytest.raises(ActionError, match="Đạt"):  # C-a is green
        _ask(w, unit=w["commune_a"])
    with pytest.raises(PermissionRefused):
        _ask(w, unit=w["commune_a2"], actor=w["coord_b"])
    with pytest.raises(PermissionRefused):  # the unit cannot ask itself
        _ask(w, actor=w["reporter_a3"])
    with pytest.raises(ActionError, match="đơn vị được giao chỉ tiêu từ cấp trên"):
        _ask(w, unit=w["prov_a"])  # the set's own unit has nobody above it in the set
    with pytest.raises(ActionError, match="Hạn giải trình không được trước hôm nay"):
        _ask(w, unit=w["commune_a2"], answer_by=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ActionError, match="nội dung"):
        _ask(w, unit=w["commune_a2"], question="  ")
    assert Explanation.objects.count() == 1


@freeze_time(NOW)
def test_answered_once_by_the_unit_and_counted(red):
    w = red
    made = _ask(w, answer_by=TODAY)
    with pytest.raises(PermissionRefused):
        explanations.answer_explanation(w["reporter_c"], made, answer="Không phải xã tôi")
    counts = explanation_counts_of_units([w["commune_a3"].pk], as_of=TODAY)[w["commune_a3"].pk]
    assert (counts.requested, counts.answered, counts.unanswered) == (1, 0, 1)
    with freeze_time("2026-07-17 09:00:00"):
        explanations.answer_explanation(w["reporter_a3"], made, answer="Do mới sáp nhập")
    with pytest.raises(ActionError, match="đã được trả lời"):
        explanations.answer_explanation(w["reporter_a3"], made, answer="Lần hai")
    made.refresh_from_db()
    assert made.answer == "Do mới sáp nhập" and made.answered_late
    day = datetime.date(2026, 7, 17)
    counts = explanation_counts_of_units([w["commune_a3"].pk], as_of=day)[w["commune_a3"].pk]
    assert (counts.requested, counts.answered, counts.answered_late) == (1, 1, 1)
    # the province's subtree counts it, in the coordinator's reach; not in another province's
    prov = explanation_counts(w["coord_a"], unit=w["prov_a"], as_of=day)[w["prov_a"].path]
    assert prov.requested == 1
    assert not explanation_counts(w["coord_b"], unit=w["prov_a"], as_of=day)
    # and after a new red month, it may be asked again
    _ask(w, question="Lần hai: vẫn chưa đạt")
    assert Explanation.objects.filter(unit=w["commune_a3"]).count() == 2


@freeze_time(NOW)
def test_each_side_is_told(red, django_capture_on_commit_callbacks):
    w = red
    with django_capture_on_commit_callbacks(execute=True):
        made = _ask(w)
    run_pending()
    told = Notification.objects.filter(kind="indicators.explanation_requested")
    assert {n.user.username for n in told} == {"reporter-a3"}
    note = told.get()
    assert "CDS-02" in note.display_title and "Vì sao" in note.display_body
    assert note.url.endswith(f"unit={w['commune_a3'].pk}&indicator={w['count'].pk}#explanations")
    with django_capture_on_commit_callbacks(execute=True):
        explanations.answer_explanation(w["reporter_a3"], made, answer="Do mới sáp nhập")
    run_pending()
    answered = Notification.objects.filter(kind="indicators.explanation_answered")
    assert {n.user.username for n in answered} == {"coord-a"}
    assert answered.get().display_body == "Do mới sáp nhập"


@freeze_time(NOW)
def test_the_panel_asks_and_answers(client, red):
    w = red
    url = reverse("indicators-set", args=[w["set"].pk])
    client.force_login(w["coord_a"])
    page = client.get(url, {"unit": w["prov_a"].pk, "indicator": w["count"].pk}).content.decode()
    ask = f'href="?unit={w["commune_a3"].pk}&amp;indicator={w["count"].pk}#explanations"'
    assert ask in page  # the red commune's row links to the request form
    assert (
        f'href="?unit={w["commune_a"].pk}&amp;indicator={w["count"].pk}#explanations"' not in page
    )
    page = client.get(url, {"unit": w["commune_a3"].pk, "indicator": w["count"].pk})
    assert "request-explanation" in page.content.decode()
    post = reverse("indicators-explain", args=[w["set"].pk])
    r = client.post(
        post,
        {"unit": w["commune_a3"].pk, "indicator": w["count"].pk, "question": "", "answer_by": ""},
    )
    assert r.status_code == 400 and Explanation.objects.count() == 0
    r = client.post(
        post,
        {"unit": w["commune_a"].pk, "indicator": w["count"].pk, "question": "Vì sao?"},
    )
    assert r.status_code == 400 and "đang ở mức" in r.content.decode()
    r = client.post(
        post,
        {"unit": w["commune_a3"].pk, "indicator": w["count"].pk, "question": "Vì sao thấp?"},
    )
    assert r.status_code == 302 and r["Location"].endswith("#explanations")
    made = Explanation.objects.get()
    # the commune's reporter sees it on the home page and answers on the panel
    client.force_login(w["reporter_a3"])
    home = client.get(reverse("home")).content.decode()
    assert "Giải trình chỉ tiêu" in home and "CDS-02" in home
    answer = reverse("indicators-explanation-answer", args=[made.pk])
    assert client.post(answer, {"answer": ""}).status_code == 400
    r = client.post(answer, {"answer": "Xã mới sáp nhập, đang kích hoạt lại tài khoản."})
    assert r.status_code == 302
    made.refresh_from_db()
    assert made.answered_by == w["reporter_a3"]
    # another province's coordinator cannot reach it
    client.force_login(w["coord_b"])
    assert client.post(answer, {"answer": "x"}).status_code == 404
    # the asker reads the answer on the home page; the unit page counts it
    client.force_login(w["coord_a"])
    home = client.get(reverse("home")).content.decode()
    assert "Đọc giải trình chỉ tiêu" in home
    unit_page = client.get(reverse("unit-detail", args=[w["commune_a3"].pk])).content.decode()
    own = unit_page.split('<tr class="own">')[1].split("</tr>")[0]
    assert '<td class="num">1</td><td class="num">1</td>' in own


@freeze_time(NOW)
def test_the_api_lists_asks_and_answers_in_scope(client, red):
    w = red
    client.force_login(w["coord_a"])
    api = "/api/indicator-explanations/"
    bad = client.post(
        api,
        {"indicator": w["count"].pk, "unit": w["commune_a"].pk, "question": "Vì sao?"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "đang ở mức" in bad.content.decode()
    r = client.post(
        api,
        {"indicator": w["count"].pk, "unit": w["commune_a3"].pk, "question": "Vì sao?"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["indicator_code"] == "CDS-02" and body["requested_by"] == "coord-a"
    assert body["unit"]["code"] == "C-a3" and body["answered_at"] is None
    client.force_login(w["coord_b"])
    assert client.get(api).json()["count"] == 0
    assert client.get(f"{api}{body['id']}/").status_code == 404
    client.force_login(w["reporter_a3"])
    r = client.post(
        f"{api}{body['id']}/answer/", {"answer": "Do sáp nhập"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["answered_by"] == "reporter-a3"
    assert client.get(api, {"answered": "false"}).json()["count"] == 0
    assert client.get(api, {"answered": "true"}).json()["count"] == 1
