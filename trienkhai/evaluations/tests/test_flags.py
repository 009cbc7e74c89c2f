"""Warnings on top ratings: overdue tasks from tracking, and providers other apps register."""

import datetime

import pytest

from trienkhai.core import registry
from trienkhai.evaluations import flags, queries
from trienkhai.evaluations.models import Level
from trienkhai.evaluations.tests.helpers import proposed, self_rate
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import Assignment
from trienkhai.tracking.tests.test_actions import central_plan, one_off

pytestmark = pytest.mark.django_db
END = datetime.date(2025, 12, 31)


@pytest.fixture
def overdue(world):
    """A task due 30/06/2025 given to the first organisation, never reported."""
    task = one_off(central_plan(world), deadline="tháng 6/2025")
    assign_actions.assign(None, task, units=[world["orgs"][0]], rule="units")
    return Assignment.objects.get(task=task)


def test_top_proposal_with_overdue_tasks_is_flagged(world, overdue):
    ev = proposed(world["evs"][0], Level.EXCELLENT)
    (flagged,) = queries.attach_flags([ev], END)
    kinds = [f.kind for f in flagged.flags]
    assert "overdue_tasks" in kinds
    flag = next(f for f in flagged.flags if f.kind == "overdue_tasks")
    assert flag.count == 1 and "1 nhiệm vụ quá hạn" in flag.text and "31/12/2025" in flag.text
    assert flag.url == f"/tracking/?unit={world['orgs'][0].pk}&as_of=31/12/2025#overdue"
    # Before the due date nothing was overdue.
    (early,) = queries.attach_flags([ev], datetime.date(2025, 6, 1))
    assert not [f for f in early.flags if f.kind == "overdue_tasks"]


def test_a_good_rating_is_not_flagged(world, overdue):
    ev = self_rate(world["evs"][0], Level.GOOD)
    assert queries.attach_flags([ev], END)[0].flags == []


def test_work_done_before_the_year_end_is_not_overdue(world, overdue):
    report_actions.report_progress(
        None, overdue, reported_on=datetime.date(2025, 9, 1), percent=100, done=True
    )
    ev = self_rate(world["evs"][0], Level.EXCELLENT)
    flagged = queries.attach_flags([ev], END)[0]
    assert not [f for f in flagged.flags if f.kind == "overdue_tasks"]


@pytest.fixture
def fake_provider():
    calls = []

    def provider(unit_ids, year, as_of):
        calls.append((sorted(unit_ids), year, as_of))
        return {unit_ids[0]: [flags.Flag("violations", "2 vi phạm được phát hiện", "/x/", 2)]}

    with registry.override("evaluations.flags", "violations", provider):
        yield calls


def test_flags_from_a_registered_provider(world, fake_provider):
    ev = self_rate(world["evs"][1], Level.EXCELLENT)
    other = self_rate(world["evs"][2], Level.GOOD)
    rows = queries.attach_flags([ev, other], END)
    assert [f.text for f in rows[0].flags] == ["2 vi phạm được phát hiện"]
    assert rows[1].flags == []
    # Only organisations rated at the top level are asked about, once for the whole list.
    assert fake_provider == [([world["orgs"][1].pk], 2025, END)]


def test_works_without_the_inspection_providers(world, overdue):
    with (
        registry.override("evaluations.flags", "open_remediation"),
        registry.override("evaluations.flags", "violations"),
    ):
        assert "open_remediation" not in registry.names("evaluations.flags")
        ev = proposed(world["evs"][0], Level.EXCELLENT)
        assert [f.kind for f in queries.attach_flags([ev], END)[0].flags] == ["overdue_tasks"]
    assert "open_remediation" in registry.names("evaluations.flags")
