"""Progress reports and deadlines outside 1930–2100 are refused by the forms, the API and the
actions, with a message naming the allowed range; nothing is saved."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from trienkhai.core.actions import ActionError
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.deadlines import InvalidDeadline, parse_deadline
from trienkhai.tracking.models import ProgressReport, Task
from trienkhai.tracking.tests.test_views import client_for, study_of, world  # noqa: F401

D = datetime.date
RANGE = "từ 01/01/1930 đến 31/12/2100"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/1929"])
def test_report_form_refuses_a_date_out_of_range(client, world, typed):  # noqa: F811
    a = study_of(world, "prov_a")
    rep = client_for(client, world["rep_a"])
    resp = rep.post(
        reverse("tracking-report", args=[a.pk]),
        {"state": "done", "reported_on": typed, "percent": "40", "version": a.version},
    )
    assert resp.status_code == 400 and RANGE in resp.content.decode()  # the page, with the form
    a.refresh_from_db()
    assert a.completed_on is None and not ProgressReport.objects.filter(assignment=a).exists()


def test_report_api_and_action_refuse_a_date_out_of_range(world):  # noqa: F811
    a = study_of(world, "prov_a")
    payload = {"reported_on": "0001-01-01", "percent": 100, "done": True}
    r = api(world["rep_a"]).post(f"/api/assignments/{a.pk}/report/", payload, format="json")
    assert r.status_code == 400 and RANGE in r.json()["reported_on"][0]
    with pytest.raises(ActionError) as exc:
        report_actions.report_progress(
            world["rep_a"], a, reported_on=D(1, 1, 1), percent=100, done=True
        )
    assert exc.value.field == "reported_on" and RANGE in str(exc.value.message)
    a.refresh_from_db()
    assert a.completed_on is None and not ProgressReport.objects.filter(assignment=a).exists()


@pytest.mark.parametrize(
    "text",
    [
        "năm 9999",
        "31/12/9999",
        "quý I/0000",
        "năm 0000",
        "hằng năm từ 1900",
        "hằng quý từ 2022 đến 2200",
    ],
)
def test_a_deadline_outside_the_range_is_not_read(text):
    with pytest.raises(InvalidDeadline) as exc:
        parse_deadline(text)
    assert RANGE in str(exc.value)


def test_deadlines_at_the_ends_of_the_range_are_read():
    assert parse_deadline("năm 1930").starts_on == D(1930, 1, 1)
    assert parse_deadline("31/12/2100").due == D(2100, 12, 31)


@pytest.mark.parametrize("text", ["năm 9999", "năm 0000"])
def test_task_form_api_and_action_refuse_a_deadline_out_of_range(client, world, text):  # noqa: F811
    count = Task.objects.count()
    c = client_for(client, world["coord"])
    url = reverse("tracking-task-create", args=[world["plan"].pk])
    resp = c.post(url, {"title": "Sơ kết", "lead_unit": "TW", "deadline_text": text})
    assert resp.status_code == 200 and RANGE in resp.content.decode()
    r = api(world["coord"]).post(
        "/api/tasks/",
        {
            "plan": world["plan"].pk,
            "title": "Sơ kết",
            "lead_unit": world["root"].pk,
            "deadline_text": text,
        },
        format="json",
    )
    assert r.status_code == 400 and RANGE in r.json()["detail"]
    with pytest.raises(ActionError) as exc:
        plan_actions.add_task(
            world["coord"],
            world["plan"],
            title="Sơ kết",
            lead_unit=world["root"],
            deadline_text=text,
        )
    assert exc.value.field == "deadline_text"
    assert Task.objects.count() == count
