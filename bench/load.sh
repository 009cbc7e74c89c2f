#!/usr/bin/env bash
# The deadline morning under load, on this machine only (127.0.0.1): `trienkhai serve` with its
# default settings, and locust (headless) playing the people of bench/morning.py.
#
#   bench/load.sh [users] [run time] [pause-min] [pause-max]
#
#   bench/load.sh 200 3m 5 10      # 200 people, each acting every 5-10 s (the default)
#   bench/load.sh 16 2m 0 0        # saturation: 16 people acting without pause
#
# Needs: the database of bench_tracking (DATABASE_URL / TRIENKHAI_DATA_DIR as for the app),
# `python bench/morning.py` run on it, and locust (`pip install -e '.[bench]'`).
# Output: bench/results/load-<engine>-<users>u-<pause>_stats.csv (and _history, _failures).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

USERS="${1:-200}"
RUN_TIME="${2:-3m}"
PAUSE_MIN="${3:-5}"
PAUSE_MAX="${4:-10}"
PORT="${TK_LOAD_PORT:-8132}"
ENGINE=sqlite
[ -n "${DATABASE_URL:-}" ] && ENGINE=postgresql
OUT="bench/results/load-${ENGINE}-${USERS}u-${PAUSE_MIN}-${PAUSE_MAX}s"
mkdir -p bench/results

.venv/bin/trienkhai serve --port "$PORT" >"$OUT.server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
    curl -fs -o /dev/null "http://127.0.0.1:$PORT/login/" && break
    sleep 0.2
done

# Spawn everyone over the first 20 s (a morning does not start in one millisecond).
RATE=$(( USERS / 20 )); [ "$RATE" -lt 1 ] && RATE=1
TK_ENGINE="$ENGINE" TK_PAUSE_MIN="$PAUSE_MIN" TK_PAUSE_MAX="$PAUSE_MAX" \
    .venv/bin/locust -f bench/locustfile.py --headless --only-summary \
    -u "$USERS" -r "$RATE" -t "$RUN_TIME" --host "http://127.0.0.1:$PORT" \
    --csv "$OUT" --stop-timeout 10 2>&1 | tail -40
echo "server CPU (user+sys, s): $(ps -o cputimes= -p $SERVER 2>/dev/null || echo '?')"
