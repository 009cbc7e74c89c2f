"""The demo's live indicator set: targets split among Lâm Đồng's communes, values putting some
communes in red, some in orange, some in green, and one computed indicator."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from trienkhai.core.models import ChangeLogEntry
from trienkhai.demo.loader import ensure_demo
from trienkhai.indicators import queries, risk
from trienkhai.indicators.models import IndicatorSet, Source, Target, Value
from trienkhai.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    day = timezone.localdate() - 35 * datetime.timedelta(days=1)
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_demo(today=day)
        yield day
        transaction.set_rollback(True)


def test_live_set_has_red_orange_and_green_communes(_built):
    day = _built
    s = IndicatorSet.objects.get()
    assert s.year == (day - datetime.timedelta(days=60)).year
    lamdong = get_user_model().objects.get(username="lamdong")
    province = Unit.objects.get(code="LDG")
    ind = s.indicators.get(code="CDS-01")
    ind.indicator_set = s
    counts = queries.counts(queries.child_lines(lamdong, ind, province, day))
    assert counts[risk.RED] and counts[risk.ORANGE] and counts[risk.GREEN]
    # targets were split among the communes by the coordinator, through the action
    assert Target.objects.filter(indicator=ind, unit__parent=province).count() >= 10
    assert ChangeLogEntry.objects.filter(action="indicators.cascade", user_name="lamdong").exists()
    # Tuy Phong's reporter reported its own values
    assert Value.objects.filter(unit__code="BTH.XA-TUY-PHONG", reported_by__username="tuyphong")
    computed = s.indicators.get(source=Source.PLAN_COVERAGE)
    assert Value.objects.filter(indicator=computed, computed=True).exists()
