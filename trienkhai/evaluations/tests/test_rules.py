"""Thresholds, the top level's conditions, disqualifying conditions and the period's rules."""

import decimal

import pytest

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError, PermissionRefused, StaleEdit
from trienkhai.core.models import ChangeLogEntry
from trienkhai.evaluations import rules
from trienkhai.evaluations.actions import periods as period_actions
from trienkhai.evaluations.conf import DEFAULTS
from trienkhai.evaluations.models import EvaluationPeriod, Level

pytestmark = pytest.mark.django_db
Dec = decimal.Decimal


@pytest.fixture
def period(tree):
    return period_actions.create_period(None, unit=tree["root"], year=2025)


def test_defaults_follow_the_regulation(period):
    assert (period.general_max, period.results_max, period.max_total) == (30, 70, 100)
    assert (period.excellent_min, period.good_min, period.complete_min) == (90, 70, 50)
    assert (period.excellent_on_time_min, period.excellent_exceeded_min) == (100, 30)
    assert period.cap_percent == 20
    assert period.disqualifiers == DEFAULTS["DISQUALIFIERS"]
    assert str(period.ends_on) == "2025-12-31"


@pytest.mark.parametrize(
    ("total", "level"),
    [
        ("100", Level.EXCELLENT),
        ("90", Level.EXCELLENT),
        ("89.9", Level.GOOD),
        ("70", Level.GOOD),
        ("69.9", Level.COMPLETE),
        ("50", Level.COMPLETE),
        ("49.9", Level.NOT_COMPLETE),
        ("0", Level.NOT_COMPLETE),
    ],
)
def test_score_thresholds(period, total, level):
    assert rules.score_level(period, Dec(total)) == level
    assert rules.allowed_level(period, Dec(total), Dec(100), Dec(30), []) == level


def test_a_level_that_disagrees_with_the_score_is_refused_in_vietnamese(period):
    with pytest.raises(ActionError) as exc:
        rules.check_level(
            period, level=Level.EXCELLENT, total=Dec(85), on_time=100, exceeded=40, disqualifiers=[]
        )
    assert exc.value.field == "level"
    assert "không khớp với tổng điểm 85" in str(exc.value.message)
    assert "Hoàn thành tốt nhiệm vụ" in str(exc.value.message)
    # Lower than the score allows is refused too: the level follows the thresholds.
    with pytest.raises(ActionError):
        rules.check_level(
            period, level=Level.COMPLETE, total=Dec(85), on_time=100, exceeded=40, disqualifiers=[]
        )


def test_top_level_needs_its_conditions(period):
    with pytest.raises(ActionError) as exc:
        rules.check_level(
            period, level=Level.EXCELLENT, total=Dec(95), on_time=Dec(90), exceeded=Dec(40),
            disqualifiers=[],
        )  # fmt: skip
    assert "chưa đủ điều kiện" in str(exc.value.message)
    assert "đúng hạn 90% (cần 100%)" in str(exc.value.message)
    # The same score with the conditions unmet is "good", which is accepted.
    rules.check_level(
        period, level=Level.GOOD, total=Dec(95), on_time=Dec(90), exceeded=Dec(40),
        disqualifiers=[],
    )  # fmt: skip
    assert rules.allowed_level(period, Dec(95), Dec(100), Dec(29), []) == Level.GOOD
    assert rules.allowed_level(period, Dec(95), None, None, []) == Level.GOOD


def test_a_disqualifying_condition_lowers_the_level(period):
    condition = period.disqualifiers[0]
    with pytest.raises(ActionError) as exc:
        rules.check_level(
            period, level=Level.GOOD, total=Dec(85), on_time=100, exceeded=40,
            disqualifiers=[condition],
        )  # fmt: skip
    assert condition in str(exc.value.message)
    rules.check_level(
        period, level=Level.NOT_COMPLETE, total=Dec(85), on_time=100, exceeded=40,
        disqualifiers=[condition],
    )  # fmt: skip
    with pytest.raises(ActionError):
        rules.check_disqualifiers(period, ["Điều kiện không có trong quy định"])


def test_scores_outside_the_scale_are_refused(period):
    with pytest.raises(ActionError) as exc:
        rules.check_scores(period, Dec(31), Dec(60))
    assert exc.value.field == "general"
    with pytest.raises(ActionError) as exc:
        rules.check_scores(period, Dec(20), Dec(-1))
    assert exc.value.field == "results"


def test_defaults_can_be_overridden_in_settings(tree, settings):
    settings.TRIENKHAI_EVALUATIONS = {"CAP_PERCENT": 15, "DISQUALIFIERS": ["Chỉ một điều kiện"]}
    period = period_actions.create_period(None, unit=tree["prov_a"], year=2024)
    assert period.cap_percent == 15
    assert period.disqualifiers == ["Chỉ một điều kiện"]
    assert period.excellent_min == 90


def test_rules_are_checked_as_a_whole(tree):
    with pytest.raises(ActionError) as exc:
        period_actions.create_period(None, unit=tree["root"], year=2025, good_min=95)
    assert "tăng dần" in str(exc.value.message)
    with pytest.raises(ActionError):
        period_actions.create_period(None, unit=tree["root"], year=2025, cap_percent=120)
    assert not EvaluationPeriod.objects.exists()


def test_one_period_per_unit_and_year(period, tree):
    with pytest.raises(ActionError) as exc:
        period_actions.create_period(None, unit=tree["root"], year=2025)
    assert exc.value.field == "year"


def test_only_an_administrator_edits_the_rules(period, tree):
    coordinator = factories.user("coord", (Role.COORDINATOR, tree["root"]))
    with pytest.raises(PermissionRefused):
        period_actions.update_period(coordinator, period, cap_percent=30)
    with pytest.raises(PermissionRefused):
        period_actions.create_period(coordinator, unit=tree["root"], year=2026)
    admin = factories.user("quan-tri", (Role.ADMINISTRATOR, tree["root"]))
    period = period_actions.update_period(admin, period, cap_percent=30, expected_version=1)
    assert (period.cap_percent, period.version) == (30, 2)
    entry = ChangeLogEntry.objects.get(action="evaluations.update_period")
    assert entry.before["cap_percent"] == 20 and entry.after["cap_percent"] == 30


def test_a_stale_rule_edit_is_refused(period):
    period_actions.update_period(None, period, cap_percent=25, expected_version=1)
    with pytest.raises(StaleEdit) as exc:
        period_actions.update_period(None, period, cap_percent=40, expected_version=1)
    assert exc.value.current["cap_percent"] == 25
    period.refresh_from_db()
    assert period.cap_percent == 25
