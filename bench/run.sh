#!/bin/sh
# Rerun the benchmarks: bench/run.sh sqlite|postgres [generate options]
#   bench/run.sh sqlite                       # full national scale, 100,000 documents
#   bench/run.sh postgres --communes 330 --grassroots 5500 --cells 24000 --documents 10000
# SQLite runs in a fresh temporary data dir; PostgreSQL drops and recreates the database named
# by BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/tk_bench).
set -eu
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
ENGINE=${1:?usage: bench/run.sh sqlite|postgres [generate options]}
shift
OUT=${BENCH_OUT:-bench/results}
mkdir -p "$OUT"
export TRIENKHAI_DATA_DIR="${TRIENKHAI_DATA_DIR:-$(mktemp -d /tmp/tk-bench-XXXXXX)}"
case "$ENGINE" in
  sqlite)
    unset DATABASE_URL || true
    ;;
  postgres)
    export DATABASE_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/tk_bench}"
    DB=${DATABASE_URL##*/}
    ADMIN_URL=${DATABASE_URL%/*}/postgres
    psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
    ;;
  *) echo "unknown engine $ENGINE" >&2; exit 2 ;;
esac
echo "== $ENGINE, data dir $TRIENKHAI_DATA_DIR"
# Defaults first: options given on the command line come later and win.
/usr/bin/time -f "generate: %e s wall, %M KB max RSS" \
  "$PY" -m trienkhai.cli generate --documents 100000 "$@" 2>&1 | tee "$OUT/generate-$ENGINE.log"
"$PY" bench/bench_tree.py --json "$OUT/reads-$ENGINE.json" | tee "$OUT/reads-$ENGINE.txt"
