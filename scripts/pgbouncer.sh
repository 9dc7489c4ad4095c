#!/usr/bin/env bash
# PgBouncer in transaction pooling mode in front of a PostgreSQL server, for trying the
# library (and its tests) through a connection pooler: every database of the server, user
# root without a password, on 127.0.0.1:PORT.
#
#   scripts/pgbouncer.sh start [DIR]   # start unless running; print the URL of `postgres`
#   scripts/pgbouncer.sh url   [DIR]   # print the URL if it is up, else fail
#   scripts/pgbouncer.sh stop  [DIR]   # stop it and remove DIR
#
# DIR defaults to $TABLE_PGBOUNCER_DIR or /tmp/sqlx-table-pgbouncer; the port to
# $TABLE_PGBOUNCER_PORT or 6432; the server to $TABLE_PGBOUNCER_SERVER (host:port) or
# 127.0.0.1:5432. It prints one line: postgres://root@127.0.0.1:PORT/postgres.
#
#   export TABLE_TEST_PGBOUNCER_URL="$(scripts/pgbouncer.sh start)"
#
# Needs pgbouncer (`apt-get install pgbouncer`). Run as root or as any user: pgbouncer refuses
# to run as root, so under root it runs as `postgres`. `extra_float_digits`, which sqlx sends
# at connect, is in ignore_startup_parameters. create_all works through it with sqlx's
# default options; an application's own prepared statements may not (the README says why).
set -euo pipefail

cmd=${1:?start, url or stop}
dir=${2:-${TABLE_PGBOUNCER_DIR:-/tmp/sqlx-table-pgbouncer}}
port=${TABLE_PGBOUNCER_PORT:-6432}
server=${TABLE_PGBOUNCER_SERVER:-127.0.0.1:5432}
url="postgres://root@127.0.0.1:$port/postgres"

up() {
  psql "$url" -tAc 'SELECT 1' >/dev/null 2>&1
}

stop_it() {
  [ -f "$dir/pgbouncer.pid" ] || return 0
  local pid
  pid=$(cat "$dir/pgbouncer.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
}

case "$cmd" in
start)
  command -v pgbouncer >/dev/null || { echo "pgbouncer: not installed (apt-get install pgbouncer)" >&2; exit 1; }
  mkdir -p "$(dirname "$dir")"
  exec 9>"$dir.lock"
  flock 9
  if up; then echo "$url"; exit 0; fi
  stop_it
  rm -rf "$dir"
  mkdir -p "$dir"
  cat >"$dir/pgbouncer.ini" <<EOF
[databases]
* = host=${server%:*} port=${server##*:}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
pool_mode = transaction
auth_type = trust
auth_file = $dir/userlist.txt
ignore_startup_parameters = extra_float_digits
max_client_conn = 1000
default_pool_size = 20
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
EOF
  echo '"root" ""' >"$dir/userlist.txt"
  user=()
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres "$dir"
    user=(-u postgres)
  fi
  pgbouncer -d "${user[@]}" "$dir/pgbouncer.ini" >"$dir/stdout.log" 2>&1 9>&- \
    || { cat "$dir/stdout.log" "$dir/pgbouncer.log" >&2 2>/dev/null; exit 1; }
  for _ in $(seq 1 100); do
    if up; then echo "$url"; exit 0; fi
    sleep 0.1
  done
  echo "pgbouncer: did not start on port $port" >&2
  cat "$dir/pgbouncer.log" >&2 || true
  exit 1
  ;;
url)
  up || { echo "pgbouncer: not running (start it: $0 start)" >&2; exit 1; }
  echo "$url"
  ;;
stop)
  stop_it
  rm -rf "$dir" "$dir.lock"
  ;;
*)
  echo "usage: $0 start|url|stop [DIR]" >&2
  exit 2
  ;;
esac
