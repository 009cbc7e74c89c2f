#!/usr/bin/env bash
# Restart a node's pgbouncer when its PostgreSQL changes role: standby promoted, primary demoted,
# writes turned on or off (pg_auto_failover holds a promoted node read-only for a moment).
#
#   deploy/postgresql/pgbouncer-follow.sh PG_PORT COMMAND...
#
# pgbouncer hands every client the server parameters it saw when its pool first connected,
# in_hot_standby and default_transaction_read_only among them; after a promotion it would go on
# telling clients "read-only", and libpq's target_session_attrs=read-write would refuse the new
# primary. A fresh pgbouncer
# reports the server as it is. Run beside each pgbouncer (a systemd service in production:
# COMMAND is `systemctl restart pgbouncer`); checks once a second.
set -uo pipefail
port="$1"
shift
last=""
while true; do
    now="$(psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -XAtqc "select pg_is_in_recovery()::text || ' ' || current_setting('default_transaction_read_only')" 2>/dev/null || echo down)"
    if [ "$now" != "down" ] && [ -n "$last" ] && [ "$now" != "$last" ]; then
        "$@"
    fi
    [ "$now" != "down" ] && last="$now"
    sleep 1
done
