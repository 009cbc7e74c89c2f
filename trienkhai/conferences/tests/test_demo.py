"""The demo: Quảng Ninh's conference of 15/1/2022 with its figures appears in the roll-up."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from trienkhai.conferences import queries
from trienkhai.conferences.demo import load_demo
from trienkhai.conferences.models import Conference
from trienkhai.conferences.timing import Timing, timing_of
from trienkhai.demo.loader import ensure_demo
from trienkhai.units.models import Unit


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the real demo once for this module (the loaders run through the actions)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        ensure_demo()  # loads the conferences too
        yield Conference.objects.count()
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_quang_ninh_in_the_rollup(demo, client):
    assert demo > 10
    assert load_demo() == 0  # a second run adds nothing
    user = get_user_model().objects.get(username="quangninh")
    qni = Unit.objects.get(code="QNI")
    rows = queries.rollup(user, unit=qni)
    own = rows[0]
    assert own.own and (own.points, own.attendees, own.held, own.on_time) == (237, 15_500, 1, 1)
    conference = Conference.objects.get(host=qni, date=datetime.date(2022, 1, 15))
    symbols = sorted(conference.documents.values_list("symbol", flat=True))
    assert symbols == ["08-NQ/TU", "12-CTr/TU", "13-CTr/TU", "14-KL/TW", "21-KL/TW"]
    assert "hơn 15.500" in conference.note
    assert timing_of(conference.date, conference.deadline) == Timing.ON_TIME
    total = queries.totals(rows)
    assert total.on_time > 0 and total.late > 0 and total.points > 237
    # 2022's conferences (the demo's current cycle adds this year's, on another directive).
    year = {"date_from": datetime.date(2022, 1, 1), "date_to": datetime.date(2022, 12, 31)}
    by_doc = {d.document.symbol: d for d in queries.by_document(user, unit=qni, **year)}
    assert len(by_doc) == 5 and by_doc["14-KL/TW"].points == 237
    # Some communes held none: in 2022's tree under today's Quảng Tân, Dực Yên has a zero line.
    lines = {
        r.name: r
        for r in queries.rollup(user, unit=Unit.objects.get(code="QNI.XA-QUANG-TAN"), **year)
    }
    assert lines["Đảng ủy xã Dực Yên"].held == 0 and lines["Đảng ủy xã Quảng Tân"].held == 1
    client.force_login(user)
    page = client.get(reverse("conferences-rollup"), {"unit": qni.pk}).content.decode()
    assert "Trực tiếp Tỉnh ủy Quảng Ninh" in page and "15.500" in page and "237" in page
    assert "13-CTr/TU" in page
