"""Bulk builder of tracking rows for tests and benchmarks — a fixture builder, NOT an action.

It writes Plan / Task / Occurrence / Assignment / ProgressReport rows directly (bulk_create, or
INSERT … SELECT for the national data set) with no permission check and no change-log record,
so that tests can set up many rows with known dates and `bench/bench_tracking.py` can fill a
national tree with 3,000,000 assignments in minutes. Product code must use tracking.actions.
"""

import datetime
import itertools
import random
import secrets

from django.db import connection, transaction

from trienkhai.documents.models import DocType, Document, System
from trienkhai.tracking import counters
from trienkhai.tracking.models import Assignment, Occurrence, Plan, Task, TaskKind
from trienkhai.units.models import Unit

_seq = itertools.count(1)


def directive(unit: Unit, *, date=datetime.date(2021, 10, 25), subject="Kết luận") -> Document:
    # A random number: the builder may run again on a database it filled before.
    n = f"{next(_seq)}{secrets.token_hex(3)}"
    return Document.objects.bulk_create(
        [
            Document(
                system=System.PARTY,
                doc_type=DocType.choices[0][0],
                number=f"B{n}",
                type_code="KL",
                issuer_code="TW",
                symbol=f"B{n}-KL/TW",
                issuing_unit=unit,
                term="bulk",
                date=date,
                subject=f"{subject} {n}",
            )
        ]
    )[0]


def plan(directive_doc: Document, unit: Unit, *, date=datetime.date(2021, 12, 1)) -> Plan:
    doc = directive(unit, date=date, subject="Kế hoạch")
    return Plan.objects.bulk_create([Plan(document=doc, unit=unit, directive=directive_doc)])[0]


def task(plan_: Plan, *, due: datetime.date, requires_plan=False, title="Nhiệm vụ"):
    """A one-off task and its single occurrence."""
    t = Task.objects.bulk_create(
        [
            Task(
                plan=plan_,
                title=title,
                lead_unit=plan_.unit,
                kind=TaskKind.ONE_OFF,
                deadline=due,
                requires_plan=requires_plan,
            )
        ]
    )[0]
    occ = Occurrence.objects.bulk_create(
        [Occurrence(task=t, label=due.isoformat(), period_start=due, period_end=due, due=due)]
    )[0]
    return t, occ


def random_dates(rng: random.Random, due: datetime.date):
    """(started_on, completed_on) spread around `due`: on time, late, started, or untouched."""
    day = datetime.timedelta(days=1)
    r = rng.random()
    if r < 0.35:
        done = due - rng.randint(0, 40) * day
        return done - rng.randint(0, 20) * day, done
    if r < 0.6:
        return due - rng.randint(0, 30) * day, due + rng.randint(1, 60) * day
    if r < 0.8:
        return due - rng.randint(-20, 40) * day, None
    return None, None


def assign(task_: Task, occ: Occurrence, units, *, rng=None, dates=None) -> list[Assignment]:
    """One Assignment per unit. `dates(unit) -> (started_on, completed_on)` or random ones."""
    rng = rng or random.Random(0)
    rows = []
    for u in units:
        started, completed = dates(u) if dates else random_dates(rng, occ.due)
        claimed = None
        if completed and not dates and rng.random() < 0.2:  # reported done, not yet accepted
            claimed, completed = completed, None
        rows.append(
            Assignment(
                occurrence=occ,
                task=task_,
                directive_id=task_.plan.directive_id,
                unit=u,
                unit_path=u.path,
                assigned_by_id=task_.plan.unit_id,
                due=occ.due,
                requires_plan=task_.requires_plan,
                started_on=started,
                completed_on=completed,
                claimed_on=claimed,
                percent=100 if completed or claimed else (50 if started else 0),
            )
        )
    return Assignment.objects.bulk_create(rows, batch_size=2000)


# --- national scale (benchmarks) -----------------------------------------------------------


def _add_days(date_sql: str, days_sql: str) -> str:
    if connection.vendor == "postgresql":
        return f"({date_sql}::date + ({days_sql})::int)"
    return f"date({date_sql}, ({days_sql}) || ' days')"


def _insert_assignments(t: Task, occ: Occurrence, root: Unit, where: str, salt: int) -> int:
    """INSERT … SELECT one assignment per unit matching `where`, dates from a hash of the id."""
    # Literals built from a date object and a bool only: nothing user-typed reaches the SQL.
    due = f"'{occ.due.isoformat()}'"
    flag = (
        ("TRUE" if t.requires_plan else "FALSE")
        if connection.vendor == "postgresql"
        else ("1" if t.requires_plan else "0")
    )
    h = f"((u.id * 2654435761 + {salt} * 97) %% 1000)"
    started = (
        f"CASE WHEN {h} < 450 THEN {_add_days(due, f'-(({h}) %% 60) - 10')} "
        f"WHEN {h} < 650 THEN {_add_days(due, '-20')} "
        f"WHEN {h} < 800 THEN {_add_days(due, f'-(({h}) %% 40) - 1')} ELSE NULL END"
    )
    completed = (
        f"CASE WHEN {h} < 420 THEN {_add_days(due, f'-(({h}) %% 60)')} "
        f"WHEN {h} >= 450 AND {h} < 650 THEN {_add_days(due, f'(({h}) %% 90) + 1')} ELSE NULL END"
    )
    # 3 % reported done and awaiting review.
    claimed = f"CASE WHEN {h} >= 420 AND {h} < 450 THEN {_add_days(due, f'-(({h}) %% 60)')} END"
    percent = f"CASE WHEN {h} < 650 THEN 100 WHEN {h} < 800 THEN 50 ELSE 0 END"
    # Only ints, a date literal and fixed fragments are interpolated below.
    day = _add_days(due, "0")
    sql = (
        "INSERT INTO tracking_assignment (occurrence_id, task_id, "  # noqa: S608
        "directive_id, unit_id, unit_path, assigned_by_id, due, requires_plan, started_on, "
        "completed_on, claimed_on, percent, fulfilled_by_id, version) "
        f"SELECT %s, %s, %s, u.id, u.path, %s, {day}, {flag}, {started}, {completed}, "
        f"{claimed}, {percent}, NULL, 1 FROM units_unit u WHERE {where}"
    )
    params = [occ.pk, t.pk, t.plan.directive_id, root.pk]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount


_SQLITE_TRIGGERS = (
    (counters.SQLITE_INSTALL, counters.SQLITE_UNINSTALL),
    (counters.SQLITE_COVERAGE_INSTALL, counters.SQLITE_COVERAGE_UNINSTALL),
    (counters.SQLITE_SETTLED_INSTALL, counters.SQLITE_SETTLED_UNINSTALL),
    (counters.SQLITE_UNIT_COVERAGE_INSTALL, counters.SQLITE_UNIT_COVERAGE_UNINSTALL),
)


def _sqlite_counters_off() -> None:
    """SQLite keeps the counters with row triggers: millions of rows inserted at once are
    counted faster by a rebuild afterwards (`_sqlite_counters_on`)."""
    with connection.cursor() as cur:
        for _install, uninstall in _SQLITE_TRIGGERS:
            for sql in uninstall:
                cur.execute(sql)


def _sqlite_counters_on() -> None:
    with connection.cursor() as cur:
        for install, _uninstall in _SQLITE_TRIGGERS:
            for sql in install:
                cur.execute(sql)
    counters.rebuild()
    counters.rebuild_coverage()
    counters.rebuild_unit_coverage()
    counters.rebuild_settled()


def build_national(*, directives: int = 200, reports_per_assignment: int = 2, stdout=None) -> dict:
    """`_build_national`, with SQLite's counter triggers off during the load and the counters
    rebuilt after it."""
    if connection.vendor != "sqlite":
        return _build_national(directives, reports_per_assignment, stdout)
    _sqlite_counters_off()
    try:
        return _build_national(directives, reports_per_assignment, stdout)
    finally:
        _sqlite_counters_on()


def _build_national(directives: int, reports_per_assignment: int, stdout) -> dict:
    """Tracking rows over a tree made by `trienkhai generate`.

    Directive 1 is assigned to every unit (a one-off task) and asks every non-cell unit for its
    plan (requires_plan); directives 2…N each go to ~1/23 of the units across the country. With
    the default tree: ~3,000,000 assignments, `reports_per_assignment` reports each.
    """
    root = Unit.objects.get(depth=0, parent__isnull=True, code="G")
    counts = {"assignments": 0, "reports": 0}

    def say(text):
        if stdout is not None:
            stdout.write(text + "\n")
            stdout.flush()

    with transaction.atomic():
        for d in range(1, directives + 1):
            doc = directive(root, subject=f"Chỉ thị quốc gia {d}")
            p = plan(doc, root)
            due = datetime.date(2022, 3, 31) + datetime.timedelta(days=(d * 37) % 700)
            t, occ = task(p, due=due)
            if d == 1:
                counts["assignments"] += _insert_assignments(t, occ, root, "1 = 1", d)
                t2, occ2 = task(p, due=datetime.date(2021, 12, 31), requires_plan=True)
                counts["assignments"] += _insert_assignments(
                    t2, occ2, root, "u.kind <> 'cell'", d + 1000
                )
            else:
                counts["assignments"] += _insert_assignments(
                    t, occ, root, f"(u.id + {d}) %% 23 = 0", d
                )
            if d % 20 == 0:
                say(f"  {d} chỉ thị, {counts['assignments']} phân công")
    if reports_per_assignment:
        now = "now()" if connection.vendor == "postgresql" else "CURRENT_TIMESTAMP"
        ks = " UNION ALL ".join(f"SELECT {k} AS k" for k in range(1, reports_per_assignment + 1))
        last = f"ks.k = {reports_per_assignment}"
        done = f"({last} AND (a.completed_on IS NOT NULL OR a.claimed_on IS NOT NULL))"
        # Done means accepted: the reports of completed work were accepted; the last report of
        # work claimed done waits for review, as does nothing else.
        waiting = f"({last} AND a.claimed_on IS NOT NULL)"
        sql = (
            "INSERT INTO tracking_progressreport (assignment_id, assigner_path, "  # noqa: S608
            "reported_on, done, percent, "
            "narrative, target_reached, state, submitted_by_id, submitted_at, reviewed_by_id, "
            "reviewed_at, return_reason, version) "
            f"SELECT a.id, u.path, COALESCE(a.completed_on, a.claimed_on, a.due), {done}, "
            "a.percent, "
            f"'', NULL, CASE WHEN {waiting} THEN 'submitted' ELSE 'accepted' END, NULL, {now}, "
            f"NULL, CASE WHEN {waiting} THEN NULL ELSE {now} END, '', 1 "
            "FROM tracking_assignment a JOIN units_unit u ON u.id = a.assigned_by_id "
            f"CROSS JOIN ({ks}) ks"
        )
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
            counts["reports"] = cur.rowcount
    return counts
