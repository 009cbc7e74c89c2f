"""Computed indicators read the system's own records: on-time rate and remediation closed."""

import datetime

from tests.builders import bulk
from trienkhai.indicators import actions, sources
from trienkhai.indicators.models import Source, Value
from trienkhai.inspections.actions import inspections as inspection_actions
from trienkhai.inspections.models import InspectionKind, RemediationRequest, RequestState
from trienkhai.tracking.models import Assignment

D = datetime.date


def _computed(w, code, source):
    ind = actions.add_indicator(
        None,
        w["set"],
        code=code,
        name=code,
        measure="%",
        direction="more",
        aggregation="rate",
        period="quarter",
        source=source,
    )
    ind.indicator_set = w["set"]
    kids = list(actions.cascade_children(w["prov_a"]))
    actions.cascade(None, ind, w["prov_a"], method="manual", figures={k.pk: 90 for k in kids})
    return ind


def _due(w, day, dates_by_unit):
    plan = bulk.plan(w["nq57"], w["prov_a"], date=D(2026, 1, 5))
    task, occ = bulk.task(plan, due=day)
    units = [u for u in (w["commune_a"], w["commune_a2"], w["commune_a3"]) if u in dates_by_unit]
    bulk.assign(task, occ, units, dates=lambda u: dates_by_unit[u])


def test_on_time_rate_per_quarter_counts_only_tasks_due_in_it(world):
    w = world
    ind = _computed(w, "OT", Source.ON_TIME)
    a, a2, a3 = w["commune_a"], w["commune_a2"], w["commune_a3"]
    # Q1: C-a two tasks, one done on time, one late; C-a3 one done on the day; C-a2 none
    _due(w, D(2026, 2, 10), {a: (None, D(2026, 2, 1)), a3: (None, D(2026, 2, 10))})
    _due(w, D(2026, 3, 20), {a: (None, D(2026, 4, 2))})
    # Q2: C-a one not done yet, C-a2 one done early; a claimed completion not yet accepted
    _due(w, D(2026, 5, 15), {a: (D(2026, 5, 1), None), a2: (None, D(2026, 5, 1))})
    Assignment.objects.filter(unit=a, due=D(2026, 5, 15)).update(claimed_on=D(2026, 5, 10))
    units = [a, a2, a3]
    q1 = sources.compute(ind, units, D(2026, 1, 1), D(2026, 3, 31))
    assert q1 == {a.pk: 50, a3.pk: 100}  # C-a2 had nothing due: no figure, not 0
    q2 = sources.compute(ind, units, D(2026, 4, 1), D(2026, 6, 30))
    assert q2 == {a.pk: 0, a2.pk: 100}
    # through the action: values only where something was due, rolled up as an average
    changed = actions.compute(None, ind, today=D(2026, 7, 10))
    assert changed == 4
    stored = {
        (v.unit_id, v.period): v.value for v in Value.objects.filter(indicator=ind, computed=True)
    }
    assert stored == {(a.pk, 1): 50, (a3.pk, 1): 100, (a.pk, 2): 0, (a2.pk, 2): 100}
    # another directive's tasks do not count
    other = bulk.directive(w["root"], date=D(2026, 1, 2))
    plan = bulk.plan(other, w["prov_a"], date=D(2026, 1, 5))
    task, occ = bulk.task(plan, due=D(2026, 2, 10))
    bulk.assign(task, occ, [a2], dates=lambda u: (None, None))
    assert a2.pk not in sources.compute(ind, units, D(2026, 1, 1), D(2026, 3, 31))


def test_remediation_closed_counts_requests_due_by_the_period_end(world):
    w = world
    ind = _computed(w, "KP", Source.REMEDIATION_CLOSED)
    a, a3 = w["commune_a"], w["commune_a3"]
    inspection = inspection_actions.create_inspection(
        None,
        kind=InspectionKind.THEMATIC_INSPECTION,
        unit=w["prov_a"],
        title="Kiểm tra chuyển đổi số",
        team_name="Đoàn 1",
        directives=[w["nq57"]],
        inspected_units=[a, a3],
        period_from=D(2025, 1, 1),
        period_to=D(2025, 12, 31),
        work_from=D(2026, 1, 5),
        work_to=D(2026, 1, 20),
        planned_on=D(2025, 12, 1),
    )
    parts = {p.unit_id: p for p in inspection.parts.all()}

    def req(unit, deadline, closed_on=None):
        RemediationRequest.objects.create(
            part=parts[unit.pk],
            inspection=inspection,
            owner=unit,
            text="Khắc phục",
            deadline=deadline,
            issued_on=D(2026, 1, 25),
            state=RequestState.CLOSED if closed_on else RequestState.IN_PROGRESS,
            closed_on=closed_on,
        )

    req(a, D(2026, 3, 1), closed_on=D(2026, 2, 20))
    req(a, D(2026, 3, 15), closed_on=D(2026, 4, 10))  # closed, but after Q1 ended
    req(a, D(2026, 6, 1))
    req(a3, D(2026, 9, 1), closed_on=D(2026, 5, 1))  # due in Q3: not yet counted in Q1/Q2
    units = [a, a3]
    assert sources.compute(ind, units, D(2026, 1, 1), D(2026, 3, 31)) == {a.pk: 50}
    q2 = sources.compute(ind, units, D(2026, 4, 1), D(2026, 6, 30))
    assert {k: round(v, 1) for k, v in q2.items()} == {a.pk: 66.7}
    q3 = sources.compute(ind, units, D(2026, 7, 1), D(2026, 9, 30))
    assert {k: round(v, 1) for k, v in q3.items()} == {a.pk: 66.7, a3.pk: 100}


def test_the_daily_job_refreshes_computed_indicators_only(world):
    from trienkhai.core.background.schedule import daily_tasks
    from trienkhai.indicators import jobs

    w = world
    assert jobs.compute_indicators.module_path in {d.path for d in daily_tasks()}
    ind = _computed(w, "OT", Source.ON_TIME)
    _due(w, D(2026, 2, 10), {w["commune_a"]: (None, D(2026, 2, 1))})
    result = jobs.compute_all(D(2026, 7, 10))
    assert result["indicators"] == 1 and result["values"] == 1  # CDS-01/02 are reported
    assert Value.objects.get(indicator=ind, unit=w["commune_a"], period=1).value == 100
    # a task completed late since: the next run follows it; a run with nothing new writes nothing
    Assignment.objects.filter(unit=w["commune_a"]).update(completed_on=D(2026, 2, 20))
    assert jobs.compute_all(D(2026, 7, 11))["values"] == 1
    assert Value.objects.get(indicator=ind, unit=w["commune_a"], period=1).value == 0
    assert jobs.compute_all(D(2026, 7, 12))["values"] == 0
