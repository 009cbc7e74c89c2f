# ruff: noqa: S608  (SQL built only from this module's constants: table, columns, widths)
"""Pre-aggregated assignment counts for the country-wide reads: triggers, rebuild and recount.

Why counters, and why only this level: a roll-up below the root reads one index range of the
path copied onto `Assignment` and answers in milliseconds (bench/README.md), but the roll-up of
a directive assigned to every unit over the whole country reads ~360,000 rows, which no scan
does in 50 ms. `RollupCounter` keeps, per (directive, child of the root, due, started_on,
completed_on), how many assignments share those values. Because the key holds the three dates
a status depends on, `status_case` over the counter rows is exact for any as-of date, and a
directive's country-wide counters are a few thousand rows. Keeping them one level further down
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

from trienkhai.units.paths import SEGMENT_WIDTH

NEVER = datetime.date(9999, 12, 31)
TOP_LEN = 2 * SEGMENT_WIDTH  # root segment + one child segment
TABLE = "tracking_rollupcounter"
KEY = "directive_id, top_path, due, started_on, completed_on"


def _key_select(alias: str = "", never: str = "DATE '9999-12-31'") -> str:
    a = f"{alias}." if alias else ""
    return (
        f"{a}directive_id, substr({a}unit_path, 1, {TOP_LEN}), {a}due, "
        f"coalesce({a}started_on, {never}), coalesce({a}completed_on, {never})"
    )


# --- PostgreSQL: statement-level triggers over transition tables --------------------------------

_PG_APPLY = f"""
INSERT INTO {TABLE} ({KEY}, n)
SELECT d, p, due, s, c, sum(delta) FROM (
    SELECT {_key_select()}, -1 AS delta FROM old_rows
    UNION ALL
    SELECT {_key_select()}, 1 AS delta FROM new_rows
) AS changes (d, p, due, s, c, delta)
GROUP BY d, p, due, s, c
HAVING sum(delta) <> 0
ON CONFLICT ({KEY}) DO UPDATE SET n = {TABLE}.n + EXCLUDED.n;
"""

PG_INSTALL = [
    # One function serves the three events; a missing transition table reads as empty.
    f"""
CREATE OR REPLACE FUNCTION tracking_counter_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} ({KEY}, n)
    SELECT {_key_select()}, count(*) FROM new_rows GROUP BY 1, 2, 3, 4, 5
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
    SELECT {_key_select()}, -count(*) FROM old_rows GROUP BY 1, 2, 3, 4, 5
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
        f"coalesce({ref}.started_on, '9999-12-31'), coalesce({ref}.completed_on, '9999-12-31')"
    )


def _sqlite_add(ref: str, delta: int) -> str:
    return (
        f"INSERT INTO {TABLE} ({KEY}, n) VALUES ({_sqlite_row(ref)}, {delta}) "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = n + ({delta});"
    )


_SQLITE_CHANGED = " OR ".join(
    f"OLD.{c} IS NOT NEW.{c}" for c in ("directive_id", "due", "started_on", "completed_on")
) + (f" OR substr(OLD.unit_path, 1, {TOP_LEN}) IS NOT substr(NEW.unit_path, 1, {TOP_LEN})")

SQLITE_INSTALL = [
    f"""
CREATE TRIGGER tracking_counter_ai AFTER INSERT ON tracking_assignment
BEGIN {_sqlite_add("NEW", 1)} END;
""",
    f"""
CREATE TRIGGER tracking_counter_au
AFTER UPDATE OF directive_id, unit_path, due, started_on, completed_on ON tracking_assignment
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


def install(schema_editor) -> None:
    pg = schema_editor.connection.vendor == "postgresql"
    for sql in PG_INSTALL if pg else SQLITE_INSTALL:
        schema_editor.execute(sql)


def uninstall(schema_editor) -> None:
    pg = schema_editor.connection.vendor == "postgresql"
    for sql in PG_UNINSTALL if pg else SQLITE_UNINSTALL:
        schema_editor.execute(sql)


# --- rebuild and recount ------------------------------------------------------------------------


def _recount_sql(vendor: str) -> str:
    never = "DATE '9999-12-31'" if vendor == "postgresql" else "'9999-12-31'"
    return (
        f"SELECT {_key_select(never=never)}, count(*) FROM tracking_assignment "
        "GROUP BY 1, 2, 3, 4, 5"
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


def differences(limit: int = 20) -> list[tuple]:
    """Keys whose kept count differs from a recount: (key..., kept, recounted). Empty when right."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT {KEY}, n FROM {TABLE} WHERE n <> 0")
        kept = {tuple(str(v) for v in row[:5]): row[5] for row in cur.fetchall()}
        cur.execute(_recount_sql(connection.vendor))
        fresh = {tuple(str(v) for v in row[:5]): row[5] for row in cur.fetchall()}
    out = []
    for key in sorted(kept.keys() | fresh.keys()):
        if kept.get(key, 0) != fresh.get(key, 0):
            out.append((*key, kept.get(key, 0), fresh.get(key, 0)))
            if len(out) >= limit:
                break
    return out
