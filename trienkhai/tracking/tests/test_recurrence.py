"""The daily job keeps recurring tasks' periods ahead; one-off and ended tasks are left alone."""

import datetime

from trienkhai.core.background.schedule import daily_tasks
from trienkhai.tracking import recurrence
from trienkhai.tracking.models import Assignment
from trienkhai.tracking.tests.test_actions import central_plan, one_off

D = datetime.date


def test_job_extends_short_tasks_to_the_horizon_and_only_them(tree):
    plan = central_plan(tree)
    yearly = one_off(plan, "hằng năm từ 2022", horizon=D(2022, 12, 31))
    once = one_off(plan, "quý I/2022")
    from trienkhai.tracking.actions import assign as assign_actions

    assign_actions.assign(None, yearly, units=[tree["prov_a"], tree["commune_b"]])
    assign_actions.assign(None, once, units=[tree["prov_a"]])
    assert list(recurrence.tasks_short_of(D(2024, 12, 31))) == [yearly]

    result = recurrence.extend_all(D(2024, 12, 31))
    assert result == {"tasks": 1, "assignments": 4, "horizon": "2024-12-31"}
    dues = sorted(set(Assignment.objects.filter(task=yearly).values_list("due", flat=True)))
    assert dues == [D(2022, 12, 31), D(2023, 12, 31), D(2024, 12, 31)]
    assert Assignment.objects.filter(task=once).count() == 1
    # Nothing left short: a second run changes nothing.
    assert list(recurrence.tasks_short_of(D(2024, 12, 31))) == []
    assert recurrence.extend_all(D(2024, 12, 31))["assignments"] == 0


def test_job_is_scheduled_daily():
    paths = {d.path for d in daily_tasks()}
    assert recurrence.extend_recurring.module_path in paths
