"""The four steps, who may take each, and what each refuses."""

import datetime

import pytest

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError, PermissionRefused, StaleEdit
from trienkhai.core.background.worker import run_pending
from trienkhai.core.queries import history_for
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.models import Evaluation, Level, State
from trienkhai.evaluations.tests.helpers import (
    DECIDE_DAY,
    REVIEW_DAY,
    SELF_DAY,
    decide,
    proposed,
    review,
    self_rate,
)
from trienkhai.notify.models import Notification

pytestmark = pytest.mark.django_db


def test_open_lists_the_party_organisations_below_the_decider(world):
    evs = Evaluation.objects.filter(period=world["period"], decider=world["commune"])
    assert sorted(evs.values_list("unit__code", flat=True)) == sorted(
        o.code for o in world["orgs"]
    )  # the organisation commission (a support body) is not evaluated
    assert {ev.reviewer.code for ev in evs} == {"BTC-a"}
    assert rating_actions.open_evaluations(None, world["period"], world["commune"]) == 0
    with pytest.raises(PermissionRefused):
        rating_actions.open_evaluations(
            world["users"]["reporter"], world["period"], world["commune"]
        )
    with pytest.raises(PermissionRefused):
        rating_actions.open_evaluations(world["users"]["other"], world["period"], world["commune"])


def test_the_whole_flow_dated_and_logged(world, django_capture_on_commit_callbacks):
    u = world["users"]
    ev = world["evs"][0]
    ev = self_rate(
        ev,
        Level.GOOD,
        u["reporter"],
        narrative="Kiểm điểm năm 2025",
        members={"excellent": 3, "good": 20, "complete": 2, "not_complete": 1, "not_rated": 1},
    )
    assert (ev.state, ev.self_level, ev.self_total, ev.self_rated_on) == (
        State.SELF_RATED,
        Level.GOOD,
        80,
        SELF_DAY,
    )
    assert ev.members_total == 27 and ev.members_not_complete == 1
    ev = review(ev, Level.GOOD, u["decider"], narrative="Đồng ý")
    assert (ev.state, ev.reviewed_on, ev.reviewed_by) == (State.REVIEWED, REVIEW_DAY, u["decider"])
    ev = decide(ev, Level.GOOD, u["decider"])
    assert (ev.state, ev.decided_level, ev.final_total, ev.decided_on) == (
        State.DECIDED,
        Level.GOOD,
        80,
        DECIDE_DAY,
    )
    with django_capture_on_commit_callbacks(execute=True):
        ev = rating_actions.notify(u["decider"], ev, notified_on=datetime.date(2026, 1, 20))
    assert ev.state == State.NOTIFIED
    assert run_pending() == 1  # the organisation is told through the hand-off task
    note = Notification.objects.get(user=u["reporter"])
    assert "Hoàn thành tốt nhiệm vụ" in note.title and note.url == f"/evaluations/{ev.pk}/"
    assert not Notification.objects.filter(user=u["reporter2"]).exists()
    logged = list(history_for(ev).order_by("id").values_list("action", flat=True))
    assert logged == [
        "evaluations.open",
        "evaluations.self_rate",
        "evaluations.review",
        "evaluations.decide",
        "evaluations.notify",
    ]
    assert ev.version == 5


def test_each_step_needs_its_role(world):
    u = world["users"]
    ev, other_org = world["evs"][0], world["evs"][1]
    with pytest.raises(PermissionRefused):
        self_rate(other_org, Level.GOOD, u["reporter"])  # another organisation's reporter
    with pytest.raises(PermissionRefused):
        self_rate(ev, Level.GOOD, u["viewer"])
    ev = self_rate(ev, Level.GOOD, u["reporter"])
    with pytest.raises(PermissionRefused):
        review(ev, Level.GOOD, u["reporter"])  # the organisation cannot review itself
    commission = factories.user("btc-xa", (Role.COORDINATOR, ev.reviewer))
    ev = review(ev, Level.GOOD, commission)  # the organisation commission acts for the committee
    with pytest.raises(PermissionRefused):
        decide(ev, Level.GOOD, commission)  # but the decision is the standing committee's
    with pytest.raises(PermissionRefused):
        decide(ev, Level.GOOD, u["reporter"])
    with pytest.raises(PermissionRefused):
        decide(ev, Level.GOOD, u["other"])
    ev = decide(ev, Level.GOOD, u["decider"])
    with pytest.raises(PermissionRefused):
        rating_actions.notify(u["reporter"], ev)


def test_steps_come_in_order(world):
    ev = world["evs"][0]
    with pytest.raises(ActionError) as exc:
        review(ev, Level.GOOD)
    assert "không thẩm định được" in str(exc.value.message)
    ev = self_rate(ev, Level.GOOD)
    with pytest.raises(ActionError):
        decide(ev, Level.GOOD)
    ev = decide(review(ev, Level.GOOD), Level.GOOD)
    with pytest.raises(ActionError):
        self_rate(ev, Level.GOOD)  # the self-rating is closed once reviewed
    ev = rating_actions.notify(None, ev, notified_on=DECIDE_DAY)
    with pytest.raises(ActionError):
        decide(ev, Level.GOOD)  # notified: final


def test_bad_input_changes_nothing(world):
    ev = world["evs"][0]
    for kw, field in (
        ({"general": 25, "results": 55, "level": Level.EXCELLENT}, "level"),
        ({"general": 35, "results": 55, "level": Level.GOOD}, "general"),
        ({"general": "abc", "results": 55, "level": Level.GOOD}, "general"),
        ({"general": 25, "results": 55, "level": "best"}, "level"),
        (
            {"general": 25, "results": 55, "level": Level.GOOD, "on_time_percent": 120},
            "on_time_percent",
        ),  # noqa: E501
        (
            {"general": 25, "results": 55, "level": Level.GOOD, "members": {"good": -1}},
            "members_good",
        ),  # noqa: E501
        (
            {
                "general": 25,
                "results": 55,
                "level": Level.GOOD,
                "rated_on": datetime.date(2099, 1, 1),
            },
            "rated_on",
        ),  # noqa: E501
    ):
        with pytest.raises(ActionError) as exc:
            rating_actions.self_rate(None, ev, **{"rated_on": SELF_DAY, **kw})
        assert exc.value.field == field, kw
    ev.refresh_from_db()
    assert (ev.state, ev.version, ev.self_level) == (State.OPEN, 1, "")


def test_a_disqualifying_condition_forces_the_lowest_level(world):
    ev = world["evs"][0]
    condition = world["period"].disqualifiers[0]
    with pytest.raises(ActionError):
        self_rate(ev, Level.GOOD, disqualifiers=[condition])
    rating_actions.self_rate(
        None, ev, general=25, results=55, level=Level.NOT_COMPLETE, disqualifiers=[condition],
        rated_on=SELF_DAY,
    )  # fmt: skip
    ev.refresh_from_db()
    assert ev.self_level == Level.NOT_COMPLETE and ev.self_disqualifiers == [condition]


def test_conflicting_edits_are_refused(world):
    u = world["users"]
    ev = world["evs"][0]
    self_rate(ev, Level.GOOD, u["reporter"], expected_version=1)
    with pytest.raises(StaleEdit) as exc:
        self_rate(ev, Level.COMPLETE, u["reporter"], expected_version=1)
    assert exc.value.current["self_level"] == Level.GOOD
    assert "chi-bo-a" in str(exc.value.message)
    ev.refresh_from_db()
    assert ev.self_level == Level.GOOD and ev.version == 2


def test_the_decision_may_change_the_score_and_lower_the_level(world):
    ev = proposed(world["evs"][0], Level.GOOD)
    with pytest.raises(ActionError):
        decide(ev, Level.COMPLETE)  # 80 points is "good"
    ev = decide(ev, Level.COMPLETE, general=20, results=45, note="Hạ mức do chậm tiến độ")
    assert ev.final_total == 65 and ev.decided_level == Level.COMPLETE
    assert ev.review_total == 80  # the proposal stays on record
