# ruff: noqa: S608  (SQL built only from this module's constants: table, columns, widths)
"""Pre-aggregated assignment counts for the country-wide reads: triggers, rebuild and recount.

Why counters, and why only this level: a roll-up below the root reads one index range of the
path copied onto `Assignment` and answers in milliseconds (bench/README.md), but the roll-up of
a directive assigned to every unit over the whole country reads ~360,000 rows, which no scan
does in 50 ms. `RollupCounter` keeps, per (directive, child of the root, due, started_on,
completed_on, claimed_on), how many assignments share those values. Because the key holds the
four dates a status depends on, `status_case` over the counter rows is exact for any as-of date,
and a directive's country-wide counters are a few thousand rows. Keeping them one level further down
would not pay: a commune's dates barely repeat, so the table would be as large as the
assignments themselves.

The counts are kept by triggers on `tracking_assignment`, so every write path (actions, the
fan-out's INSERT … SELECT, path rewrites after unit moves, handover) keeps them in its own
transaction. PostgreSQL uses statement-level triggers over transition tables: a fan-out to
55,000 units updates the counters with one grouped statement. SQLite has only row triggers.
Rows that drop to zero stay until the next `rebuild`; readers sum them harmlessly.
"""

import datetime

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from trienkhai.tree.paths import SEGMENT_WIDTH

NEVER = datetime.date(9999, 12, 31)
TOP_LEN = 2 * SEGMENT_WIDTH  # root segment + one child segment
TABLE = "tracking_rollupcounter"
KEY = "directive_id, top_path, due, started_on, completed_on, claimed_on"


def _key_select(alias: str = "", never: str = "DATE '9999-12-31'") -> str:
    a = f"{alias}." if alias else ""
    return (
        f"{a}directive_id, substr({a}unit_path, 1, {TOP_LEN}), {a}due, "
        f"coalesce({a}started_on, {never}), coalesce({a}completed_on, {never}), "
        f"coalesce({a}claimed_on, {never})"
    )


# --- PostgreSQL: statement-level triggers over transition tables --------------------------------

_PG_APPLY = f"""
INSERT INTO {TABLE} ({KEY}, n)
SELECT d, p, due, s, c, cl, sum(delta) FROM (
    SELECT {_key_select()}, -1 AS delta FROM old_rows
    UNION ALL
    SELECT {_key_select()}, 1 AS delta FROM new_rows
) AS changes (d, p, due, s, c, cl, delta)
GROUP BY d, p, due, s, c, cl
HAVING sum(delta) <> 0
ON CONFLICT ({KEY}) DO UPDATE SET n = {TABLE}.n + EXCLUDED.n;
"""

PG_INSTALL = [
    # One function serves the three events; a missing transition table reads as empty.
    f"""
CREATE OR REPLACE FUNCTION tracking_counter_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} ({KEY}, n)
    SELECT {_key_select()}, count(*) FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ({KEY}) DO UPDATE SET n = {TABLE}.n + EXCLUDED.n;
    RETURN NULL;
END $$;
""",
    f"""
CREATE OR REPLACE FUNCTION tracking_counter_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {_PG_APPLY}
    RETURN NULL;
END $$;
""",
    f"""
CREATE OR REPLACE FUNCTION tracking_counter_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} ({KEY}, n)
    SELECT {_key_select()}, -count(*) FROM old_rows GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ({KEY}) DO UPDATE SET n = {TABLE}.n + EXCLUDED.n;
    RETURN NULL;
END $$;
""",
    """
CREATE TRIGGER tracking_counter_ai AFTER INSERT ON tracking_assignment
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tracking_counter_insert();
""",
    """
CREATE TRIGGER tracking_counter_au AFTER UPDATE ON tracking_assignment
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION tracking_counter_update();
""",
    """
CREATE TRIGGER tracking_counter_ad AFTER DELETE ON tracking_assignment
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tracking_counter_delete();
""",
]

PG_UNINSTALL = [
    "DROP TRIGGER IF EXISTS tracking_counter_ai ON tracking_assignment",
    "DROP TRIGGER IF EXISTS tracking_counter_au ON tracking_assignment",
    "DROP TRIGGER IF EXISTS tracking_counter_ad ON tracking_assignment",
    "DROP FUNCTION IF EXISTS tracking_counter_insert()",
    "DROP FUNCTION IF EXISTS tracking_counter_update()",
    "DROP FUNCTION IF EXISTS tracking_counter_delete()",
]

# --- SQLite: row triggers ------------------------------------------------------------------------


def _sqlite_row(ref: str) -> str:
    return (
        f"{ref}.directive_id, substr({ref}.unit_path, 1, {TOP_LEN}), {ref}.due, "
        f"coalesce({ref}.started_on, '9999-12-31'), coalesce({ref}.completed_on, '9999-12-31'), "
        f"coalesce({ref}.claimed_on, '9999-12-31')"
    )


def _sqlite_add(ref: str, delta: int) -> str:
    return (
        f"INSERT INTO {TABLE} ({KEY}, n) VALUES ({_sqlite_row(ref)}, {delta}) "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = n + ({delta});"
    )


_SQLITE_CHANGED = " OR ".join(
    f"OLD.{c} IS NOT NEW.{c}"
    for c in ("directive_id", "due", "started_on", "completed_on", "claimed_on")
) + (f" OR substr(OLD.unit_path, 1, {TOP_LEN}) IS NOT substr(NEW.unit_path, 1, {TOP_LEN})")

SQLITE_INSTALL = [
    f"""
CREATE TRIGGER tracking_counter_ai AFTER INSERT ON tracking_assignment
BEGIN {_sqlite_add("NEW", 1)} END;
""",
    f"""
CREATE TRIGGER tracking_counter_au
AFTER UPDATE OF directive_id, unit_path, due, started_on, completed_on, claimed_on
ON tracking_assignment
WHEN {_SQLITE_CHANGED}
BEGIN {_sqlite_add("OLD", -1)} {_sqlite_add("NEW", 1)} END;
""",
    f"""
CREATE TRIGGER tracking_counter_ad AFTER DELETE ON tracking_assignment
BEGIN {_sqlite_add("OLD", -1)} END;
""",
]

SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS tracking_counter_ai",
    "DROP TRIGGER IF EXISTS tracking_counter_au",
    "DROP TRIGGER IF EXISTS tracking_counter_ad",
]


def _execute_all(schema_editor, postgresql: list[str], sqlite: list[str]) -> None:
    pg = schema_editor.connection.vendor == "postgresql"
    for sql in postgresql if pg else sqlite:
        schema_editor.execute(sql)


def install(schema_editor) -> None:
    _execute_all(schema_editor, PG_INSTALL, SQLITE_INSTALL)


def uninstall(schema_editor) -> None:
    _execute_all(schema_editor, PG_UNINSTALL, SQLITE_UNINSTALL)


# --- rebuild and recount ------------------------------------------------------------------------


def _recount_sql(vendor: str) -> str:
    never = "DATE '9999-12-31'" if vendor == "postgresql" else "'9999-12-31'"
    return (
        f"SELECT {_key_select(never=never)}, count(*) FROM tracking_assignment "
        "GROUP BY 1, 2, 3, 4, 5, 6"
    )


def rebuild(using: str = DEFAULT_DB_ALIAS) -> int:
    """Replace every counter by a fresh count of the assignments; returns the rows written.

    On PostgreSQL the assignments are locked against writes (not reads) meanwhile, so no
    concurrent write can fall between the count and the swap.
    """
    conn = connections[using]
    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute("LOCK TABLE tracking_assignment IN SHARE MODE")
        cur.execute(f"DELETE FROM {TABLE}")
        cur.execute(f"INSERT INTO {TABLE} ({KEY}, n) {_recount_sql(conn.vendor)}")
        return cur.rowcount


def _differences(kept_sql: str, fresh_sql: str, width: int, limit: int) -> list[tuple]:
    """Keys whose kept count differs from a recount: (key..., kept, recounted)."""
    with connection.cursor() as cur:
        cur.execute(kept_sql)
        kept = {tuple(str(v) for v in row[:width]): row[width] for row in cur.fetchall()}
        cur.execute(fresh_sql)
        fresh = {tuple(str(v) for v in row[:width]): row[width] for row in cur.fetchall()}
    out = []
    for key in sorted(kept.keys() | fresh.keys()):
        if kept.get(key, 0) != fresh.get(key, 0):
            out.append((*key, kept.get(key, 0), fresh.get(key, 0)))
            if len(out) >= limit:
                break
    return out


def differences(limit: int = 20) -> list[tuple]:
    """Roll-up counter keys that differ from a recount. Empty when right."""
    return _differences(
        f"SELECT {KEY}, n FROM {TABLE} WHERE n <> 0", _recount_sql(connection.vendor), 6, limit
    )


# --- plan coverage: each unit's obligations folded, then counted per child of the root ---------
#
# Coverage counts units, and a unit may owe several plans under one directive, so the rows are
# first folded per (directive, unit) into `tracking_plancoverage` (met_on: when the last one was
# met, if all were; late_on: when the first was met after its due date), and those are counted
# per child of the root in `tracking_coveragecounter`. On every change to an obligation the
# unit's fold is taken out of the counters, recomputed from its rows, and put back.

COVERAGE = "tracking_plancoverage"
COVERAGE_COUNTER = "tracking_coveragecounter"
COVERAGE_KEY = "directive_id, top_path, met_on, late_on"


def _fold_select(never: str, where: str) -> str:
    """SELECT of (directive_id, unit_id, top_path, met_on, late_on) for obligations matching."""
    return (
        "SELECT t.directive_id AS directive_id, t.unit_id AS unit_id, "
        f"substr(min(t.unit_path), 1, {TOP_LEN}) AS top_path, "
        f"CASE WHEN count(*) = count(t.completed_on) THEN max(t.completed_on) ELSE {never} END "
        "AS met_on, "
        f"coalesce(min(CASE WHEN t.completed_on > t.due THEN t.completed_on END), {never}) "
        f"AS late_on FROM tracking_assignment t WHERE t.requires_plan AND {where} "
        "GROUP BY t.directive_id, t.unit_id"
    )


_PG_NEVER = "DATE '9999-12-31'"
_PG_AFFECTED = {
    "INSERT": "SELECT directive_id, unit_id FROM new_rows WHERE requires_plan",
    "DELETE": "SELECT directive_id, unit_id FROM old_rows WHERE requires_plan",
    "UPDATE": (
        "SELECT directive_id, unit_id FROM old_rows WHERE requires_plan "
        "UNION SELECT directive_id, unit_id FROM new_rows WHERE requires_plan"
    ),
}


_PG_IN_AFFECTED = "(t.directive_id, t.unit_id) IN (SELECT directive_id, unit_id FROM a)"


def _pg_refresh(op: str) -> str:
    affected = _PG_AFFECTED[op]
    return f"""
    WITH a AS ({affected}),
    gone AS (
        DELETE FROM {COVERAGE} s USING a
        WHERE s.directive_id = a.directive_id AND s.unit_id = a.unit_id
        RETURNING s.directive_id, s.top_path, s.met_on, s.late_on
    )
    INSERT INTO {COVERAGE_COUNTER} ({COVERAGE_KEY}, n)
    SELECT directive_id, top_path, met_on, late_on, -count(*) FROM gone GROUP BY 1, 2, 3, 4
    ON CONFLICT ({COVERAGE_KEY}) DO UPDATE SET n = {COVERAGE_COUNTER}.n + EXCLUDED.n;

    WITH a AS ({affected}),
    fresh AS (
        INSERT INTO {COVERAGE} (directive_id, unit_id, top_path, met_on, late_on)
        {_fold_select(_PG_NEVER, _PG_IN_AFFECTED)}
        RETURNING directive_id, top_path, met_on, late_on
    )
    INSERT INTO {COVERAGE_COUNTER} ({COVERAGE_KEY}, n)
    SELECT directive_id, top_path, met_on, late_on, count(*) FROM fresh GROUP BY 1, 2, 3, 4
    ON CONFLICT ({COVERAGE_KEY}) DO UPDATE SET n = {COVERAGE_COUNTER}.n + EXCLUDED.n;
    """


PG_COVERAGE_INSTALL = [
    f"""
CREATE OR REPLACE FUNCTION tracking_coverage_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN {_pg_refresh("INSERT")}
    ELSIF TG_OP = 'DELETE' THEN {_pg_refresh("DELETE")}
    ELSE {_pg_refresh("UPDATE")}
    END IF;
    RETURN NULL;
END $$;
""",
    """
CREATE TRIGGER tracking_coverage_ai AFTER INSERT ON tracking_assignment
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tracking_coverage_refresh();
""",
    """
CREATE TRIGGER tracking_coverage_au AFTER UPDATE ON tracking_assignment
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION tracking_coverage_refresh();
""",
    """
CREATE TRIGGER tracking_coverage_ad AFTER DELETE ON tracking_assignment
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tracking_coverage_refresh();
""",
]

PG_COVERAGE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS tracking_coverage_ai ON tracking_assignment",
    "DROP TRIGGER IF EXISTS tracking_coverage_au ON tracking_assignment",
    "DROP TRIGGER IF EXISTS tracking_coverage_ad ON tracking_assignment",
    "DROP FUNCTION IF EXISTS tracking_coverage_refresh()",
]


def _sqlite_refresh(ref: str) -> str:
    pair = f"directive_id = {ref}.directive_id AND unit_id = {ref}.unit_id"
    return (
        f"INSERT INTO {COVERAGE_COUNTER} ({COVERAGE_KEY}, n) "
        f"SELECT directive_id, top_path, met_on, late_on, -1 FROM {COVERAGE} WHERE {pair} "
        f"ON CONFLICT ({COVERAGE_KEY}) DO UPDATE SET n = n - 1; "
        f"DELETE FROM {COVERAGE} WHERE {pair}; "
        f"INSERT INTO {COVERAGE} (directive_id, unit_id, top_path, met_on, late_on) "
        + _fold_select(
            "'9999-12-31'",
            f"t.directive_id = {ref}.directive_id AND t.unit_id = {ref}.unit_id",
        )
        + "; "
        f"INSERT INTO {COVERAGE_COUNTER} ({COVERAGE_KEY}, n) "
        f"SELECT directive_id, top_path, met_on, late_on, 1 FROM {COVERAGE} WHERE {pair} "
        f"ON CONFLICT ({COVERAGE_KEY}) DO UPDATE SET n = n + 1;"
    )


SQLITE_COVERAGE_INSTALL = [
    f"""
CREATE TRIGGER tracking_coverage_ai AFTER INSERT ON tracking_assignment WHEN NEW.requires_plan
BEGIN {_sqlite_refresh("NEW")} END;
""",
    f"""
CREATE TRIGGER tracking_coverage_au
AFTER UPDATE OF directive_id, unit_id, unit_path, due, completed_on, requires_plan
ON tracking_assignment WHEN OLD.requires_plan OR NEW.requires_plan
BEGIN {_sqlite_refresh("OLD")} {_sqlite_refresh("NEW")} END;
""",
    f"""
CREATE TRIGGER tracking_coverage_ad AFTER DELETE ON tracking_assignment WHEN OLD.requires_plan
BEGIN {_sqlite_refresh("OLD")} END;
""",
]

SQLITE_COVERAGE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS tracking_coverage_ai",
    "DROP TRIGGER IF EXISTS tracking_coverage_au",
    "DROP TRIGGER IF EXISTS tracking_coverage_ad",
]


def install_coverage(schema_editor) -> None:
    _execute_all(schema_editor, PG_COVERAGE_INSTALL, SQLITE_COVERAGE_INSTALL)


def uninstall_coverage(schema_editor) -> None:
    _execute_all(schema_editor, PG_COVERAGE_UNINSTALL, SQLITE_COVERAGE_UNINSTALL)


def _coverage_recount_sql(vendor: str) -> str:
    never = _PG_NEVER if vendor == "postgresql" else "'9999-12-31'"
    folds = _fold_select(never, "1 = 1")
    return (
        f"SELECT directive_id, top_path, met_on, late_on, count(*) "
        f"FROM ({folds}) AS f "
        "GROUP BY 1, 2, 3, 4"
    )


def rebuild_coverage(using: str = DEFAULT_DB_ALIAS) -> int:
    """Refold every unit's obligations and recount them; returns the counter rows written."""
    conn = connections[using]
    never = _PG_NEVER if conn.vendor == "postgresql" else "'9999-12-31'"
    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute("LOCK TABLE tracking_assignment IN SHARE MODE")
        cur.execute(f"DELETE FROM {COVERAGE_COUNTER}")
        cur.execute(f"DELETE FROM {COVERAGE}")
        cur.execute(
            f"INSERT INTO {COVERAGE} (directive_id, unit_id, top_path, met_on, late_on) "
            + _fold_select(never, "1 = 1")
        )
        cur.execute(
            f"INSERT INTO {COVERAGE_COUNTER} ({COVERAGE_KEY}, n) "
            f"SELECT {COVERAGE_KEY}, count(*) FROM {COVERAGE} GROUP BY 1, 2, 3, 4"
        )
        return cur.rowcount


def coverage_differences(limit: int = 20) -> list[tuple]:
    """Coverage counter keys whose kept count differs from a fresh fold and count."""
    return _differences(
        f"SELECT {COVERAGE_KEY}, n FROM {COVERAGE_COUNTER} WHERE n <> 0",
        _coverage_recount_sql(connection.vendor),
        4,
        limit,
    )


# --- settled counts: every directive together, per month the status became final ---------------
#
# See models.SettledCounter. An assignment "settles" on its completion date, on the date it
# reported its completion (awaiting review), or on its due date when neither; from the next
# month on its status no longer depends on the as-of date (done on time, done late, "pending":
# awaiting review, overdue) until a write changes the row, and the triggers move it then. Kept
# by its own triggers next to the roll-up counters'.

SETTLED = "tracking_settledcounter"
SETTLED_KEY = "top_path, month, status"


def _settled_select(vendor: str, alias: str = "") -> str:
    a = f"{alias}." if alias else ""
    settle = f"coalesce({a}completed_on, {a}claimed_on, {a}due)"
    month = (
        f"CAST(date_trunc('month', CAST({settle} AS timestamp)) AS date)"
        if vendor == "postgresql"
        else f"date({settle}, 'start of month')"
    )
    return (
        f"substr({a}unit_path, 1, {TOP_LEN}), {month}, "
        f"CASE WHEN {a}completed_on IS NULL AND {a}claimed_on IS NOT NULL THEN 'pending' "
        f"WHEN {a}completed_on IS NULL THEN 'overdue' "
        f"WHEN {a}completed_on <= {a}due THEN 'done_on_time' ELSE 'done_late' END"
    )


def _pg_settled_apply(parts: list[tuple[str, int]]) -> str:
    union = " UNION ALL ".join(
        f"SELECT {_settled_select('postgresql')}, {sign} FROM {table}" for table, sign in parts
    )
    return f"""
    INSERT INTO {SETTLED} ({SETTLED_KEY}, n)
    SELECT p, m, s, sum(delta) FROM ({union}) AS changes (p, m, s, delta)
    GROUP BY p, m, s
    HAVING sum(delta) <> 0
    ON CONFLICT ({SETTLED_KEY}) DO UPDATE SET n = {SETTLED}.n + EXCLUDED.n;
    """


PG_SETTLED_INSTALL = [
    f"""
CREATE OR REPLACE FUNCTION tracking_settled_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN {_pg_settled_apply([("new_rows", 1)])}
    ELSIF TG_OP = 'DELETE' THEN {_pg_settled_apply([("old_rows", -1)])}
    ELSE {_pg_settled_apply([("old_rows", -1), ("new_rows", 1)])}
    END IF;
    RETURN NULL;
END $$;
""",
    """
CREATE TRIGGER tracking_settled_ai AFTER INSERT ON tracking_assignment
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tracking_settled_refresh();
""",
    """
CREATE TRIGGER tracking_settled_au AFTER UPDATE ON tracking_assignment
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION tracking_settled_refresh();
""",
    """
CREATE TRIGGER tracking_settled_ad AFTER DELETE ON tracking_assignment
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tracking_settled_refresh();
""",
]

PG_SETTLED_UNINSTALL = [
    "DROP TRIGGER IF EXISTS tracking_settled_ai ON tracking_assignment",
    "DROP TRIGGER IF EXISTS tracking_settled_au ON tracking_assignment",
    "DROP TRIGGER IF EXISTS tracking_settled_ad ON tracking_assignment",
    "DROP FUNCTION IF EXISTS tracking_settled_refresh()",
]


def _sqlite_settled_add(ref: str, delta: int) -> str:
    return (
        f"INSERT INTO {SETTLED} ({SETTLED_KEY}, n) "
        f"VALUES ({_settled_select('sqlite', ref)}, {delta}) "
        f"ON CONFLICT ({SETTLED_KEY}) DO UPDATE SET n = n + ({delta});"
    )


_SQLITE_SETTLED_CHANGED = " OR ".join(
    f"OLD.{c} IS NOT NEW.{c}" for c in ("due", "completed_on", "claimed_on")
) + (f" OR substr(OLD.unit_path, 1, {TOP_LEN}) IS NOT substr(NEW.unit_path, 1, {TOP_LEN})")

SQLITE_SETTLED_INSTALL = [
    f"""
CREATE TRIGGER tracking_settled_ai AFTER INSERT ON tracking_assignment
BEGIN {_sqlite_settled_add("NEW", 1)} END;
""",
    f"""
CREATE TRIGGER tracking_settled_au
AFTER UPDATE OF unit_path, due, completed_on, claimed_on ON tracking_assignment
WHEN {_SQLITE_SETTLED_CHANGED}
BEGIN {_sqlite_settled_add("OLD", -1)} {_sqlite_settled_add("NEW", 1)} END;
""",
    f"""
CREATE TRIGGER tracking_settled_ad AFTER DELETE ON tracking_assignment
BEGIN {_sqlite_settled_add("OLD", -1)} END;
""",
]

SQLITE_SETTLED_UNINSTALL = [
    "DROP TRIGGER IF EXISTS tracking_settled_ai",
    "DROP TRIGGER IF EXISTS tracking_settled_au",
    "DROP TRIGGER IF EXISTS tracking_settled_ad",
]


def install_settled(schema_editor) -> None:
    _execute_all(schema_editor, PG_SETTLED_INSTALL, SQLITE_SETTLED_INSTALL)


def uninstall_settled(schema_editor) -> None:
    _execute_all(schema_editor, PG_SETTLED_UNINSTALL, SQLITE_SETTLED_UNINSTALL)


def _settled_recount_sql(vendor: str) -> str:
    return f"SELECT {_settled_select(vendor)}, count(*) FROM tracking_assignment GROUP BY 1, 2, 3"


def rebuild_settled(using: str = DEFAULT_DB_ALIAS) -> int:
    """Recount the settled counters from the assignments; returns the rows written."""
    conn = connections[using]
    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute("LOCK TABLE tracking_assignment IN SHARE MODE")
        cur.execute(f"DELETE FROM {SETTLED}")
        cur.execute(f"INSERT INTO {SETTLED} ({SETTLED_KEY}, n) {_settled_recount_sql(conn.vendor)}")
        return cur.rowcount


def settled_differences(limit: int = 20) -> list[tuple]:
    """Settled counter keys whose kept count differs from a recount. Empty when right."""
    return _differences(
        f"SELECT {SETTLED_KEY}, n FROM {SETTLED} WHERE n <> 0",
        _settled_recount_sql(connection.vendor),
        3,
        limit,
    )


# --- coverage of every directive: each unit's obligations folded across directives -------------
#
# The same fold and count as the coverage above, keyed by the unit alone: with no directive
# chosen, coverage counts a unit once however many directives it owes plans under.

UNIT_COVERAGE = "tracking_unitcoverage"
UNIT_COVERAGE_COUNTER = "tracking_unitcoveragecounter"
UNIT_COVERAGE_KEY = "top_path, met_on, late_on"


def _unit_fold_select(never: str, where: str) -> str:
    """SELECT of (unit_id, top_path, met_on, late_on) for the obligations matching `where`."""
    return (
        "SELECT t.unit_id AS unit_id, "
        f"substr(min(t.unit_path), 1, {TOP_LEN}) AS top_path, "
        f"CASE WHEN count(*) = count(t.completed_on) THEN max(t.completed_on) ELSE {never} END "
        "AS met_on, "
        f"coalesce(min(CASE WHEN t.completed_on > t.due THEN t.completed_on END), {never}) "
        f"AS late_on FROM tracking_assignment t WHERE t.requires_plan AND {where} "
        "GROUP BY t.unit_id"
    )


_PG_UNITS_AFFECTED = {
    "INSERT": "SELECT DISTINCT unit_id FROM new_rows WHERE requires_plan",
    "DELETE": "SELECT DISTINCT unit_id FROM old_rows WHERE requires_plan",
    "UPDATE": (
        "SELECT unit_id FROM old_rows WHERE requires_plan "
        "UNION SELECT unit_id FROM new_rows WHERE requires_plan"
    ),
}


def _pg_unit_refresh(op: str) -> str:
    affected = _PG_UNITS_AFFECTED[op]
    return f"""
    WITH a AS ({affected}),
    gone AS (
        DELETE FROM {UNIT_COVERAGE} s USING a WHERE s.unit_id = a.unit_id
        RETURNING s.top_path, s.met_on, s.late_on
    )
    INSERT INTO {UNIT_COVERAGE_COUNTER} ({UNIT_COVERAGE_KEY}, n)
    SELECT top_path, met_on, late_on, -count(*) FROM gone GROUP BY 1, 2, 3
    ON CONFLICT ({UNIT_COVERAGE_KEY}) DO UPDATE SET n = {UNIT_COVERAGE_COUNTER}.n + EXCLUDED.n;

    WITH a AS ({affected}),
    fresh AS (
        INSERT INTO {UNIT_COVERAGE} (unit_id, top_path, met_on, late_on)
        {_unit_fold_select(_PG_NEVER, "t.unit_id IN (SELECT unit_id FROM a)")}
        RETURNING top_path, met_on, late_on
    )
    INSERT INTO {UNIT_COVERAGE_COUNTER} ({UNIT_COVERAGE_KEY}, n)
    SELECT top_path, met_on, late_on, count(*) FROM fresh GROUP BY 1, 2, 3
    ON CONFLICT ({UNIT_COVERAGE_KEY}) DO UPDATE SET n = {UNIT_COVERAGE_COUNTER}.n + EXCLUDED.n;
    """


PG_UNIT_COVERAGE_INSTALL = [
    f"""
CREATE OR REPLACE FUNCTION tracking_unit_coverage_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN {_pg_unit_refresh("INSERT")}
    ELSIF TG_OP = 'DELETE' THEN {_pg_unit_refresh("DELETE")}
    ELSE {_pg_unit_refresh("UPDATE")}
    END IF;
    RETURN NULL;
END $$;
""",
    """
CREATE TRIGGER tracking_unit_coverage_ai AFTER INSERT ON tracking_assignment
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION tracking_unit_coverage_refresh();
""",
    """
CREATE TRIGGER tracking_unit_coverage_au AFTER UPDATE ON tracking_assignment
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION tracking_unit_coverage_refresh();
""",
    """
CREATE TRIGGER tracking_unit_coverage_ad AFTER DELETE ON tracking_assignment
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION tracking_unit_coverage_refresh();
""",
]

PG_UNIT_COVERAGE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS tracking_unit_coverage_ai ON tracking_assignment",
    "DROP TRIGGER IF EXISTS tracking_unit_coverage_au ON tracking_assignment",
    "DROP TRIGGER IF EXISTS tracking_unit_coverage_ad ON tracking_assignment",
    "DROP FUNCTION IF EXISTS tracking_unit_coverage_refresh()",
]


def _sqlite_unit_refresh(ref: str) -> str:
    unit = f"unit_id = {ref}.unit_id"
    return (
        f"INSERT INTO {UNIT_COVERAGE_COUNTER} ({UNIT_COVERAGE_KEY}, n) "
        f"SELECT top_path, met_on, late_on, -1 FROM {UNIT_COVERAGE} WHERE {unit} "
        f"ON CONFLICT ({UNIT_COVERAGE_KEY}) DO UPDATE SET n = n - 1; "
        f"DELETE FROM {UNIT_COVERAGE} WHERE {unit}; "
        f"INSERT INTO {UNIT_COVERAGE} (unit_id, top_path, met_on, late_on) "
        + _unit_fold_select("'9999-12-31'", f"t.unit_id = {ref}.unit_id")
        + "; "
        f"INSERT INTO {UNIT_COVERAGE_COUNTER} ({UNIT_COVERAGE_KEY}, n) "
        f"SELECT top_path, met_on, late_on, 1 FROM {UNIT_COVERAGE} WHERE {unit} "
        f"ON CONFLICT ({UNIT_COVERAGE_KEY}) DO UPDATE SET n = n + 1;"
    )


SQLITE_UNIT_COVERAGE_INSTALL = [
    f"""
CREATE TRIGGER tracking_unit_coverage_ai AFTER INSERT ON tracking_assignment
WHEN NEW.requires_plan
BEGIN {_sqlite_unit_refresh("NEW")} END;
""",
    f"""
CREATE TRIGGER tracking_unit_coverage_au
AFTER UPDATE OF unit_id, unit_path, due, completed_on, requires_plan ON tracking_assignment
WHEN OLD.requires_plan OR NEW.requires_plan
BEGIN {_sqlite_unit_refresh("OLD")} {_sqlite_unit_refresh("NEW")} END;
""",
    f"""
CREATE TRIGGER tracking_unit_coverage_ad AFTER DELETE ON tracking_assignment
WHEN OLD.requires_plan
BEGIN {_sqlite_unit_refresh("OLD")} END;
""",
]

SQLITE_UNIT_COVERAGE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS tracking_unit_coverage_ai",
    "DROP TRIGGER IF EXISTS tracking_unit_coverage_au",
    "DROP TRIGGER IF EXISTS tracking_unit_coverage_ad",
]


def install_unit_coverage(schema_editor) -> None:
    _execute_all(schema_editor, PG_UNIT_COVERAGE_INSTALL, SQLITE_UNIT_COVERAGE_INSTALL)


def uninstall_unit_coverage(schema_editor) -> None:
    _execute_all(schema_editor, PG_UNIT_COVERAGE_UNINSTALL, SQLITE_UNIT_COVERAGE_UNINSTALL)


def _unit_coverage_recount_sql(vendor: str) -> str:
    never = _PG_NEVER if vendor == "postgresql" else "'9999-12-31'"
    return (
        f"SELECT top_path, met_on, late_on, count(*) FROM ({_unit_fold_select(never, '1 = 1')}) "
        "AS f GROUP BY 1, 2, 3"
    )


def rebuild_unit_coverage(using: str = DEFAULT_DB_ALIAS) -> int:
    """Refold every unit's obligations across directives and recount them; returns the rows."""
    conn = connections[using]
    never = _PG_NEVER if conn.vendor == "postgresql" else "'9999-12-31'"
    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute("LOCK TABLE tracking_assignment IN SHARE MODE")
        cur.execute(f"DELETE FROM {UNIT_COVERAGE_COUNTER}")
        cur.execute(f"DELETE FROM {UNIT_COVERAGE}")
        cur.execute(
            f"INSERT INTO {UNIT_COVERAGE} (unit_id, top_path, met_on, late_on) "
            + _unit_fold_select(never, "1 = 1")
        )
        cur.execute(
            f"INSERT INTO {UNIT_COVERAGE_COUNTER} ({UNIT_COVERAGE_KEY}, n) "
            f"SELECT {UNIT_COVERAGE_KEY}, count(*) FROM {UNIT_COVERAGE} GROUP BY 1, 2, 3"
        )
        return cur.rowcount


def unit_coverage_differences(limit: int = 20) -> list[tuple]:
    """Unit coverage counter keys whose kept count differs from a fresh fold and count."""
    return _differences(
        f"SELECT {UNIT_COVERAGE_KEY}, n FROM {UNIT_COVERAGE_COUNTER} WHERE n <> 0",
        _unit_coverage_recount_sql(connection.vendor),
        3,
        limit,
    )
