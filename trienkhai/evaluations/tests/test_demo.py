"""The demo's 2025 classification: the inflated rating is flagged and the cap blocks it."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string

from trienkhai.demo.loader import ensure_demo
from trienkhai.evaluations import queries
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.demo import load_demo
from trienkhai.evaluations.models import Evaluation, EvaluationPeriod, Level, State
from trienkhai.evaluations.panels import panel
from trienkhai.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_demo()
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_loaded, db):
    period = EvaluationPeriod.objects.get(year=2025)
    return {
        "period": period,
        "province": Unit.objects.get(code="QNI"),
        "admin": get_user_model().objects.get(username="quantri"),
    }


def test_inflated_rating_is_flagged_and_blocked(demo):
    period, province = demo["period"], demo["province"]
    rows = queries.attach_flags(
        queries.classification(demo["admin"], period, province), queries.default_as_of(period)
    )
    flagged = [ev for ev in rows if ev.flags]
    assert len(flagged) == 1
    (inflated,) = flagged
    assert inflated.review_level == Level.EXCELLENT and inflated.state == State.REVIEWED
    assert inflated.on_time_percent == 100  # what it claims …
    overdue = next(f for f in inflated.flags if f.kind == "overdue_tasks")
    assert overdue.count > 0  # … and what tracking shows
    assert f"unit={inflated.unit_id}" in overdue.url
    cap = queries.cap_status(period, province)
    assert cap.excellent == 1 and cap.full and not cap.exceeded
    with pytest.raises(rating_actions.CapBlocked):
        rating_actions.decide(demo["admin"], inflated, level=Level.EXCELLENT)


def test_demo_loads_once_through_the_actions(demo):
    count = Evaluation.objects.count()
    assert load_demo() is None and Evaluation.objects.count() == count
    assert Evaluation.objects.filter(state=State.NOTIFIED).exists()
    assert not Evaluation.objects.filter(self_rated_by__isnull=False).exists()  # system actor


def test_panel_for_the_province(demo):
    data = panel(demo["admin"], demo["province"], demo["period"].ends_on)
    assert data["period"] == demo["period"]
    assert data["total"].counts[Level.EXCELLENT] == 2  # police committee + a ward's police cell
    assert data["flagged"] == 1
    assert data["url"].startswith("/evaluations/distribution/?period=")
    html = render_to_string("evaluations/_panel.html", {"evaluation_panel": data})
    assert "Xếp loại chất lượng tổ chức đảng" in html and "có cảnh báo" in html
    viewer = get_user_model().objects.get(username="lamdong")  # another province
    assert panel(viewer, Unit.objects.get(code="LDG"), demo["period"].ends_on) == {"period": None}
