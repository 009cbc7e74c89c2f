"""The review queue: who sees which waiting report, deciding in place, accepting many at once,
and "done means accepted" as the figures show it."""

import datetime

import pytest
from django.urls import reverse

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError, PermissionRefused
from trienkhai.core.models import ChangeLogEntry
from trienkhai.tracking import queries
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.actions import review as review_actions
from trienkhai.tracking.models import Assignment, ProgressReport, ReportState
from trienkhai.tracking.review_queue import waiting_reports
from trienkhai.tracking.status import Status
from trienkhai.tracking.tests.test_views import client_for
from trienkhai.tracking.tests.test_views import world as world  # noqa: F401, PLC0414 (a fixture)

D = datetime.date


def _file(world, unit_key, day, done=True, percent=100):
    a = Assignment.objects.get(task=world["study"], unit=world[unit_key])
    return report_actions.report_progress(
        None, a, reported_on=day, percent=percent, done=done, narrative=f"Báo cáo {unit_key}"
    )


@pytest.fixture
def waiting(world):
    return [
        _file(world, "prov_a", D(2022, 3, 10)),
        _file(world, "commune_a", D(2022, 3, 12), done=False, percent=40),
        _file(world, "prov_b", D(2022, 4, 2)),
        _file(world, "commune_b", D(2022, 3, 20)),
    ]


def test_queue_is_scoped_to_the_assigning_units_coordinators(world, waiting):
    coord = world["coord"]  # coordinator of the centre, which assigned every share
    assert [r.pk for r in waiting_reports(coord)] == [r.pk for r in waiting]  # oldest first
    # A province coordinator did not assign these: nothing waits for them.
    assert list(waiting_reports(world["coord_a"])) == []
    assert list(waiting_reports(world["rep_a"])) == []
    done_only = waiting_reports(coord, kind="done")
    assert {r.done for r in done_only} == {True} and done_only.count() == 3
    in_a = waiting_reports(coord, unit=world["prov_a"])
    assert {r.assignment.unit_id for r in in_a} == {world["prov_a"].pk, world["commune_a"].pk}


def test_queue_page_filters_and_decides_in_place(client, world, waiting):
    coord = client_for(client, world["coord"])
    url = reverse("tracking-review-queue")
    page = coord.get(url).content.decode()
    assert "Báo cáo chờ duyệt" in page and "(4)" in page
    for r in waiting:
        assert f'id="report-{r.pk}"' in page
    page = coord.get(url, {"kind": "progress"}).content.decode()
    assert f'id="report-{waiting[1].pk}"' in page and f'id="report-{waiting[0].pk}"' not in page
    assert coord.get(url, {"kind": "everything"}).status_code == 400
    # Return in place, with a reason, and come back to the same filtered queue.
    r = waiting[2]
    resp = coord.post(
        reverse("tracking-review", args=[r.pk]),
        {
            "decision": "return",
            "reason": "Thiếu minh chứng",
            "version": r.version,
            "next": "queue",
            "query": "kind=done",
        },
    )
    assert resp.status_code == 302 and resp.url == url + "?kind=done"
    r.refresh_from_db()
    assert r.state == ReportState.RETURNED and r.return_reason == "Thiếu minh chứng"
    assert Assignment.objects.get(pk=r.assignment_id).claimed_on is None


def test_a_reporter_has_no_queue_link_and_an_empty_queue(client, world, waiting):
    rep = client_for(client, world["rep_a"])
    page = rep.get(reverse("tracking-my-work")).content.decode()
    assert reverse("tracking-review-queue") not in page
    assert (
        "Không có báo cáo nào chờ duyệt"
        in rep.get(reverse("tracking-review-queue")).content.decode()
    )


def test_bulk_accept_confirms_then_moves_the_figures(client, world, waiting):
    coord = client_for(client, world["coord"])
    root = world["root"]
    as_of = D(2022, 4, 5)

    def totals():
        return queries.totals(queries.rollup(world["coord"], unit=root, as_of=as_of))

    before = totals()
    assert before[Status.AWAITING_REVIEW] == 3
    ids = [str(r.pk) for r in waiting]
    confirm = coord.post(reverse("tracking-review-bulk"), {"reports": ids})
    assert confirm.status_code == 200
    assert "Chấp nhận 4 báo cáo?" in confirm.content.decode()
    assert ProgressReport.objects.filter(state=ReportState.SUBMITTED).count() == 4  # not yet
    done = coord.post(reverse("tracking-review-bulk"), {"reports": ids, "confirm": "1"})
    assert done.status_code == 302
    assert ProgressReport.objects.filter(state=ReportState.ACCEPTED).count() == 4
    for r in ProgressReport.objects.filter(pk__in=ids):
        assert (r.version, r.reviewed_by_id, r.return_reason) == (2, world["coord"].pk, "")
        assert r.reviewed_at is not None
    after = totals()
    assert after[Status.AWAITING_REVIEW] == 0
    assert after[Status.DONE_ON_TIME] - before[Status.DONE_ON_TIME] == 2
    assert after[Status.DONE_LATE] - before[Status.DONE_LATE] == 1
    assert ChangeLogEntry.objects.filter(action="tracking.accept_report").count() == 4
    late = Assignment.objects.get(task=world["study"], unit=world["prov_b"])
    assert (late.completed_on, late.claimed_on, late.percent) == (D(2022, 4, 2), None, 100)
    assert late.version == Assignment.objects.get(pk=late.pk).version > 1


def test_bulk_accept_is_all_or_nothing(world, waiting):
    coord_a = factories.user("coord-a2", (Role.COORDINATOR, world["prov_a"]))
    with pytest.raises(PermissionRefused):
        review_actions.accept_reports(coord_a, [waiting[0].pk])
    report_actions.review_report(world["coord"], waiting[3], accept=False, reason="Sai")
    with pytest.raises(ActionError) as err:
        review_actions.accept_reports(world["coord"], [r.pk for r in waiting])
    assert "đã được xem xét" in err.value.message
    assert ProgressReport.objects.filter(state=ReportState.ACCEPTED).count() == 0
    with pytest.raises(ActionError):
        review_actions.accept_reports(world["coord"], [])


def test_bulk_accept_bad_input_is_a_clear_400_or_message(client, world, waiting):
    coord = client_for(client, world["coord"])
    resp = coord.post(reverse("tracking-review-bulk"), {"reports": ["x1"]})
    assert resp.status_code == 400
    resp = coord.post(reverse("tracking-review-bulk"), {"reports": [], "confirm": "1"})
    assert resp.status_code == 302
    assert ProgressReport.objects.filter(state=ReportState.ACCEPTED).count() == 0


def test_large_ids_are_written_without_thousands_separators(client, world, waiting):
    """Ids past 999 must stay plain numbers (Vietnamese formats would print "12.345")."""
    ProgressReport.objects.filter(pk=waiting[0].pk).update(id=12345)
    coord = client_for(client, world["coord"])
    page = coord.get(reverse("tracking-review-queue")).content.decode()
    assert 'id="report-12345"' in page and 'value="12345"' in page
    resp = coord.post(reverse("tracking-review-bulk"), {"reports": ["12345"], "confirm": "1"})
    assert resp.status_code == 302
    assert ProgressReport.objects.get(pk=12345).state == ReportState.ACCEPTED
