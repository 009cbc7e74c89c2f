"""The three forms of the status rule agree: `status_of` in Python, `status_case` in SQL and the
per-status filters `status_q`, on assignment rows and on the counter rows the triggers keep.

Dates are drawn from a handful of days so that equal dates (completed on the due day, claimed on
the as-of day) come up often: the boundaries are where a changed `<` or `<=` would show.
"""

import datetime
from collections import Counter

import pytest
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import bulk
from trienkhai.tracking.models import Assignment, RollupCounter
from trienkhai.tracking.status import Status, assignment_status, status_case, status_q
from trienkhai.units.models import Unit

D = datetime.date
DAYS = [D(2022, 3, d) for d in (1, 10, 15, 20, 31)] + [D(2022, 4, 5)]
maybe_day = st.one_of(st.none(), st.sampled_from(DAYS))
row = st.tuples(st.sampled_from(DAYS), maybe_day, maybe_day, maybe_day)
ROWS = 9


@pytest.fixture
def rows(tree):
    """ROWS assignments (one task per unit of the small tree, then a second task)."""
    root = tree["root"]
    plan = bulk.plan(bulk.directive(root), root)
    units = list(Unit.objects.order_by("path"))
    out = []
    for n in range(2):
        task, occ = bulk.task(plan, due=DAYS[2], title=f"Nhiệm vụ {n}")
        out += bulk.assign(task, occ, units, dates=lambda _u: (None, None))
    return out[:ROWS]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(row, min_size=ROWS, max_size=ROWS), as_of=st.sampled_from(DAYS))
def test_python_case_and_filters_agree(rows, values, as_of):
    for a, (due, started, completed, claimed) in zip(rows, values, strict=True):
        a.due, a.started_on, a.completed_on, a.claimed_on = due, started, completed, claimed
    Assignment.objects.bulk_update(rows, ["due", "started_on", "completed_on", "claimed_on"])
    ids = [a.pk for a in rows]
    python = {a.pk: assignment_status(a, as_of) for a in rows}

    qs = Assignment.objects.filter(pk__in=ids)
    case = dict(qs.annotate(st=status_case(as_of)).values_list("pk", "st"))
    assert case == python

    by_filter: dict[int, list[str]] = {pk: [] for pk in ids}
    for status in Status.ORDER:
        for pk in qs.filter(status_q(status, as_of)).values_list("pk", flat=True):
            by_filter[pk].append(status)
    assert by_filter == {pk: [s] for pk, s in python.items()}

    # The counters keep "never" as 9999-12-31: the same rules read them the same way.
    counters = RollupCounter.objects.filter(n__gt=0)
    from_counters = Counter()
    for status, n in (
        counters.annotate(st=status_case(as_of))
        .values("st")
        .annotate(k=Sum("n"))
        .values_list("st", "k")
    ):
        from_counters[status] += n
    every = Counter(assignment_status(a, as_of) for a in Assignment.objects.all())
    assert +from_counters == +every
    for status in Status.ORDER:
        n = counters.filter(status_q(status, as_of)).aggregate(k=Sum("n"))["k"] or 0
        assert n == every[status], status


def test_awaiting_review_is_its_own_figure():
    due = D(2022, 3, 31)
    assert assignment_status_of(due, claimed=D(2022, 3, 20), as_of=D(2022, 3, 25)) == (
        Status.AWAITING_REVIEW
    )
    # Before the unit reported, the claim is not there yet; after the due date it is not overdue.
    assert assignment_status_of(due, claimed=D(2022, 4, 5), as_of=D(2022, 4, 1)) == Status.OVERDUE
    assert assignment_status_of(due, claimed=D(2022, 4, 5), as_of=D(2022, 4, 6)) == (
        Status.AWAITING_REVIEW
    )
    # Accepted, it counts by the date the unit reported.
    assert assignment_status_of(due, completed=D(2022, 4, 5), as_of=D(2022, 4, 6)) == (
        Status.DONE_LATE
    )


def assignment_status_of(due, *, as_of, completed=None, claimed=None, started=None):
    a = Assignment(due=due, completed_on=completed, claimed_on=claimed, started_on=started)
    return assignment_status(a, as_of)
