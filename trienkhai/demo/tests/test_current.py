"""The demo's current cycle lives relative to the day it is built (here a day passed in)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from trienkhai.conferences.models import Conference
from trienkhai.core.models import ChangeLogEntry
from trienkhai.demo.current import TUY_PHONG
from trienkhai.demo.loader import ensure_demo
from trienkhai.documents.models import DocType, Document
from trienkhai.evaluations.models import Evaluation
from trienkhai.evaluations.models import State as EvaluationState
from trienkhai.inspections.models import Inspection, RemediationRequest, RequestState, State
from trienkhai.tracking import queries
from trienkhai.tracking.models import Assignment, ExplanationRequest, ProgressReport, ReportState
from trienkhai.tracking.status import Status, status_of
from trienkhai.tracking.views.dashboard import trend_points
from trienkhai.units.models import Unit

DAY = datetime.timedelta(days=1)
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _built(django_db_setup, django_db_blocker):
    """The demo built as of five weeks ago, rolled back at the end of the module."""
    day = timezone.localdate() - 35 * DAY
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_demo(today=day)
        yield day
        transaction.set_rollback(True)


@pytest.fixture
def today(_built, db):
    return _built


@pytest.fixture
def users(today):
    return {u.username: u for u in get_user_model().objects.all()}


def _status(a, day):
    return status_of(a.due, a.completed_on, a.started_on, day)


def test_a_directive_issued_weeks_ago_with_plans_down_to_communes(today):
    directive = Document.objects.get(doc_type=DocType.DIRECTIVE, date__gt=today - 70 * DAY)
    assert today - 63 * DAY <= directive.date <= today - 28 * DAY
    tuy_phong = Unit.objects.get(code=TUY_PHONG)
    commune_plan = Document.objects.get(issuing_unit=tuy_phong, doc_type=DocType.PLAN)
    assert directive.date < commune_plan.date <= today


def test_tasks_due_this_week_overdue_and_done_on_time_and_late(today):
    rows = list(Assignment.objects.filter(unit__code=TUY_PHONG, due__gte=today - 60 * DAY))
    due_this_week = [
        a for a in rows if today <= a.due <= today + 7 * DAY and a.completed_on is None
    ]
    assert due_this_week
    assert any(_status(a, today) == Status.OVERDUE for a in rows)
    province = Assignment.objects.filter(
        assigned_by__code="LDG", due__gte=today - 60 * DAY, due__lte=today
    )
    statuses = {_status(a, today) for a in province}
    assert {Status.DONE_ON_TIME, Status.DONE_LATE, Status.OVERDUE} <= statuses


def test_reports_awaiting_review_and_a_returned_one(today):
    waiting = ProgressReport.objects.filter(state=ReportState.SUBMITTED)
    assert waiting.filter(assignment__assigned_by__code="LDG").exists()
    assert waiting.filter(assignment__assigned_by__code="QNI").exists()
    assert waiting.filter(assignment__assigned_by__code="TW").exists()
    returned = ProgressReport.objects.get(
        state=ReportState.RETURNED, assignment__unit__code=TUY_PHONG
    )
    assert returned.return_reason
    assert returned.assignment.completed_on is None  # back in progress
    assert not ProgressReport.objects.filter(reported_on__gt=today).exists()


def test_history_is_reviewed_and_the_people_acted(today, users):
    """No historic report is left unreviewed, and the change log names the demo logins."""
    assert not ProgressReport.objects.filter(
        state=ReportState.SUBMITTED, reported_on__lt=datetime.date(2026, 1, 1)
    ).exists()
    acted = set(ChangeLogEntry.objects.values_list("user__username", "action").distinct())
    assert ("lamdong", "tracking.accept_report") in acted
    assert ("lamdong", "tracking.return_report") in acted
    assert ("tuyphong", "tracking.report") in acted
    assert ("kiemtra", "inspections.step") in acted
    assert ("quantri", "tracking.add_task") in acted


def test_communes_record_their_conference_against_the_task(today):
    held = Conference.objects.filter(host__parent__code="LDG", date__gte=today - 60 * DAY)
    assert held.exists()
    assert all(c.deadline_assignment.unit_id == c.host_id for c in held)
    assert not held.filter(date__gt=today).exists()


def test_an_explanation_pending_and_one_answered(today):
    asked = ExplanationRequest.objects.filter(assignment__unit__code=TUY_PHONG)
    assert asked.filter(answered_at__isnull=True).exists()
    assert ExplanationRequest.objects.filter(
        assignment__assigned_by__code="LDG", answered_at__isnull=False
    ).exists()


def test_inspections_at_self_report_step_and_remediation_due(today):
    waiting = Inspection.objects.filter(state=State.ANNOUNCED)
    mine = waiting.get(parts__unit__code=TUY_PHONG)
    assert mine.parts.filter(self_reports__isnull=True, unit__code=TUY_PHONG).exists()
    central = waiting.get(unit__code="TW")
    assert central.parts.filter(unit__code="LDG", self_reports__isnull=True).exists()
    due = RemediationRequest.objects.get(owner__code=TUY_PHONG)
    assert due.state == RequestState.IN_PROGRESS
    assert today < due.deadline <= today + 14 * DAY
    assert RemediationRequest.objects.filter(
        owner__parent__code="LDG", state=RequestState.REPORTED
    ).exists()


def test_a_classification_period_to_decide(today):
    year = today.year if today.month >= 10 else today.year - 1
    evs = Evaluation.objects.filter(period__year=year, decider__code="LDG")
    if year <= 2025:  # the historic 2025 period is the one to decide then
        evs = Evaluation.objects.filter(period__year=2025, decider__code="QNI")
    assert evs.filter(state=EvaluationState.REVIEWED).exists()
    if year > 2025:
        assert evs.get(unit__code=TUY_PHONG).state == EvaluationState.OPEN


def test_trend_moves_and_ranking_spreads(today, users):
    lamdong, ldg = users["lamdong"], Unit.objects.get(code="LDG")
    points = queries.trend(lamdong, unit=ldg, points=trend_points(today))
    done = [c[Status.DONE_ON_TIME] + c[Status.DONE_LATE] for _day, c in points]
    assert len(set(done)) == len(done)  # rises every month
    _rows, ranked = queries.rollup_and_ranking(
        lamdong, unit=ldg, as_of=today, start=today - 180 * DAY, end=today
    )
    rates = {r.on_time_rate for r in ranked if r.on_time_rate is not None}
    assert len(ranked) >= 10 and len(rates) >= 4


def test_a_target_split_across_communes_with_amounts_reported(today, users):
    from django.utils import translation

    from trienkhai.tracking.models import Task

    task = Task.objects.get(plan__unit__code="LDG", target_value__isnull=False)
    rows = Assignment.objects.filter(task=task)
    assert rows.count() > 4
    assert set(rows.values_list("target", flat=True)) == {50}
    assert rows.filter(reached=30).exists() and rows.filter(reached_pending=35).exists()
    assert rows.get(unit__code=TUY_PHONG).reached is None
    province = Unit.objects.get(code="LDG")
    lines = queries.target_rollup(
        users["lamdong"], unit=province, task=task, occurrence=task.occurrences.get()
    )
    total = queries.target_total(province, task, lines)
    assert total.target == 50 * rows.count()
    with translation.override("vi"):
        assert any(line.text == "30/50 (60 %)" for line in lines)
