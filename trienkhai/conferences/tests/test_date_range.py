"""A conference dated, or with a deadline, outside 1930–2100 is refused with a message naming
the range; nothing is saved."""

import datetime

import pytest

from trienkhai.conferences import actions
from trienkhai.conferences.models import Conference
from trienkhai.conferences.tests.conftest import values
from trienkhai.core.actions import ActionError

D = datetime.date
RANGE = "từ 01/01/1930 đến 31/12/2100"


@pytest.mark.parametrize(("field", "day"), [("date", D(1, 1, 1)), ("deadline", D(9999, 12, 31))])
def test_a_conference_out_of_range_is_refused(world, field, day):
    with pytest.raises(ActionError) as exc:
        actions.record_conference(None, **values(world, **{field: day}))
    assert exc.value.field == field and RANGE in str(exc.value.message)
    assert not Conference.objects.exists()
