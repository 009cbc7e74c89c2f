"""Evaluation step dates outside 1930–2100 are refused with a message naming the range."""

import datetime

import pytest

from trienkhai.core.actions import ActionError
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.models import Level, State
from trienkhai.evaluations.tests.helpers import SCORES

D = datetime.date
RANGE = "từ 01/01/1930 đến 31/12/2100"


@pytest.mark.parametrize("day", [D(1, 1, 1), D(1929, 12, 31)])
def test_a_self_rating_dated_out_of_range_is_refused(world, day):
    ev = world["evs"][0]
    with pytest.raises(ActionError) as exc:
        general, results = SCORES[Level.GOOD]
        rating_actions.self_rate(
            None, ev, general=general, results=results, level=Level.GOOD, rated_on=day
        )
    assert exc.value.field == "rated_on" and RANGE in str(exc.value.message)
    ev.refresh_from_db()
    assert ev.state == State.OPEN
