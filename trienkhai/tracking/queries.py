"""Roll-ups, plan coverage, overdue lists, rankings and trends over assignments. All scoped.

Every function reads `Assignment` rows through `visible_assignments(user)` (a range condition on
the copied `unit_path`, see `accounts.scope.path_scope`) and computes statuses only through
`tracking.status` (`status_case` / `status_q`). "By child" is one GROUP BY on the child segment of
`unit_path` — `Substr(unit_path, 1, len(unit.path) + SEGMENT_WIDTH)` — and one query maps those
paths back to units. Rows assigned to the unit itself form their own "own" line.

Counts by status at the root, for a user who reaches the whole tree, come instead from the
pre-aggregated `RollupCounter` rows (tracking/counters.py): the same `status_case` over the same
three dates, summed; `tests/test_counters.py` checks both sources give the same answers.
"""

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Max, Q, Sum, Value, When
from django.db.models.functions import Substr, TruncDate
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from trienkhai.accounts.classified import restrict
from trienkhai.accounts.scope import path_scope, reaches_subtree
from trienkhai.tracking.counters import NEVER, TOP_LEN
from trienkhai.tracking.models import (
    Assignment,
    CoverageCounter,
    ExplanationRequest,
    RollupCounter,
    SettledCounter,
    Task,
    UnitCoverageCounter,
)
from trienkhai.tracking.status import Status, status_of, status_q
from trienkhai.tree.paths import SEGMENT_WIDTH, UPPER
from trienkhai.units.models import Unit
from trienkhai.units.queries import full_path_names, visible_units

MISSING_LIMIT = 200
FEW_GROUPS = 2000  # counter rows not yet settled worth reading apart (see _few_unsettled)


def visible_assignments(user, role: str = "viewer"):
    return Assignment.objects.filter(path_scope(user, "unit_path", role))


def _whole_tree(unit: Unit) -> bool:
    """Whether `unit` is the only root, so its subtree is every row.

    Then the path range is left out: it selects everything anyway, and SQLite's planner would
    otherwise walk the path index instead of the (due, id) index for "oldest overdue first".
    """
    if unit.parent_id is not None:
        return False
    # Asked by every read of a page; the answer is kept on the unit object for its lifetime.
    only = getattr(unit, "_only_root", None)
    if only is None:
        only = not Unit.objects.filter(parent__isnull=True).exclude(pk=unit.pk).exists()
        unit._only_root = only
    return only


def _subtree(user, unit: Unit, directive=None, task=None):
    qs = visible_assignments(user)
    if not _whole_tree(unit):
        qs = qs.filter(unit_path__gte=unit.path, unit_path__lt=unit.path + UPPER)
    if directive is not None:
        qs = qs.filter(directive=directive)
    if task is not None:
        qs = qs.filter(task=task)
    return qs


def _child_key(unit: Unit):
    return Substr("unit_path", 1, len(unit.path) + SEGMENT_WIDTH)


@dataclass
class _Source:
    """Where counts by status come from: assignment rows, or counters of them."""

    rows: object  # queryset
    child: object  # expression: the child of `unit` holding the row
    count: type  # Count or Sum
    column: str  # what `count` adds up (a NOT NULL column of the covering index)
    # Every directive at the root: the settled counts (`SettledCounter` rows under the unit),
    # which stand for the counter rows settled before the as-of date's month.
    settled: object = None


def _counters_hold(user, unit: Unit, task=None) -> bool:
    """Counters answer by child of the root, for a user who reaches the whole tree."""
    return task is None and len(unit.path) == SEGMENT_WIDTH and reaches_subtree(user, unit)


def _source(user, unit: Unit, directive=None, task=None) -> _Source:
    """Counters when they hold the question (the root's children, whole tree readable)."""
    if _counters_hold(user, unit, task):
        rows = RollupCounter.objects.filter(
            top_path__gte=unit.path, top_path__lt=unit.path + UPPER, n__gt=0
        )
        if directive is not None:
            return _Source(rows.filter(directive_id=directive.pk), F("top_path"), Sum, "n")
        settled = SettledCounter.objects.filter(
            top_path__gte=unit.path, top_path__lt=unit.path + UPPER
        )
        return _Source(rows, F("top_path"), Sum, "n", settled)
    return _Source(_subtree(user, unit, directive, task), _child_key(unit), Count, "unit_path")


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _unsettled(rows, cut: datetime.date):
    """Counter rows whose status can still change from `cut` (a first of the month) on: those
    completed from then on, completions reported from then on (awaiting review), and those
    neither completed nor reported that fall due from then on. Index ranges
    (`rollup_counter_settle`), not every directive's rows."""
    return rows.filter(
        Q(completed_on__gte=cut, completed_on__lt=NEVER)
        | Q(completed_on=NEVER, claimed_on__gte=cut, claimed_on__lt=NEVER)
        | Q(completed_on=NEVER, claimed_on=NEVER, due__gte=cut)
    )


# The settled counters' status names (tracking/counters.py) that are not `Status` names.
SETTLED_STATUS = {"pending": Status.AWAITING_REVIEW}


def _settled_before(source: _Source, cut: datetime.date) -> list[tuple[str, str, int]]:
    """(child, final status, n) of the rows settled before `cut`: final for any date after."""
    rows = (
        source.settled.filter(month__lt=cut)
        .values("top_path", "status")
        .annotate(k=Sum("n"))
        .order_by()
    )
    return [
        (row["top_path"], SETTLED_STATUS.get(row["status"], row["status"]), row["k"])
        for row in rows
        if row["k"]
    ]


def _grouped(source: _Source, specs: dict) -> dict[str, list[tuple[str, str, int]]]:
    """Several roll-ups in one scan: `specs` maps a name to (as_of, extra row filter or None);
    each gets its (child, status, n) triples, zeros left out.

    One filtered count per status and child: cheaper than grouping on a CASE (PostgreSQL:
    8 vs 12 ms for a province's 20,000 rows), and the dashboard's roll-up and ranking share it.
    """
    annotations = {}
    for name, (as_of, only) in specs.items():
        for status in Status.ORDER:
            condition = status_q(status, as_of)
            if only is not None:
                condition &= only
            annotations[f"{name}_{status}"] = source.count(source.column, filter=condition)
    grouped = (
        source.rows.annotate(child=source.child).values("child").annotate(**annotations).order_by()
    )
    out: dict[str, list] = {name: [] for name in specs}
    for row in grouped:
        for name in specs:
            for status in Status.ORDER:
                n = row[f"{name}_{status}"] or 0
                if n:
                    out[name].append((row["child"], status, n))
    return out


def _few_unsettled(source: _Source, cut: datetime.date) -> bool:
    """Whether at most FEW_GROUPS counter rows are not yet settled at `cut`: a probe of that
    many index entries at most. When the as-of date is recent they are a handful; for a date
    years back most rows are, and one scan of them all (as for one directive) is cheaper."""
    return _unsettled(source.rows, cut).values("pk")[FEW_GROUPS : FEW_GROUPS + 1].count() == 0


def _by_child_and_status(source: _Source, as_of: datetime.date):
    cut = _month_start(as_of)
    if source.settled is None or not _few_unsettled(source, cut):
        return _grouped(replace(source, settled=None), {"all": (as_of, None)})["all"]
    # The rows not yet settled, by `status_of`: cheaper than compiling the filtered sums.
    out = _settled_before(source, cut)
    recent = (
        _unsettled(source.rows, cut)
        .values_list("top_path", "due", "started_on", "completed_on", "claimed_on")
        .annotate(k=Sum("n"))
        .order_by()
    )
    for child, due, started, completed, claimed, k in recent:
        out.append((child, status_of(due, completed, started, as_of, claimed), k))
    return out


def _child_units(user, unit: Unit, paths) -> dict[str, Unit]:
    """The units behind child paths, in one query (scoped: an invisible child is not named)."""
    wanted = sorted(p for p in paths if p != unit.path)
    if not wanted:
        return {}
    return {u.path: u for u in visible_units(user).filter(path__in=wanted)}


def percent_text(part: int, whole: int) -> str:
    """ "92,5" / "100": one decimal only when needed, in the active language's number format."""
    if not whole:
        return number_format(0)
    value = round(100 * part / whole, 1)
    return number_format(value, 0 if value == int(value) else 1)


# --- roll-up -----------------------------------------------------------------------------


@dataclass
class ChildRow:
    """One line of a roll-up: a child of the unit (with its subtree) or the unit's own rows."""

    path: str
    unit: Unit | None
    own: bool
    counts: dict = field(default_factory=lambda: dict.fromkeys(Status.ORDER, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def on_time_rate(self) -> float | None:
        """Done on time among the rows already decided (done, or overdue); None if none are."""
        decided = (
            self.counts[Status.DONE_ON_TIME]
            + self.counts[Status.DONE_LATE]
            + self.counts[Status.OVERDUE]
        )
        return self.counts[Status.DONE_ON_TIME] / decided if decided else None

    @property
    def name(self) -> str:
        if self.own:
            return _("Trực tiếp %(name)s") % {"name": self.unit.name if self.unit else ""}
        return self.unit.name if self.unit else self.path


def _rows(user, unit: Unit, grouped, names: dict | None = None) -> list[ChildRow]:
    """ChildRows from (child path, status, n) triples: own first, then children by name."""
    rows: dict[str, ChildRow] = {}
    for path, status, n in grouped:
        row = rows.get(path)
        if row is None:
            row = rows[path] = ChildRow(path=path, unit=None, own=(path == unit.path))
        row.counts[status] += n
    if names is None:
        names = _child_units(user, unit, rows)
    for row in rows.values():
        row.unit = unit if row.own else names.get(row.path)
    return sorted(rows.values(), key=lambda r: (not r.own, r.name))


def rollup(
    user, *, unit: Unit, directive=None, task=None, as_of: datetime.date, names=None
) -> list[ChildRow]:
    """Counts by status for each child of `unit` (and the unit's own rows) as of a date.
    `names`: a dict the child units are put in by path (for a coverage read next)."""
    grouped = _by_child_and_status(_source(user, unit, directive, task), as_of)
    if names is not None:
        names.update(_child_units(user, unit, {path for path, _s, _n in grouped}))
    return _rows(user, unit, grouped, names)


def subtree_totals(user, *, unit: Unit, directive=None, as_of: datetime.date) -> dict:
    """Counts by status over the unit's whole subtree as of a date (a summary band's figures).

    The counters are kept per child of the root, so for such a unit — a province — whose whole
    subtree the user reads, its totals are its own counter rows: the settled counts and the rows
    not yet settled, not the hundreds of thousands of assignments below it."""
    if len(unit.path) == TOP_LEN and reaches_subtree(user, unit):
        rows = RollupCounter.objects.filter(top_path=unit.path, n__gt=0)
        if directive is not None:
            source = _Source(rows.filter(directive_id=directive.pk), F("top_path"), Sum, "n")
        else:
            settled = SettledCounter.objects.filter(top_path=unit.path)
            source = _Source(rows, F("top_path"), Sum, "n", settled)
    else:
        source = _source(user, unit, directive)
    out = dict.fromkeys(Status.ORDER, 0)
    for _child, status, n in _by_child_and_status(source, as_of):
        out[status] += n
    return out


def totals(rows: list[ChildRow]) -> dict:
    out = dict.fromkeys(Status.ORDER, 0)
    for row in rows:
        for status, n in row.counts.items():
            out[status] += n
    return out


# --- coverage ----------------------------------------------------------------------------


@dataclass
class CoverageLine:
    path: str
    unit: Unit | None
    own: bool
    total: int
    met: int
    late: int

    @property
    def percent(self) -> str:
        return percent_text(self.met, self.total)


@dataclass
class Missing:
    unit: Unit
    full_path: str
    due: datetime.date


@dataclass
class Coverage:
    """Plan obligations ("each unit below issues its own plan") met by units, as of a date."""

    total: int
    met: int
    late: int
    lines: list[CoverageLine]
    missing: list[Missing]
    missing_count: int

    @property
    def percent(self) -> str:
        return percent_text(self.met, self.total)

    @property
    def text(self) -> str:
        return _("%(met)s/%(total)s đơn vị đã ban hành kế hoạch (%(percent)s%%)") % {
            "met": number_format(self.met),
            "total": number_format(self.total),
            "percent": self.percent,
        }


def _coverage_by_child(base, unit: Unit, as_of: datetime.date) -> list[tuple[str, int, int, int]]:
    """(child, units, units with an unmet obligation, units with one met late) per child.

    Each unit's obligations are first folded into one line (grouped by path and unit, which the
    partial index `asg_plan_obligation` yields in order), then the lines are counted per child:
    on PostgreSQL 26 ms for the country's 58,000 obligations, against 45 ms for COUNT(DISTINCT).
    """
    met = Q(completed_on__isnull=False, completed_on__lte=as_of)

    def flag(condition):
        return Max(
            Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
        )

    per_unit = (
        base.values("unit_path", "unit_id")
        .annotate(unmet=flag(~met), late=flag(status_q(Status.DONE_LATE, as_of)))
        .values("unit_path", "unmet", "late")
        .order_by()
    )
    sql, params = per_unit.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT substr(unit_path, 1, %s) AS child, count(*), sum(unmet), sum(late) "  # noqa: S608 (compiled queryset)
            f"FROM ({sql}) AS per_unit GROUP BY 1",
            (len(unit.path) + SEGMENT_WIDTH, *params),
        )
        return [(c, total, unmet or 0, late or 0) for c, total, unmet, late in cursor.fetchall()]


def _coverage_from_counters(unit: Unit, directive, as_of: datetime.date):
    """The same lines as `_coverage_by_child`, from the folded counters (one directive only:
    a unit owing plans under two directives is one unit of coverage, but two folds)."""
    rows = (
        CoverageCounter.objects.filter(
            directive_id=directive.pk,
            top_path__gte=unit.path,
            top_path__lt=unit.path + UPPER,
            n__gt=0,
        )
        .values("top_path")
        .annotate(
            total=Sum("n"),
            unmet=Sum("n", filter=Q(met_on__gt=as_of)),
            late=Sum("n", filter=Q(late_on__lte=as_of)),
        )
        .values_list("top_path", "total", "unmet", "late")
        .order_by()
    )
    return [(c, total, unmet or 0, late or 0) for c, total, unmet, late in rows]


def _unit_coverage_from_counters(unit: Unit, as_of: datetime.date):
    """The same lines for every directive together: each unit's obligations folded across
    directives (`UnitCoverageCounter`), instead of folding the country's obligations here."""
    rows = (
        UnitCoverageCounter.objects.filter(
            top_path__gte=unit.path, top_path__lt=unit.path + UPPER, n__gt=0
        )
        .values("top_path")
        .annotate(
            total=Sum("n"),
            unmet=Sum("n", filter=Q(met_on__gt=as_of)),
            late=Sum("n", filter=Q(late_on__lte=as_of)),
        )
        .values_list("top_path", "total", "unmet", "late")
        .order_by()
    )
    return [(c, total, unmet or 0, late or 0) for c, total, unmet, late in rows]


def coverage_totals(user, *, unit: Unit, as_of: datetime.date) -> tuple[int, int]:
    """(units whose every plan obligation is met, units with an obligation) in the subtree, every
    directive together: a summary band's figure, without `coverage`'s lines and names. For a
    child of the root whose subtree the user reads, its own folded counter rows."""
    if len(unit.path) <= TOP_LEN and reaches_subtree(user, unit):
        per_child = _unit_coverage_from_counters(unit, as_of)
    else:
        base = _subtree(user, unit).filter(requires_plan=True)
        per_child = _coverage_by_child(base, unit, as_of)
    total = sum(row[1] for row in per_child)
    return total - sum(row[2] for row in per_child), total


def coverage(
    user,
    *,
    unit: Unit,
    directive=None,
    task=None,
    as_of: datetime.date,
    missing_limit: int = MISSING_LIMIT,
    names: dict | None = None,
) -> Coverage:
    """Who has issued their implementing plan: met = completed by `as_of`, late = after due.

    A unit counts as having issued when every plan obligation it has in the filter is met.
    `names`: the child units by path when the caller has them already (a roll-up's).
    """
    base = _subtree(user, unit, directive, task).filter(requires_plan=True)
    if _counters_hold(user, unit, task) and directive is not None:
        per_child = _coverage_from_counters(unit, directive, as_of)
    elif _counters_hold(user, unit, task):
        per_child = _unit_coverage_from_counters(unit, as_of)
    else:
        per_child = _coverage_by_child(base, unit, as_of)
    paths = [c[0] for c in per_child]
    if names is None or any(p not in names for p in paths if p != unit.path):
        names = _child_units(user, unit, paths)
    lines = [
        CoverageLine(
            path=path,
            unit=unit if path == unit.path else names.get(path),
            own=path == unit.path,
            total=total,
            met=total - unmet,
            late=late,
        )
        for path, total, unmet, late in per_child
    ]
    lines.sort(key=lambda line: (not line.own, line.unit.name if line.unit else line.path))
    # Children are disjoint subtrees, so the whole is the sum of the lines.
    total = sum(line.total for line in lines)
    met = sum(line.met for line in lines)
    late = sum(line.late for line in lines)
    not_met = Q(completed_on__isnull=True) | Q(completed_on__gt=as_of)
    missing_rows = list(
        base.filter(not_met)
        .values_list("unit_id", "due")
        .order_by("unit_path", "due")[: missing_limit * 4]
    )
    first_due: dict[int, datetime.date] = {}
    for unit_id, due in missing_rows:
        first_due.setdefault(unit_id, due)
    ids = list(first_due)[:missing_limit]
    units = list(Unit.objects.filter(pk__in=ids).order_by("path"))
    paths = full_path_names(units)
    missing = [Missing(unit=u, full_path=paths[u.pk], due=first_due[u.pk]) for u in units]
    return Coverage(
        total=total,
        met=met,
        late=late,
        lines=lines,
        missing=missing,
        missing_count=total - met,
    )


# --- overdue -----------------------------------------------------------------------------


@dataclass
class OverdueRow:
    assignment: Assignment
    full_path: str
    days: int


def overdue(
    user,
    *,
    unit: Unit,
    directive=None,
    as_of: datetime.date,
    limit: int = 50,
    offset: int = 0,
) -> list[OverdueRow]:
    """Overdue assignments under `unit`, oldest due first, each with its unit's full path name.

    One query for the page and one for the ancestors of every unit on it. Each row is annotated
    `readable` (`accounts.classified.restrict`): the unit's reach shows the assignment, but its
    task is named only to those cleared for the plan's document.
    """
    page = list(
        restrict(_subtree(user, unit, directive), user)
        .filter(status_q(Status.OVERDUE, as_of))
        .select_related("unit", "task", "occurrence")
        .order_by("due", "id")[offset : offset + limit]
    )
    paths = full_path_names({a.unit_id: a.unit for a in page}.values())
    return [OverdueRow(a, paths[a.unit_id], (as_of - a.due).days) for a in page]


# --- ranking and trend -------------------------------------------------------------------


def ranking(
    user, *, unit: Unit, directive=None, start: datetime.date, end: datetime.date
) -> list[ChildRow]:
    """Children by on-time rate for the work due in [start, end], statuses as of `end`.

    Best first; children with nothing decided yet come last.
    """
    source = _source(user, unit, directive)
    # Only the rows due in the period count (an index range on due): no settled counts.
    source = replace(source, rows=source.rows.filter(due__gte=start, due__lte=end), settled=None)
    return _ranked(_rows(user, unit, _by_child_and_status(source, end)))


def _ranked(rows: list[ChildRow]) -> list[ChildRow]:
    return sorted(
        rows,
        key=lambda r: (r.on_time_rate is None, -(r.on_time_rate or 0), -r.total, r.name),
    )


def rollup_and_ranking(
    user,
    *,
    unit: Unit,
    directive=None,
    as_of: datetime.date,
    start: datetime.date,
    end: datetime.date,
) -> tuple[list[ChildRow], list[ChildRow]]:
    """`rollup(as_of)` and `ranking(start, end)` from one scan, as the dashboard shows both."""
    in_period = Q(due__gte=start, due__lte=end)
    source = _source(user, unit, directive)
    if source.settled is None or not _few_unsettled(source, _month_start(as_of)):
        source = replace(source, settled=None)
        grouped = _grouped(source, {"all": (as_of, None), "period": (end, in_period)})
    else:  # every directive at the root: two index ranges instead of one scan of them all
        period = replace(source, rows=source.rows.filter(in_period), settled=None)
        grouped = {
            "all": _by_child_and_status(source, as_of),
            "period": _by_child_and_status(period, end),
        }
    names = _child_units(user, unit, {path for path, _s, _n in grouped["all"]})
    return (
        _rows(user, unit, grouped["all"], names),
        _ranked(_rows(user, unit, grouped["period"], names)),
    )


def trend(user, *, unit: Unit, directive=None, points) -> list[tuple[datetime.date, dict]]:
    """Status counts in the subtree at each date of `points`, in one scan."""
    points = sorted(set(points))
    if not points:
        return []
    source = _source(user, unit, directive)
    cut = _month_start(points[0])
    if source.settled is not None and _few_unsettled(source, cut):
        # Every directive at the root (see `_settled_before`), few rows not yet settled: their
        # statuses by `status_of`, rather than 30 filtered sums that cost more to compile.
        out = [(day, dict.fromkeys(Status.ORDER, 0)) for day in points]
        for _child, status, n in _settled_before(source, cut):
            for _day, counts in out:
                counts[status] += n
        groups = (
            _unsettled(source.rows, cut)
            .values_list("due", "started_on", "completed_on", "claimed_on")
            .annotate(k=Sum("n"))
            .order_by()
        )
        for due, started, completed, claimed, k in groups:
            for day, counts in out:
                counts[status_of(due, completed, started, day, claimed)] += k
        return out
    # Rows first collapse to their distinct (due, started, completed, claimed): statuses at every
    # point are then summed over a few thousand groups, not over every row (or counter) of the tree.
    groups = (
        source.rows.values("due", "started_on", "completed_on", "claimed_on")
        .annotate(k=source.count(source.column))
        .order_by()
    )
    values = groups.aggregate(
        **{
            f"s{i}_{status}": Sum("k", filter=status_q(status, day))
            for i, day in enumerate(points)
            for status in Status.ORDER
        }
    )
    return [
        (
            day,
            {status: values[f"s{i}_{status}"] or 0 for status in Status.ORDER},
        )
        for i, day in enumerate(points)
    ]


# --- at risk -----------------------------------------------------------------------------


def at_risk_count(user, *, unit: Unit, directive=None, as_of: datetime.date) -> int:
    """Open work in the subtree at risk on `as_of` (`tracking.risk`): only the periods running
    that day are read, so the count is one range of their assignments, not of every row."""
    from trienkhai.tracking.risk import at_risk_q

    return _subtree(user, unit, directive).filter(at_risk_q(as_of)).count()


# --- reached against target -------------------------------------------------------------


def amount_text(value) -> str:
    """ "1.500" / "12,5": a target or an amount, decimals only when it has them."""
    if value is None:
        return "—"
    value = Decimal(value)
    if value == value.to_integral_value():
        return number_format(int(value), force_grouping=True)
    text = number_format(value.quantize(Decimal("0.01")), 2, force_grouping=True)
    return text.rstrip("0")


def reached_text(reached, target) -> str:
    """ "30/50 (60 %)": the amount reached against the target, in the language's number
    format; the percent is left out when there is no target to divide by."""
    if target is None:
        return "—"
    reached = Decimal(reached or 0)
    head = f"{amount_text(reached)}/{amount_text(target)}"
    if not target:
        return head
    value = round(float(100 * reached / Decimal(target)), 1)
    return f"{head} ({number_format(value, 0 if value == int(value) else 1)} %)"


@dataclass
class TargetLine:
    """Reached against target for a child of the unit (its whole subtree) or its own rows.

    For a count the figures are sums; for a rate or an average they are means over every
    assigned unit below (each unit once), so a province's figure weighs each commune by the
    number of units under it, not each child equally. Amounts still awaiting review are kept
    apart in `pending` and never added to `reached`."""

    path: str
    unit: Unit | None
    own: bool
    aggregation: str
    units: int = 0  # assigned units with a target
    target_sum: Decimal = Decimal(0)
    reached_sum: Decimal = Decimal(0)
    reported: int = 0  # units with an accepted amount
    pending_sum: Decimal = Decimal(0)
    pending_units: int = 0
    href: str | None = None

    def _value(self, total, n):
        if self.aggregation == "sum":
            return total
        return total / n if n else None

    @property
    def target(self):
        return self._value(self.target_sum, self.units)

    @property
    def reached(self):
        value = self._value(self.reached_sum, self.reported)
        return Decimal(0) if value is None else value

    @property
    def pending(self):
        return self._value(self.pending_sum, self.pending_units) if self.pending_units else None

    @property
    def ratio(self) -> float | None:
        target = self.target
        return float(self.reached / target) if target else None

    @property
    def text(self) -> str:
        return reached_text(self.reached, self.target)

    @property
    def name(self) -> str:
        if self.own:
            return _("Trực tiếp %(name)s") % {"name": self.unit.name if self.unit else ""}
        return self.unit.name if self.unit else self.path

    def add(self, other: "TargetLine") -> None:
        for f in ("units", "target_sum", "reached_sum", "reported", "pending_sum"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        self.pending_units += other.pending_units


def target_period(task, as_of: datetime.date):
    """The period whose targets a page shows by default: the one running on `as_of`, else the
    latest begun, else the first."""
    occurrences = task.occurrences.all()
    return (
        occurrences.filter(period_start__lte=as_of, period_end__gte=as_of).order_by("due").first()
        or occurrences.filter(period_start__lte=as_of).order_by("-due").first()
        or occurrences.order_by("due").first()
    )


def target_rollup(user, *, unit: Unit, task, occurrence) -> list[TargetLine]:
    """Reached against target for each child of `unit` (and its own rows), for one task and
    period: one GROUP BY over the targeted assignments of the subtree (index `asg_target`)."""
    rows = (
        _subtree(user, unit, task=task)
        .filter(occurrence=occurrence, target__isnull=False)
        .annotate(child=_child_key(unit))
        .values("child")
        .annotate(
            n=Count("unit_path"),
            target_sum=Sum("target"),
            reached_sum=Sum("reached"),
            reported=Count("reached"),
            pending_sum=Sum("reached_pending"),
            pending_units=Count("reached_pending"),
        )
        .order_by()
    )
    lines = {}
    for r in rows:
        path = r["child"]
        lines[path] = TargetLine(
            path=path,
            unit=None,
            own=(path == unit.path),
            aggregation=task.target_aggregation,
            units=r["n"],
            target_sum=Decimal(r["target_sum"] or 0),
            reached_sum=Decimal(r["reached_sum"] or 0),
            reported=r["reported"],
            pending_sum=Decimal(r["pending_sum"] or 0),
            pending_units=r["pending_units"],
        )
    names = _child_units(user, unit, lines)
    for line in lines.values():
        line.unit = unit if line.own else names.get(line.path)
    return sorted(lines.values(), key=lambda r: (not r.own, r.name))


def target_total(unit: Unit, task, lines: list[TargetLine]) -> TargetLine:
    """The unit's whole subtree: the lines added up (sums, or the counts behind the means)."""
    total = TargetLine(path=unit.path, unit=unit, own=False, aggregation=task.target_aggregation)
    for line in lines:
        total.add(line)
    return total


def targeted_tasks(user, *, unit: Unit, directive=None):
    """Tasks with a numeric target assigned under `unit` (scoped; annotated `readable`: a
    classified task's title is masked by the reader's clearance)."""
    assigned = _subtree(user, unit, directive).filter(target__isnull=False).values("task_id")
    tasks = Task.objects.filter(pk__in=assigned, target_value__isnull=False)
    return restrict(tasks.select_related("plan__document"), user)


# --- explanations (giải trình) ------------------------------------------------------------


@dataclass
class ExplanationCounts:
    """A unit's record of explanations asked of it: requested, answered (of which after the
    day set to answer by), not answered yet (of which past that day)."""

    requested: int = 0
    answered: int = 0
    answered_late: int = 0
    unanswered: int = 0
    overdue: int = 0

    def add(self, other: "ExplanationCounts") -> None:
        for name in ("requested", "answered", "answered_late", "unanswered", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def text(self) -> str:
        if not self.requested:
            return "—"
        return _(
            "%(requested)s yêu cầu: %(answered)s đã giải trình (%(late)s quá hạn), "
            "%(unanswered)s chưa giải trình"
        ) % {
            "requested": self.requested,
            "answered": self.answered,
            "late": self.answered_late,
            "unanswered": self.unanswered,
        }


def _task_explanations(user):
    """Explanations asked on tasks: the requests of the assignments in the user's reach (all
    of them for `user` None: the system's own reads, such as the classification's flags)."""
    qs = ExplanationRequest.objects.all()
    if user is not None:
        qs = qs.filter(path_scope(user, "assignment__unit_path", unit_field="assignment__unit"))
    return qs, "assignment__unit_path", "assignment__unit_id"


# Each source gives (queryset of explanation requests in the user's reach, the lookup of the
# asked unit's path, that of its id); every source's requests need `answer_by`,
# `requested_at` and `answered_at`. An explanation asked on something else (an indicator)
# adds its source here.
EXPLANATION_SOURCES = [_task_explanations]


def _counted(qs, key, as_of: datetime.date, start, end):
    """(key, ExplanationCounts) for the requests of `qs` grouped by the expression `key`."""
    if start is not None:
        qs = qs.filter(requested_at__date__gte=start)
    if end is not None:
        qs = qs.filter(requested_at__date__lte=end)
    answered = Q(answered_at__isnull=False)
    rows = (
        qs.annotate(key=key, answered_day=TruncDate("answered_at"))
        .values("key")
        .annotate(
            requested=Count("pk"),
            answered=Count("pk", filter=answered),
            answered_late=Count("pk", filter=answered & Q(answered_day__gt=F("answer_by"))),
            unanswered=Count("pk", filter=~answered),
            overdue=Count("pk", filter=~answered & Q(answer_by__lt=as_of)),
        )
        .order_by()
    )
    for r in rows:
        if not r["requested"]:
            continue  # a constant key groups even no rows into one
        yield (
            r["key"],
            ExplanationCounts(
                r["requested"], r["answered"], r["answered_late"], r["unanswered"], r["overdue"]
            ),
        )


def explanation_counts(
    user,
    *,
    unit: Unit,
    as_of: datetime.date,
    by_child: bool = False,
    own: bool = False,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict[str, ExplanationCounts]:
    """Explanation counts under `unit` (scoped in SQL), keyed by path: one key, the unit's
    path, for the whole subtree (or its own requests only, `own`); or one per child of the
    unit (`by_child`, the unit's own under its path). `start`/`end`: requested in that span.
    An answer given after `answer_by` counts as late; one still missing after it, overdue."""
    out: dict[str, ExplanationCounts] = {}
    for source in EXPLANATION_SOURCES:
        qs, path, _unit = source(user)
        if own:
            qs = qs.filter(**{path: unit.path})
        elif not _whole_tree(unit):
            qs = qs.filter(**{f"{path}__gte": unit.path, f"{path}__lt": unit.path + UPPER})
        key = Substr(path, 1, len(unit.path) + SEGMENT_WIDTH) if by_child else Value(unit.path)
        for k, counts in _counted(qs, key, as_of, start, end):
            out.setdefault(k, ExplanationCounts()).add(counts)
    return out


def explanation_counts_of_units(
    unit_ids, *, as_of: datetime.date, start=None, end=None
) -> dict[int, ExplanationCounts]:
    """Each unit's own counts (not its subtree's), for the system's reads by unit id."""
    out: dict[int, ExplanationCounts] = {}
    for source in EXPLANATION_SOURCES:
        qs, _path, unit = source(None)
        qs = qs.filter(**{f"{unit}__in": list(unit_ids)})
        for k, counts in _counted(qs, F(unit), as_of, start, end):
            out.setdefault(k, ExplanationCounts()).add(counts)
    return out


def attach_explanations(
    user, *, unit: Unit, rows, start: datetime.date, end: datetime.date
) -> None:
    """Give each ranking row (a child of `unit`) `explanations`: the counts of explanations
    requested of its subtree between `start` and `end`, as of `end`."""
    counts = explanation_counts(user, unit=unit, as_of=end, by_child=True, start=start, end=end)
    for row in rows:
        row.explanations = counts.get(row.path, ExplanationCounts())
