#!/usr/bin/env bash
# A PostgreSQL primary and its streaming hot standby on loopback, for trying replication and the
# read router on one machine (and for the tests). Production runs the same two steps on two
# machines: a primary with wal_level=replica, a standby made with `pg_basebackup -R`.
#
#   deploy/postgresql/standby.sh start DIR PRIMARY_PORT STANDBY_PORT   initdb, start, basebackup
#   deploy/postgresql/standby.sh stop DIR                              stop both (fast)
#
# DIR holds primary/, standby/ and their logs; it is created, and owned by postgres when run as
# root (PostgreSQL refuses to run as root). Databases are reached at 127.0.0.1 with trust auth.
set -euo pipefail

BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$BIN/initdb" ] || { echo "standby.sh: PostgreSQL server binaries not found" >&2; exit 1; }

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cmd="${1:-}"
dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '5,8p' "$0"; exit 2; }

case "$cmd" in
start)
    primary_port="$3"
    standby_port="$4"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    as_pg "$BIN/initdb" -D "$dir/primary" -U postgres -A trust --no-sync -E UTF8 >"$dir/initdb.log"
    cat >>"$dir/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $primary_port
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 10
wal_keep_size = '256MB'
hot_standby = on
fsync = on
CONF
    echo "host replication all 127.0.0.1/32 trust" >>"$dir/primary/pg_hba.conf"
    as_pg "$BIN/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start >/dev/null
    as_pg "$BIN/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir/standby" \
        -R -X stream -c fast
    cat >>"$dir/standby/postgresql.conf" <<CONF
port = $standby_port
CONF
    as_pg "$BIN/pg_ctl" -D "$dir/standby" -l "$dir/standby.log" -w start >/dev/null
    echo "primary 127.0.0.1:$primary_port, standby 127.0.0.1:$standby_port (streaming)"
    ;;
stop)
    for node in standby primary; do
        if [ -f "$dir/$node/postmaster.pid" ]; then
            as_pg "$BIN/pg_ctl" -D "$dir/$node" -m fast -w stop >/dev/null || true
        fi
    done
    ;;
*)
    echo "standby.sh: unknown command $cmd" >&2
    exit 2
    ;;
esac
