"""The cap on the top level: blocked beyond it, unless a reason is recorded."""

import pytest

from trienkhai.core.models import ChangeLogEntry
from trienkhai.evaluations import queries
from trienkhai.evaluations.actions import periods as period_actions
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.models import Level, State
from trienkhai.evaluations.tests.helpers import decide, proposed

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposals(world):
    """Two organisations proposed excellent, four good: 6 good-or-better, 20% → 1 excellent."""
    evs = world["evs"]
    return [proposed(ev, Level.EXCELLENT if i < 2 else Level.GOOD) for i, ev in enumerate(evs)]


def test_the_cap_blocks_the_second_excellent(world, proposals):
    decider = world["users"]["decider"]
    status = queries.cap_status(world["period"], world["commune"])
    assert (status.excellent, status.base, status.allowed, status.full) == (0, 6, 1, False)
    decide(proposals[0], Level.EXCELLENT, decider)
    status = queries.cap_status(world["period"], world["commune"])
    assert (status.excellent, status.allowed, status.full, status.exceeded) == (1, 1, True, False)

    with pytest.raises(rating_actions.CapBlocked) as exc:
        decide(proposals[1], Level.EXCELLENT, decider)
    assert exc.value.field == "override_reason"
    assert "vượt tỷ lệ 20%" in str(exc.value.message)
    assert exc.value.status.excellent == 2
    proposals[1].refresh_from_db()
    assert proposals[1].state == State.REVIEWED and proposals[1].decided_level == ""

    with pytest.raises(rating_actions.CapBlocked):
        decide(proposals[1], Level.EXCELLENT, decider, override_reason="   ")
    # A "good" decision is not capped.
    ev = decide(proposals[1], Level.GOOD, decider, general=27, results=60)
    assert ev.decided_level == Level.GOOD


def test_override_with_a_reason_is_stored_and_logged(world, proposals):
    decider = world["users"]["decider"]
    decide(proposals[0], Level.EXCELLENT, decider)
    reason = "Đơn vị được Trung ương khen thưởng đột xuất trong năm"
    ev = decide(proposals[1], Level.EXCELLENT, decider, override_reason=reason)
    assert ev.decided_level == Level.EXCELLENT and ev.cap_override_reason == reason
    entry = ChangeLogEntry.objects.get(action="evaluations.decide_over_cap")
    assert entry.after["cap_override_reason"] == reason and entry.user == decider
    assert queries.cap_status(world["period"], world["commune"]).exceeded
    # Deciding the first one again now also needs a reason: the cap is exceeded.
    with pytest.raises(rating_actions.CapBlocked):
        decide(proposals[0], Level.EXCELLENT, decider, note="Quyết định lại")


def test_the_cap_is_a_setting_of_the_period(world, proposals):
    period_actions.update_period(None, world["period"], cap_percent=40)
    decider = world["users"]["decider"]
    decide(proposals[0], Level.EXCELLENT, decider)
    assert decide(proposals[1], Level.EXCELLENT, decider).cap_override_reason == ""


def test_redeciding_the_same_organisation_does_not_count_twice(world, proposals):
    decider = world["users"]["decider"]
    # A decision within the cap keeps no reason, even if one is typed.
    decide(proposals[0], Level.EXCELLENT, decider, override_reason="không cần")
    ev = decide(proposals[0], Level.EXCELLENT, decider, note="Quyết định lại")
    assert ev.cap_override_reason == "" and ev.decision_note == "Quyết định lại"
