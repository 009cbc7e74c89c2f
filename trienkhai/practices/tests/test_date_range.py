"""An adoption dated outside 1930–2100 is refused with a message naming the range."""

import datetime

import pytest

from trienkhai.core.actions import ActionError
from trienkhai.practices import actions
from trienkhai.practices.models import Adoption
from trienkhai.practices.tests.test_practices import record

D = datetime.date
RANGE = "từ 01/01/1930 đến 31/12/2100"


def test_an_adoption_dated_in_year_1_is_refused(world):
    practice = record(world)
    with pytest.raises(ActionError) as exc:
        actions.adopt(None, practice, unit=world["commune_a"], adopted_on=D(1, 1, 1))
    assert exc.value.field == "adopted_on" and RANGE in str(exc.value.message)
    assert not Adoption.objects.exists()
