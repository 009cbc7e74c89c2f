"""Explanations that count: a request with a day to answer by, the answer, the API, and the
counts on the unit page, in the ranking and in the classification's flags."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError, PermissionRefused
from trienkhai.evaluations.providers import explanations as explanation_flags
from trienkhai.tracking import queries
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import Assignment, ExplanationRequest
from trienkhai.tracking.tests.test_actions import central_plan, one_off

DAY = datetime.timedelta(days=1)


@pytest.fixture
def late(tree):
    """Overdue assignments at both communes (due long ago, nothing reported)."""
    task = one_off(central_plan(tree), deadline="quý I/2022")
    assign_actions.assign(None, task, units=[tree["commune_a"], tree["commune_b"]], rule="units")
    return {u: Assignment.objects.get(task=task, unit=tree[u]) for u in ("commune_a", "commune_b")}


@pytest.fixture
def people(tree):
    return {
        "coord": factories.user("coord", (Role.COORDINATOR, tree["root"])),
        "rep_a": factories.user("rep-a", (Role.REPORTER, tree["commune_a"], False)),
        "viewer": factories.user("viewer", (Role.VIEWER, tree["root"])),
    }


def _ask(who, a, answer_by=None):
    return report_actions.request_explanation(who, a, question="Vì sao chậm?", answer_by=answer_by)


def test_request_has_a_day_to_answer_by_and_checks_role_and_state(tree, late, people):
    today = timezone.localdate()
    req = _ask(people["coord"], late["commune_a"])
    assert req.answer_by == today + 7 * DAY and req.requested_by == people["coord"]
    with pytest.raises(ActionError):
        _ask(people["coord"], late["commune_a"], answer_by=today - DAY)
    with pytest.raises(PermissionRefused):
        _ask(people["rep_a"], late["commune_a"])
    on_time = one_off(central_plan(tree), deadline="31/12/2099")
    assign_actions.assign(None, on_time, units=[tree["commune_a"]], rule="units")
    with pytest.raises(ActionError):
        _ask(people["coord"], Assignment.objects.get(task=on_time))


def test_counts_answered_late_and_overdue(tree, late, people):
    today = timezone.localdate()
    on_time = _ask(people["coord"], late["commune_a"])
    report_actions.answer_explanation(people["rep_a"], on_time, answer="Đã rõ.")
    answered_late = _ask(people["coord"], late["commune_a"], answer_by=today)
    ExplanationRequest.objects.filter(pk=answered_late.pk).update(answer_by=today - 3 * DAY)
    report_actions.answer_explanation(people["rep_a"], answered_late, answer="Muộn.")
    overdue = _ask(people["coord"], late["commune_b"])
    ExplanationRequest.objects.filter(pk=overdue.pk).update(answer_by=today - DAY)
    _ask(people["coord"], late["commune_b"])  # open, not yet due

    viewer = people["viewer"]
    whole = queries.explanation_counts(viewer, unit=tree["root"], as_of=today)[tree["root"].path]
    assert (whole.requested, whole.answered, whole.answered_late) == (4, 2, 1)
    assert (whole.unanswered, whole.overdue) == (2, 1)
    by_child = queries.explanation_counts(viewer, unit=tree["root"], as_of=today, by_child=True)
    assert by_child[tree["prov_a"].path].answered_late == 1
    assert by_child[tree["prov_b"].path].overdue == 1
    own = queries.explanation_counts(viewer, unit=tree["prov_a"], as_of=today, own=True)
    assert own == {}  # the province itself was asked nothing
    # Scoped: a reporter of commune A sees only its own.
    mine = queries.explanation_counts(people["rep_a"], unit=tree["root"], as_of=today)
    assert mine[tree["root"].path].requested == 2

    flags = explanation_flags(
        [tree["commune_a"].pk, tree["commune_b"].pk, tree["prov_a"].pk], today.year, today
    )
    assert set(flags) == {tree["commune_a"].pk, tree["commune_b"].pk}
    assert flags[tree["commune_a"].pk][0].count == 1
    assert flags[tree["commune_b"].pk][0].kind == "explanations"


def test_unit_page_and_ranking_show_the_counts(client, tree, late, people):
    _ask(people["coord"], late["commune_a"])
    client.force_login(people["viewer"])
    page = client.get(f"/units/{tree['commune_a'].pk}/").content.decode()
    assert 'class="list explanation-record"' in page
    row = page.split('<tr class="own">')[1].split("</tr>")[0]
    assert [c.split("<")[0] for c in row.split('<td class="num">')[1:]] == ["1", "0", "0", "1", "0"]
    today = timezone.localdate()
    dash = client.get(
        "/tracking/",
        {"unit": tree["root"].pk, "start": "01/01/2022", "end": today.strftime("%d/%m/%Y")},
    ).content.decode()
    assert '<td class="num explanations">1 / 0 / 1</td>' in dash


def test_api_lists_asks_and_answers(tree, late, people):
    api = APIClient()
    api.force_authenticate(people["coord"])
    made = api.post(
        "/api/explanations/",
        {"assignment": late["commune_a"].pk, "question": "Vì sao chậm?"},
        format="json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["requested_by"] == "coord" and body["answer_by"]
    bad = api.post(
        "/api/explanations/",
        {"assignment": late["commune_a"].pk, "question": "x", "answer_by": "01/01/2000"},
        format="json",
    )
    assert bad.status_code == 400
    assert ExplanationRequest.objects.count() == 1
    api.force_authenticate(people["rep_a"])
    assert api.get("/api/explanations/").json()["count"] == 1
    answered = api.post(f"/api/explanations/{body['id']}/answer/", {"answer": "Đã rõ."})
    assert answered.status_code == 200, answered.content
    assert answered.json()["answered_by"] == "rep-a"
    again = api.post(f"/api/explanations/{body['id']}/answer/", {"answer": "Lần nữa"})
    assert again.status_code == 400
    outsider = factories.user("o", (Role.VIEWER, tree["prov_b"]))
    api.force_authenticate(outsider)
    assert api.get(f"/api/explanations/{body['id']}/").status_code == 404
