#!/usr/bin/env bash
# Automatic failover with pg_auto_failover (Debian: postgresql-15-auto-failover), on loopback:
# a monitor, a primary and a synchronous standby, each with a pgbouncer in transaction mode in
# front. The application connects to both poolers with target_session_attrs=read-write, so when
# the monitor promotes the standby, new connections land on it. Production runs the same
# commands on three machines (docs/scaling.md).
#
#   deploy/postgresql/failover.sh start DIR MONITOR_PORT PG1_PORT PG2_PORT BOUNCER1_PORT BOUNCER2_PORT
#   deploy/postgresql/failover.sh state DIR        the monitor's view of the nodes
#   deploy/postgresql/failover.sh stop DIR
#
# DIR is created and, as root, handed to the postgres user (PostgreSQL refuses to run as root).
set -euo pipefail

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
command -v pg_autoctl >/dev/null || { echo "failover.sh: pg_autoctl not installed" >&2; exit 1; }
command -v pgbouncer >/dev/null || test -x /usr/sbin/pgbouncer || { echo "failover.sh: pgbouncer not installed" >&2; exit 1; }
PGBOUNCER="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- env PATH="$BIN:$PATH" "$@"; else env PATH="$BIN:$PATH" "$@"; fi
}

cmd="${1:-}"
dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '8,10p' "$0"; exit 2; }
export PG_AUTOCTL_DEBUG=0

monitor_uri() { echo "postgres://autoctl_node@127.0.0.1:$(cat "$dir/monitor.port")/pg_auto_failover?sslmode=disable"; }

bouncer() { # name pg_port bouncer_port
    local name="$1" pg_port="$2" port="$3"
    cat >"$dir/$name.ini" <<INI
[databases]
* = host=127.0.0.1 port=$pg_port
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $dir/users.txt
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
server_connect_timeout = 3
server_login_retry = 1
query_wait_timeout = 10
logfile = $dir/$name.log
pidfile = $dir/$name.pid
INI
    as_pg "$PGBOUNCER" -d "$dir/$name.ini"
}

case "$cmd" in
start)
    mport="$3" p1="$4" p2="$5" b1="$6" b2="$7"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    echo "$mport" >"$dir/monitor.port"
    echo '"postgres" ""' >"$dir/users.txt"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir/users.txt" "$dir/monitor.port"
    common=(--hostname 127.0.0.1 --listen 127.0.0.1 --auth trust --no-ssl --pgctl "$BIN/pg_ctl")
    as_pg pg_autoctl create monitor --pgdata "$dir/monitor" --pgport "$mport" "${common[@]}" \
        >"$dir/monitor-create.log" 2>&1
    # Notice a lost node within seconds rather than the default half-minute.
    cat >>"$dir/monitor/postgresql.conf" <<CONF
pgautofailover.health_check_period = 1000
pgautofailover.health_check_timeout = 1000
pgautofailover.health_check_max_retries = 1
pgautofailover.health_check_retry_delay = 500
pgautofailover.node_considered_unhealthy_timeout = 3000
pgautofailover.primary_demote_timeout = 5000
CONF
    (as_pg setsid pg_autoctl run --pgdata "$dir/monitor" >"$dir/monitor.log" 2>&1 &)
    for _ in $(seq 60); do
        "$BIN/pg_isready" -q -h 127.0.0.1 -p "$mport" && break
        sleep 0.5
    done
    for n in 1 2; do
        port_var="p$n"
        as_pg pg_autoctl create postgres --pgdata "$dir/node$n" --pgport "${!port_var}" \
            "${common[@]}" --monitor "$(monitor_uri)" --dbname trienkhai --name "node$n" \
            --replication-quorum true --candidate-priority 50 >"$dir/node$n-create.log" 2>&1
        (as_pg setsid pg_autoctl run --pgdata "$dir/node$n" >"$dir/node$n.log" 2>&1 &)
        # The first node becomes the primary before the second joins as its standby.
        for _ in $(seq 120); do
            state="$(as_pg pg_autoctl show state --pgdata "$dir/monitor" 2>/dev/null | grep "node$n" || true)"
            echo "$state" | grep -qE '(single|primary|secondary) +\| +(single|primary|secondary)$' && break
            sleep 0.5
        done
    done
    for _ in $(seq 120); do
        states="$(as_pg pg_autoctl show state --pgdata "$dir/monitor" 2>/dev/null || true)"
        if echo "$states" | grep -qE 'primary +\| +primary$' && echo "$states" | grep -qE 'secondary +\| +secondary$'; then
            break
        fi
        sleep 0.5
    done
    bouncer bouncer1 "$p1" "$b1"
    bouncer bouncer2 "$p2" "$b2"
    follow="$(dirname "$0")/pgbouncer-follow.sh"
    (setsid bash "$follow" "$p1" bash "$0" restart-bouncer "$dir" bouncer1 >"$dir/follow1.log" 2>&1 &)
    (setsid bash "$follow" "$p2" bash "$0" restart-bouncer "$dir" bouncer2 >"$dir/follow2.log" 2>&1 &)
    as_pg pg_autoctl show state --pgdata "$dir/monitor"
    ;;
restart-bouncer)
    name="$3"
    [ -f "$dir/$name.pid" ] && kill "$(cat "$dir/$name.pid")" 2>/dev/null
    for _ in $(seq 50); do [ -f "$dir/$name.pid" ] || break; sleep 0.1; done
    as_pg "$PGBOUNCER" -d "$dir/$name.ini"
    echo "$(date +%T) restarted $name"
    ;;
state)
    as_pg pg_autoctl show state --pgdata "$dir/monitor"
    ;;
stop)
    pkill -f "pgbouncer-follow.sh .* $dir " 2>/dev/null || true
    for name in bouncer1 bouncer2; do
        [ -f "$dir/$name.pid" ] && kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
    done
    for node in node2 node1 monitor; do
        [ -d "$dir/$node" ] && as_pg pg_autoctl stop --pgdata "$dir/$node" --immediate >/dev/null 2>&1 || true
    done
    sleep 1
    for node in node2 node1 monitor; do
        [ -f "$dir/$node/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$dir/$node" -m immediate stop >/dev/null 2>&1 || true
    done
    ;;
*)
    echo "failover.sh: unknown command $cmd" >&2
    exit 2
    ;;
esac
