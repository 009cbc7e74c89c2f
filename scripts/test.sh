#!/usr/bin/env bash
# The whole test suite: ruff, then every test on SQLite, then every test on PostgreSQL.
#
#   bash scripts/test.sh [extra pytest arguments]
#
# Environment:
#   VENV                   virtualenv to create/use (default: .venv in the repository)
#   PYTHON                 interpreter that creates it (default: python3, 3.11+)
#   TRIENKHAI_TEST_PG_URL  PostgreSQL server for the second pass
#                          (default: postgres://postgres@127.0.0.1:5432/trienkhai; pytest-django
#                          creates and drops the database test_<name>, here test_trienkhai)
#   TRIENKHAI_TEST_BROWSER_ON_PG=0  leave the browser tests out of the PostgreSQL pass (default: they
#                          run on both; each takes 1-2 s, so both passes stay a few minutes on 2 cores)
#
# Every part runs even when an earlier one failed, so one run shows every problem; the script exits
# non-zero if any part failed. A browser or database test that cannot run fails, it is never skipped.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

VENV="${VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"
PG_URL="${TRIENKHAI_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/trienkhai}"

started=$SECONDS
failed=()

step() { printf '\n==> %s\n' "$*"; }

# --- virtualenv and the project with its test extras ---------------------------------------------
step "virtualenv $VENV"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV" || { echo "cannot create the virtualenv $VENV" >&2; exit 1; }
fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1  # the tests use /usr/bin/chromium, never a download
pip_log="$(mktemp -t trienkhai-pip.XXXXXX)"
if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]' >"$pip_log" 2>&1; then
    cat "$pip_log" >&2
    echo "pip install -e '.[test]' failed" >&2
    exit 1
fi
rm -f "$pip_log"
"$VENV/bin/python" -c "import django, playwright, pytest_django; print('django', django.get_version())"

# A throw-away data directory (secret key, static root) unless the caller chose one.
if [ -z "${TRIENKHAI_DATA_DIR:-}" ]; then
    TRIENKHAI_DATA_DIR="$(mktemp -d -t trienkhai-test.XXXXXX)"
    trap 'rm -rf "$TRIENKHAI_DATA_DIR"' EXIT
fi
export TRIENKHAI_DATA_DIR
unset TRIENKHAI_TEST_SQLITE TRIENKHAI_DEBUG

# --- lint ------------------------------------------------------------------------------------------
step "ruff check"
t=$SECONDS
if "$VENV/bin/ruff" check .; then :; else failed+=("ruff"); fi
echo "ruff: $((SECONDS - t)) s"

step "import floors (lint-imports, contract in .importlinter)"
t=$SECONDS
if "$VENV/bin/lint-imports" --no-cache; then :; else failed+=("import floors"); fi
echo "lint-imports: $((SECONDS - t)) s"

# --- known vulnerabilities in the installed dependencies ------------------------------------------
step "pip-audit (known vulnerabilities of the installed packages, PyPI's advisory data)"
t=$SECONDS
audit_json="$(mktemp -t trienkhai-audit.XXXXXX)"
"$VENV/bin/pip-audit" --skip-editable --progress-spinner off -f json -o "$audit_json" >/dev/null 2>&1
rc=$?
if "$VENV/bin/python" - "$audit_json" <<'PY'
import json
import sys

report = json.load(open(sys.argv[1]))
deps = report.get("dependencies", [])
audited = [d for d in deps if "skip_reason" not in d]
vulnerable = [d for d in audited if d.get("vulns")]
for d in vulnerable:
    for v in d["vulns"]:
        print(f"VULNERABLE {d['name']} {d['version']}: {v['id']} (fixed in {', '.join(v.get('fix_versions') or ['-'])})")
print(f"pip-audit: {len(audited)} of {len(deps)} packages audited, {len(vulnerable)} vulnerable")
if deps and not audited:
    print("pip-audit: WARNING: no package could be audited (PyPI's advisory API unreachable)")
sys.exit(1 if vulnerable else 0)
PY
then :; else failed+=("pip-audit"); fi
[ $rc -le 1 ] || echo "pip-audit exited with $rc"
rm -f "$audit_json"
echo "pip-audit: $((SECONDS - t)) s"

# --- pytest on SQLite ------------------------------------------------------------------------------
step "pytest on SQLite (all tests, browser tests included)"
t=$SECONDS
env -u DATABASE_URL "$VENV/bin/python" -m pytest -p no:cacheprovider "$@"
rc=$?
[ $rc -eq 0 ] || failed+=("pytest-sqlite (exit $rc)")
echo "pytest on SQLite: $((SECONDS - t)) s"

# --- pytest on PostgreSQL --------------------------------------------------------------------------
step "pytest on PostgreSQL ($PG_URL, database test_${PG_URL##*/})"
t=$SECONDS
if ! DATABASE_URL="$PG_URL" "$VENV/bin/python" - <<'PY'
import os
import sys

import dj_database_url
import psycopg

cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
try:
    psycopg.connect(
        host=cfg["HOST"] or None,
        port=cfg["PORT"] or None,
        user=cfg["USER"] or None,
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        connect_timeout=10,
    ).close()
except psycopg.Error as exc:
    sys.exit(f"PostgreSQL is unreachable: {exc}")
PY
then
    echo "FAILED: the PostgreSQL pass cannot run (set TRIENKHAI_TEST_PG_URL or start PostgreSQL)" >&2
    failed+=("pytest-postgresql (unreachable)")
else
    pg_args=()
    if [ "${TRIENKHAI_TEST_BROWSER_ON_PG:-1}" = "0" ]; then
        pg_args=(-m "not browser")
    fi
    DATABASE_URL="$PG_URL" "$VENV/bin/python" -m pytest -p no:cacheprovider "${pg_args[@]}" "$@"
    rc=$?
    [ $rc -eq 0 ] || failed+=("pytest-postgresql (exit $rc)")
fi
echo "pytest on PostgreSQL: $((SECONDS - t)) s"

# --- verdict ---------------------------------------------------------------------------------------
echo
echo "total: $((SECONDS - started)) s"
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}"
    exit 1
fi
echo "all parts passed"
