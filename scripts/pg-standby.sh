#!/usr/bin/env bash
# A PostgreSQL hot standby: a streaming replica of a running server (the primary), on
# 127.0.0.1:PORT, for trying the library (and its tests) against a read-only server.
#
#   scripts/pg-standby.sh start [DIR]   # start unless running; print the URL of `postgres`
#   scripts/pg-standby.sh url   [DIR]   # print the URL if it is up, else fail
#   scripts/pg-standby.sh stop  [DIR]   # stop it and remove DIR
#
# DIR defaults to $TABLE_PG_STANDBY_DIR or /tmp/sqlx-table-pg-standby; the port to
# $TABLE_PG_STANDBY_PORT or 5433; the primary to $TABLE_PG_PRIMARY (host:port) or
# 127.0.0.1:5432, reached as user root. It prints one line:
# postgres://root@127.0.0.1:PORT/postgres.
#
#   export TABLE_TEST_PG_STANDBY_URL="$(scripts/pg-standby.sh start)"
#
# `start` copies the primary with pg_basebackup (-R: standby.signal and primary_conninfo)
# and runs it as user `postgres` with the PostgreSQL binaries of the primary's major
# version. It streams through the replication slot `sqlx_table_standby` ($TABLE_PG_STANDBY_SLOT),
# so that a primary that writes WAL fast doesn't remove WAL the standby still needs;
# `stop` drops the slot, and `start` replaces one left by a standby that was not stopped
# (until then it keeps the primary's WAL: stop the standby when done). The primary must accept replication connections from
# 127.0.0.1 for root: if its pg_hba.conf has no rule for them, `start` appends one line,
# `host replication root 127.0.0.1/32 trust`, and reloads the primary's configuration
# (nothing else of the primary changes; the line is added once).
set -euo pipefail

cmd=${1:?start, url or stop}
dir=${2:-${TABLE_PG_STANDBY_DIR:-/tmp/sqlx-table-pg-standby}}
port=${TABLE_PG_STANDBY_PORT:-5433}
primary=${TABLE_PG_PRIMARY:-127.0.0.1:5432}
phost=${primary%:*}
pport=${primary##*:}
url="postgres://root@127.0.0.1:$port/postgres"
slot=${TABLE_PG_STANDBY_SLOT:-sqlx_table_standby}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
on_primary() {
  psql -h "$phost" -p "$pport" -U root -d postgres -tAX -c "$1"
}
drop_slot() {
  on_primary "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots \
    WHERE slot_name = '$slot' AND NOT active" >/dev/null
}
# Up: in recovery, and streaming from the primary.
up() {
  [ "$(psql "$url" -tAXc "SELECT pg_is_in_recovery() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver \
    WHERE status = 'streaming')" 2>/dev/null)" = t ]
}

case "$cmd" in
start)
  mkdir -p "$(dirname "$dir")"
  exec 9>"$dir.lock"
  flock 9
  if up; then echo "$url"; exit 0; fi
  version=$(on_primary "SELECT current_setting('server_version_num')::int / 10000")
  bin=/usr/lib/postgresql/$version/bin
  [ -x "$bin/pg_ctl" ] || bin=$(dirname "$(command -v pg_ctl)")
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  # A replication rule for root from 127.0.0.1, added once if the primary has none.
  rules=$(on_primary "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database) \
    AND ('root' = ANY(user_name) OR 'all' = ANY(user_name)) AND type = 'host' \
    AND (address IS NULL OR address = '127.0.0.1' OR address = 'all') AND error IS NULL")
  if [ "$rules" = 0 ]; then
    hba=$(on_primary 'SHOW hba_file')
    echo "pg-standby: adding a replication rule for root from 127.0.0.1 to $hba" >&2
    printf '\n# Added by sqlx-table scripts/pg-standby.sh: a local streaming replica.\nhost replication root 127.0.0.1/32 trust\n' >>"$hba"
    on_primary 'SELECT pg_reload_conf()' >/dev/null
    sleep 0.5
  fi
  # The settings a hot standby needs at least as large as the primary's.
  settings=$(on_primary "SELECT string_agg(name || ' = ' || setting, E'\n') FROM pg_settings \
    WHERE name IN ('max_connections', 'max_prepared_transactions', 'max_locks_per_transaction', \
    'max_worker_processes', 'max_wal_senders')")
  chown postgres "$dir" 2>/dev/null || true
  drop_slot
  as_postgres pg_basebackup -h "$phost" -p "$pport" -U root -D "$dir/data" -R -X stream -c fast -C -S "$slot" \
    >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
  # Debian keeps the configuration outside the data directory: the standby gets its own.
  as_postgres tee "$dir/data/postgresql.conf" >/dev/null <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
hot_standby = on
$settings
EOF
  as_postgres tee "$dir/data/pg_hba.conf" >/dev/null <<EOF
local all all trust
host all all 127.0.0.1/32 trust
EOF
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/standby.log" -w -t 60 start >/dev/null 9>&- \
    || { cat "$dir/data/standby.log" >&2; exit 1; }
  for _ in $(seq 1 100); do
    if up; then echo "$url"; exit 0; fi
    sleep 0.1
  done
  echo "pg-standby: the standby on port $port is not in recovery" >&2
  exit 1
  ;;
url)
  up || { echo "pg-standby: not running (start it: $0 start)" >&2; exit 1; }
  echo "$url"
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then
    version=$(head -n 1 "$dir/data/PG_VERSION")
    as_postgres "/usr/lib/postgresql/$version/bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  drop_slot || true
  rm -rf "$dir" "$dir.lock"
  ;;
*)
  echo "usage: $0 start|url|stop [DIR]" >&2
  exit 2
  ;;
esac
