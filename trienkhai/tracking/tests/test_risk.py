"""At risk before late: the rule, and its SQL form agreeing with it on random rows."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import bulk
from trienkhai.tracking.models import Assignment, Occurrence
from trienkhai.tracking.risk import at_risk_q, elapsed_share, is_at_risk
from trienkhai.units.models import Unit

D = datetime.date
START, DUE = D(2026, 1, 1), D(2026, 12, 31)


def row(percent=0, started=None, completed=None, claimed=None, due=DUE):
    return Assignment(
        due=due, percent=percent, started_on=started, completed_on=completed, claimed_on=claimed
    )


def test_progress_behind_the_term_gone_is_at_risk():
    mid = D(2026, 7, 2)  # half the term gone
    assert round(elapsed_share(START, DUE, mid), 2) == 0.5
    assert is_at_risk(row(20, started=D(2026, 2, 1)), mid, START)  # 20 % < 50 % - 20
    assert not is_at_risk(row(40, started=D(2026, 2, 1)), mid, START)  # within the margin
    # No report once half the term is gone; but not yet at a quarter.
    assert is_at_risk(row(0), mid, START)
    assert not is_at_risk(row(0), D(2026, 4, 1), START)
    # Overdue is red, not orange; done or awaiting review is not at risk.
    assert not is_at_risk(row(0), D(2027, 1, 5), START)
    assert not is_at_risk(row(100, started=mid, completed=mid), mid, START)
    assert not is_at_risk(row(100, started=mid, claimed=mid), mid, START)


DAYS = [D(2026, m, 1) for m in range(1, 13)] + [DUE]
maybe = st.one_of(st.none(), st.sampled_from(DAYS))


@pytest.fixture
def rows(tree):
    root = tree["root"]
    plan = bulk.plan(bulk.directive(root), root)
    task, occ = bulk.task(plan, due=DUE)
    Occurrence.objects.filter(pk=occ.pk).update(period_start=START)
    return bulk.assign(task, occ, list(Unit.objects.all()), dates=lambda _u: (None, None))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.lists(st.tuples(st.integers(0, 100), maybe, maybe, maybe), min_size=9, max_size=9),
    day=st.sampled_from(DAYS),
)
def test_sql_and_python_agree(rows, values, day):
    for a, (percent, started, completed, claimed) in zip(rows, values, strict=False):
        a.percent, a.started_on, a.completed_on, a.claimed_on = percent, started, completed, claimed
    Assignment.objects.bulk_update(rows, ["percent", "started_on", "completed_on", "claimed_on"])
    python = {a.pk for a in rows if is_at_risk(a, day, START)}
    sql = set(
        Assignment.objects.filter(pk__in=[a.pk for a in rows])
        .filter(at_risk_q(day))
        .values_list("pk", flat=True)
    )
    assert sql == python


def test_dashboard_and_api_show_the_work_at_risk(client, rows, admin_user):
    from rest_framework.test import APIClient

    quiet, slow, fine = rows[0], rows[1], rows[2]
    Assignment.objects.filter(pk=slow.pk).update(percent=10, started_on=D(2026, 2, 1))
    Assignment.objects.filter(pk=fine.pk).update(percent=60, started_on=D(2026, 2, 1))
    others = [a.pk for a in rows[3:]]
    Assignment.objects.filter(pk__in=others).update(completed_on=D(2026, 6, 1))
    client.force_login(admin_user)
    page = client.get("/tracking/", {"as_of": "02/07/2026"}).content.decode()
    assert "Có nguy cơ chậm" in page and "2 nhiệm vụ đang trong hạn" in page
    api = APIClient()
    api.force_authenticate(admin_user)
    body = api.get("/api/assignments/", {"as_of": "2026-07-02", "limit": 500}).json()
    flags = {r["id"]: r["at_risk"] for r in body["results"]}
    assert flags[quiet.pk] and flags[slow.pk] and not flags[fine.pk]
    assert not any(flags[pk] for pk in others)
