"""Returning an evaluation to the organisation before the decision: who may, what it reopens,
where the reason is kept, who is told; pages and API."""

import datetime

import pytest
from rest_framework.test import APIClient

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError, PermissionRefused, StaleEdit
from trienkhai.core.background.worker import run_pending
from trienkhai.core.models import ChangeLogEntry
from trienkhai.core.queries import history_for
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.models import Level, State
from trienkhai.evaluations.tests.helpers import SCORES, decide, proposed, review, self_rate
from trienkhai.notify.models import Notification
from trienkhai.units.models import Unit

pytestmark = pytest.mark.django_db

D = datetime.date
RETURN_DAY = D(2026, 1, 6)
REASON = "Điểm phần kết quả chưa có minh chứng về chỉ tiêu vượt mức"


def commission_user():
    """A coordinator of the organisation commission only (the reviewing body, not the decider)."""
    return factories.user("ban-to-chuc", (Role.COORDINATOR, Unit.objects.get(code="BTC-a")))


def test_the_reviewing_body_returns_a_proposal_and_self_rating_reopens(
    world, django_capture_on_commit_callbacks
):
    u = world["users"]
    btc = commission_user()
    ev = proposed(world["evs"][0], Level.EXCELLENT)
    with django_capture_on_commit_callbacks(execute=True):
        ev = rating_actions.return_to_organisation(
            btc, ev, reason=f"  {REASON} ", returned_on=RETURN_DAY, expected_version=ev.version
        )
    assert run_pending() == 1
    assert (ev.state, ev.return_reason, ev.returned_on, ev.returned_by) == (
        State.RETURNED,
        REASON,
        RETURN_DAY,
        btc,
    )
    # The proposal is withdrawn from the record, kept in the change log.
    assert (ev.review_level, ev.review_total, ev.reviewed_on) == ("", None, None)
    assert ev.current_level == Level.EXCELLENT  # the self-rating stands until redone
    entry = ChangeLogEntry.objects.get(action="evaluations.return")
    assert entry.user == btc and entry.after["return_reason"] == REASON
    assert entry.before["review_level"] == Level.EXCELLENT and entry.after["state"] == "returned"
    # The organisation's users are told, with the reason.
    note = Notification.objects.get(user=u["reporter"])
    assert "được trả lại" in note.title and REASON in note.body
    assert "Ban Tổ chức xã a" in note.body and note.url == f"/evaluations/{ev.pk}/"
    assert not Notification.objects.filter(user=u["reporter2"]).exists()
    # Review and decision wait for a new self-rating, which may not predate the return.
    with pytest.raises(ActionError, match="không thẩm định được"):
        review(ev, Level.GOOD, u["decider"])
    with pytest.raises(ActionError) as exc:
        self_rate(ev, Level.GOOD, u["reporter"])  # dated 10/12/2025
    assert exc.value.field == "rated_on"
    general, results = SCORES[Level.GOOD]
    ev = rating_actions.self_rate(
        u["reporter"], ev, general=general, results=results, level=Level.GOOD,
        on_time_percent=95, rated_on=D(2026, 1, 8),
    )  # fmt: skip
    assert ev.state == State.SELF_RATED and ev.return_reason == REASON
    ev = rating_actions.review(
        u["decider"], ev, general=general, results=results, level=Level.GOOD,
        reviewed_on=D(2026, 1, 9),
    )  # fmt: skip
    ev = decide(ev, Level.GOOD, u["decider"])
    assert ev.decided_level == Level.GOOD
    logged = list(history_for(ev).order_by("id").values_list("action", flat=True))
    assert logged == [
        "evaluations.open",
        "evaluations.self_rate",
        "evaluations.review",
        "evaluations.return",
        "evaluations.self_rate",
        "evaluations.review",
        "evaluations.decide",
    ]


def test_the_decider_may_return_a_self_rating_before_review(
    world, django_capture_on_commit_callbacks
):
    decider = world["users"]["decider"]
    ev = self_rate(world["evs"][0], Level.GOOD)
    with django_capture_on_commit_callbacks(execute=True):
        ev = rating_actions.return_to_organisation(
            decider, ev, reason=REASON, returned_on=RETURN_DAY
        )
    assert ev.state == State.RETURNED and ev.returned_by == decider
    assert run_pending() == 1
    assert "Xã a trả lại ngày 06/01/2026" in Notification.objects.get().body


def test_who_may_return(world):
    u = world["users"]
    ev = proposed(world["evs"][0], Level.GOOD)
    for actor in (u["reporter"], u["viewer"], u["other"]):
        with pytest.raises(PermissionRefused):
            rating_actions.return_to_organisation(actor, ev, reason=REASON, returned_on=RETURN_DAY)
    ev.refresh_from_db()
    assert ev.state == State.REVIEWED and ev.review_level == Level.GOOD
    assert not ChangeLogEntry.objects.filter(action="evaluations.return").exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "   "}, "reason"),
        ({"reason": REASON, "returned_on": D(2025, 12, 1)}, "returned_on"),  # before self-rating
        ({"reason": REASON, "returned_on": D(2099, 1, 1)}, "returned_on"),
        ({"reason": REASON, "returned_on": "06/01/2026"}, "returned_on"),
    ],
)
def test_bad_input_changes_nothing(world, kwargs, field):
    ev = proposed(world["evs"][0], Level.GOOD)
    kwargs.setdefault("returned_on", RETURN_DAY)
    with pytest.raises(ActionError) as exc:
        rating_actions.return_to_organisation(world["users"]["decider"], ev, **kwargs)
    assert exc.value.field == field
    ev.refresh_from_db()
    assert ev.state == State.REVIEWED and ev.return_reason == ""
    assert not Notification.objects.exists()


def test_only_between_self_rating_and_decision(world):
    decider = world["users"]["decider"]
    open_ev = world["evs"][1]
    with pytest.raises(ActionError, match="trước khi quyết định"):
        rating_actions.return_to_organisation(
            decider, open_ev, reason=REASON, returned_on=RETURN_DAY
        )
    decided = decide(proposed(world["evs"][0], Level.GOOD), Level.GOOD, decider)
    with pytest.raises(ActionError, match="Đã quyết định"):
        rating_actions.return_to_organisation(
            decider, decided, reason=REASON, returned_on=RETURN_DAY
        )
    # Returned once, it cannot be returned again before a new self-rating.
    ev = self_rate(world["evs"][2], Level.GOOD)
    rating_actions.return_to_organisation(decider, ev, reason=REASON, returned_on=RETURN_DAY)
    with pytest.raises(ActionError, match="Trả lại để tự đánh giá lại"):
        rating_actions.return_to_organisation(decider, ev, reason=REASON, returned_on=RETURN_DAY)


def test_a_stale_return_is_refused(world):
    ev = proposed(world["evs"][0], Level.GOOD)
    with pytest.raises(StaleEdit):
        rating_actions.return_to_organisation(
            world["users"]["decider"], ev, reason=REASON, expected_version=1
        )
    ev.refresh_from_db()
    assert ev.state == State.REVIEWED


def test_return_from_the_page(client, world):
    u = world["users"]
    ev = proposed(world["evs"][0], Level.EXCELLENT)
    client.force_login(u["reporter"])
    page = client.get(f"/evaluations/{ev.pk}/").content.decode()
    assert "return-form" not in page
    assert client.post(f"/evaluations/{ev.pk}/return/", {"reason": REASON}).status_code == 403
    client.force_login(u["other"])
    assert client.post(f"/evaluations/{ev.pk}/return/", {"reason": REASON}).status_code == 404

    client.force_login(commission_user())
    page = client.get(f"/evaluations/{ev.pk}/").content.decode()
    assert 'class="return-form"' in page and "csrfmiddlewaretoken" in page
    empty = client.post(f"/evaluations/{ev.pk}/return/", {"reason": " ", "version": ev.version})
    assert empty.status_code == 200
    assert "Hãy ghi rõ lý do trả lại tổ chức." in empty.content.decode()
    stale = client.post(f"/evaluations/{ev.pk}/return/", {"reason": REASON, "version": 1})
    assert stale.status_code == 409 and "hãy xem lại" in stale.content.decode()
    ev.refresh_from_db()
    assert ev.state == State.REVIEWED
    done = client.post(f"/evaluations/{ev.pk}/return/", {"reason": REASON, "version": ev.version})
    assert done.status_code == 302
    page = client.get(f"/evaluations/{ev.pk}/").content.decode()
    assert "Trả lại để tự đánh giá lại" in page and 'class="step-return"' in page
    assert page.count(REASON) == 2  # on the step row and in the change log
    assert "return-form" not in page  # nothing more to return
    # The organisation now sees its self-rating form again.
    client.force_login(u["reporter"])
    assert client.get(f"/evaluations/{ev.pk}/self-rating/").status_code == 200


def test_return_through_the_api(world):
    u = world["users"]
    ev = proposed(world["evs"][0], Level.GOOD)
    client = APIClient()
    client.force_authenticate(u["reporter"])
    url = f"/api/evaluations/{ev.pk}/return/"
    payload = {"reason": REASON, "expected_version": ev.version}
    assert client.post(url, payload, format="json").status_code == 403
    client.force_authenticate(u["other"])
    assert client.post(url, payload, format="json").status_code == 404
    client.force_authenticate(u["decider"])
    r = client.post(url, {"reason": "", "expected_version": ev.version}, format="json")
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = client.post(url, {"reason": REASON, "expected_version": 1}, format="json")
    assert r.status_code == 409
    r = client.post(
        url,
        {"reason": REASON, "returned_on": "06/01/2026", "expected_version": ev.version},
        format="json",
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["state"], body["return_reason"], body["returned_on"]) == (
        "returned",
        REASON,
        "2026-01-06",
    )
    assert body["review_level"] == ""
    schema = client.get("/api/schema/").content.decode()
    assert "/api/evaluations/{id}/return/" in schema
