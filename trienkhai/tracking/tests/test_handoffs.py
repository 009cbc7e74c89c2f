"""Each tracking hand-off tells exactly the next people, through one queued task per event."""

import datetime

import pytest
from django.utils import translation

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.background.worker import run_pending
from trienkhai.core.models import ChangeLogEntry
from trienkhai.notify.handoffs import key_of
from trienkhai.notify.models import Notification
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import Assignment
from trienkhai.tracking.tests.test_actions import central_plan, one_off

D = datetime.date


@pytest.fixture
def people(tree):
    """Who holds what: the test names who must and who must not hear of each event."""
    t = tree
    return {
        "coord_root": factories.user("coord-root", (Role.COORDINATOR, t["root"])),
        "admin_root": factories.user("admin-root", (Role.ADMINISTRATOR, t["root"])),
        "rep_a": factories.user("rep-a", (Role.REPORTER, t["prov_a"], False)),
        "rep_a2": factories.user("rep-a2", (Role.REPORTER, t["prov_a"])),
        "coord_a": factories.user("coord-a", (Role.COORDINATOR, t["prov_a"])),
        "viewer_a": factories.user("viewer-a", (Role.VIEWER, t["prov_a"])),
        "rep_b": factories.user("rep-b", (Role.REPORTER, t["prov_b"])),
        "rep_commune_a": factories.user("rep-commune-a", (Role.REPORTER, t["commune_a"])),
        "inspector_a": factories.user("insp-a", (Role.INSPECTOR, t["prov_a"])),
    }


def _told(**kw) -> set[str]:
    return set(
        Notification.objects.filter(**kw).values_list("user__username", flat=True).distinct()
    )


def _deliver(capture, action):
    """Run the action, commit (its hand-off is queued), then the worker: what did it queue?"""
    with capture(execute=True):
        result = action()
    ran = run_pending()
    return result, ran


def test_task_assigned_tells_each_new_units_reporters_only(
    tree, people, django_capture_on_commit_callbacks
):
    task = one_off(central_plan(tree))
    _created, ran = _deliver(
        django_capture_on_commit_callbacks,
        lambda: assign_actions.assign(people["coord_root"], task, rule="children"),
    )
    assert ran == 1  # one task for the whole fan-out
    # The provinces' own reporters (and their coordinator, who may report too) hear of it, not
    # the viewer, the inspector, the commune below, or the coordinator who assigned. The
    # central office (a child of the root too) has nobody: the root's administrator reports
    # for it, so is told.
    assert _told(kind="tracking.assigned") == {"rep-a", "rep-a2", "coord-a", "rep-b", "admin-root"}
    n = Notification.objects.filter(kind="tracking.assigned").first()
    assert n.url == f"/tracking/tasks/{task.pk}/"
    assert n.params["units"] == 3 and n.params["task"] == "Tổ chức học tập, quán triệt"
    assert Notification.objects.filter(kind="tracking.assigned").count() == 5


def test_a_unit_without_people_is_told_through_the_nearest_level_above(
    tree, people, django_capture_on_commit_callbacks
):
    """Nobody holds a grant on the cell: its grassroots organisation has none either, the
    commune's reporter reports for it (subtree grant), so the commune's reporter is told, and
    not the province's people above."""
    task = one_off(central_plan(tree))
    _deliver(
        django_capture_on_commit_callbacks,
        lambda: assign_actions.assign(None, task, units=[tree["cell_a"]]),
    )
    assert _told(kind="tracking.assigned") == {"rep-commune-a"}


def test_report_goes_to_the_assigning_units_coordinators(
    tree, people, django_capture_on_commit_callbacks
):
    task = one_off(central_plan(tree))
    assign_actions.assign(None, task, rule="children")
    a = Assignment.objects.get(task=task, unit=tree["prov_a"])
    _deliver(
        django_capture_on_commit_callbacks,
        lambda: report_actions.report_progress(
            people["rep_a"], a, reported_on=D(2022, 3, 1), percent=100, done=True
        ),
    )
    # The root's coordinator and administrator review for the root; the reporter who filed it
    # and the province's people are not told.
    assert _told(kind="tracking.report_submitted") == {"coord-root", "admin-root"}
    n = Notification.objects.get(user=people["coord_root"], kind="tracking.report_submitted")
    assert n.url == f"/tracking/assignments/{a.pk}/"
    with translation.override("vi"):
        assert n.display_title.startswith("Tỉnh An báo cáo hoàn thành, chờ duyệt")


def test_returned_report_tells_the_reporter_with_the_reason(
    tree, people, django_capture_on_commit_callbacks
):
    task = one_off(central_plan(tree))
    assign_actions.assign(None, task, rule="children")
    a = Assignment.objects.get(task=task, unit=tree["prov_a"])
    report = report_actions.report_progress(
        people["admin_root"], a, reported_on=D(2022, 3, 1), percent=40, done=False
    )
    _deliver(
        django_capture_on_commit_callbacks,
        lambda: report_actions.review_report(
            people["coord_root"], report, accept=False, reason="Thiếu minh chứng"
        ),
    )
    # The province's reporters (its nearest level), and the administrator above who filed it
    # for them; not the reviewer, nor the commune below.
    assert _told(kind="tracking.report_returned") == {"rep-a", "rep-a2", "coord-a", "admin-root"}
    n = Notification.objects.filter(kind="tracking.report_returned").first()
    with translation.override("vi"):
        assert "Lý do: Thiếu minh chứng" in n.display_body


def test_accepted_report_tells_the_submitter_and_the_units_reporters(
    tree, people, django_capture_on_commit_callbacks
):
    task = one_off(central_plan(tree))
    assign_actions.assign(None, task, rule="children")
    a = Assignment.objects.get(task=task, unit=tree["prov_a"])
    report = report_actions.report_progress(
        people["coord_a"], a, reported_on=D(2022, 3, 1), percent=100, done=True
    )
    _deliver(
        django_capture_on_commit_callbacks,
        lambda: report_actions.review_report(people["coord_root"], report, accept=True),
    )
    assert _told(kind="tracking.report_accepted") == {"rep-a", "rep-a2", "coord-a"}


def test_explanation_requested_then_answered(tree, people, django_capture_on_commit_callbacks):
    task = one_off(central_plan(tree))
    assign_actions.assign(None, task, rule="children")
    a = Assignment.objects.get(task=task, unit=tree["prov_b"])
    req, _ran = _deliver(
        django_capture_on_commit_callbacks,
        lambda: report_actions.request_explanation(
            people["coord_root"], a, question="Vì sao chậm?"
        ),
    )
    assert _told(kind="tracking.explanation_requested") == {"rep-b"}
    _deliver(
        django_capture_on_commit_callbacks,
        lambda: report_actions.answer_explanation(people["rep_b"], req, answer="Do sáp nhập"),
    )
    assert _told(kind="tracking.explanation_answered") == {"coord-root", "admin-root"}
    n = Notification.objects.get(user=people["coord_root"], kind="tracking.explanation_answered")
    assert n.display_body == "Do sáp nhập"


def test_inactive_users_are_not_told(tree, people, django_capture_on_commit_callbacks):
    """Province B's only reporter left: those who report for it from the root hear instead."""
    people["rep_b"].is_active = False
    people["rep_b"].save()
    task = one_off(central_plan(tree))
    _deliver(
        django_capture_on_commit_callbacks,
        lambda: assign_actions.assign(None, task, units=[tree["prov_b"]]),
    )
    assert _told(kind="tracking.assigned") == {"coord-root", "admin-root"}


def test_a_second_fan_out_of_a_task_tells_only_its_new_units(
    tree, people, django_capture_on_commit_callbacks
):
    task = one_off(central_plan(tree))
    for units in ([tree["prov_a"]], [tree["prov_a"], tree["prov_b"]]):
        _deliver(
            django_capture_on_commit_callbacks,
            lambda units=units: assign_actions.assign(None, task, units=units),
        )
    events = ChangeLogEntry.objects.filter(action="tracking.assign_task").order_by("id")
    first, second = (
        set(Notification.objects.filter(key=key_of(e.pk)).values_list("user__username", flat=True))
        for e in events
    )
    assert first == {"rep-a", "rep-a2", "coord-a"}
    assert second == {"rep-b"}  # province A was assigned already: nothing new for it
