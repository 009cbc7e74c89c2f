"""A period's scale, thresholds and cap are fixed once a decision exists in it: a level decided
under one set of rules is never reread under another."""

import pytest
from rest_framework.test import APIClient

from trienkhai.core.actions import ActionError
from trienkhai.core.models import ChangeLogEntry
from trienkhai.evaluations.actions import periods as period_actions
from trienkhai.evaluations.models import Level
from trienkhai.evaluations.tests.helpers import decide, proposed

pytestmark = pytest.mark.django_db

LOCKED = "không thể thay đổi thang điểm, ngưỡng xếp loại hay tỷ lệ xuất sắc tối đa"


@pytest.fixture
def decided(world):
    decide(proposed(world["evs"][0], Level.GOOD), Level.GOOD)
    return world


def test_rules_are_editable_before_any_decision(world):
    proposed(world["evs"][0], Level.GOOD)  # a proposal is not a decision
    period = period_actions.update_period(None, world["period"], good_min=75, cap_percent=25)
    assert (period.good_min, period.cap_percent) == (75, 25)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"general_max": 40}, "general_max"),
        ({"results_max": 60}, "results_max"),
        ({"excellent_min": 95}, "excellent_min"),
        ({"excellent_on_time_min": 90}, "excellent_on_time_min"),
        ({"excellent_exceeded_min": 20}, "excellent_exceeded_min"),
        ({"good_min": 75}, "good_min"),
        ({"complete_min": 55}, "complete_min"),
        ({"cap_percent": 40}, "cap_percent"),
    ],
)
def test_a_rule_change_after_a_decision_is_refused(decided, change, field):
    admin = decided["users"]["admin"]
    with pytest.raises(ActionError) as exc:
        period_actions.update_period(admin, decided["period"], expected_version=1, **change)
    assert exc.value.field == field
    assert LOCKED in str(exc.value.message) and "1 quyết định" in str(exc.value.message)
    period = decided["period"]
    period.refresh_from_db()
    assert (period.version, period.good_min, period.cap_percent) == (1, 70, 20)
    assert not ChangeLogEntry.objects.filter(action="evaluations.update_period").exists()


def test_the_name_and_unchanged_rules_may_still_be_saved(decided):
    period = decided["period"]
    same = {f: getattr(period, f) for f in period_actions.RULE_FIELDS}
    period = period_actions.update_period(None, period, name="Kỳ 2025 (đã quyết định)", **same)
    assert period.name == "Kỳ 2025 (đã quyết định)" and period.version == 2


def test_the_edit_page_shows_the_rules_read_only(client, decided):
    client.force_login(decided["users"]["admin"])
    url = f"/evaluations/periods/{decided['period'].pk}/edit/"
    page = client.get(url).content.decode()
    assert "Kỳ đã có 1 quyết định xếp loại" in page
    assert 'name="cap_percent"' in page and "disabled" in page
    # A posted change of a read-only rule is ignored; the name is saved.
    response = client.post(
        url,
        {"name": "Kỳ 2025 mới", "cap_percent": 50, "good_min": 80, "version": 1},
    )
    assert response.status_code == 302
    period = decided["period"]
    period.refresh_from_db()
    assert (period.name, period.cap_percent, period.good_min) == ("Kỳ 2025 mới", 20, 70)


def test_the_api_refuses_the_change(decided):
    client = APIClient()
    client.force_authenticate(decided["users"]["admin"])
    r = client.patch(
        f"/api/evaluation-periods/{decided['period'].pk}/",
        {"cap_percent": 40, "expected_version": decided["period"].version},
        format="json",
    )
    assert r.status_code == 400 and r.json()["field"] == "cap_percent"
    assert LOCKED in r.json()["detail"]
