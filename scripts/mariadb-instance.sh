#!/usr/bin/env bash
# A throwaway MariaDB server with settings of its own, beside the shared one (whose global
# settings tests must not change): a data directory in DIR, listening on 127.0.0.1:PORT.
#
#   scripts/mariadb-instance.sh start DIR PORT [mariadbd options...]
#   scripts/mariadb-instance.sh stop DIR
#
# `start` initialises DIR/data (with the same options: some, like
# --lower-case-table-names, must be set when the data directory is made), starts the
# server in the background and waits until it answers; root logs in without a password
# (the grant tables are skipped: it is a test server). `stop` shuts it down and removes DIR.
# Used by tests/lower_case_names.rs; run it by hand to try the library against a setting:
#
#   scripts/mariadb-instance.sh start /tmp/lctn 3307 --lower-case-table-names=1
#   TABLE_TEST_MYSQL_LCTN_URL=mysql://root@127.0.0.1:3307/test cargo test --all-features --test lower_case_names
#   scripts/mariadb-instance.sh stop /tmp/lctn
set -euo pipefail

cmd=${1:?start or stop}
dir=${2:?directory}

case "$cmd" in
start)
  port=${3:?port}
  shift 3
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  # Small and quick to start: no binary log, a small buffer pool.
  common=(--no-defaults --datadir="$dir/data" --user=root --skip-log-bin
          --innodb-buffer-pool-size=32M --innodb-log-file-size=8M "$@")
  if [ ! -d "$dir/data/mysql" ]; then
    mariadb-install-db "${common[@]}" --skip-test-db --auth-root-authentication-method=normal \
      >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
  fi
  mariadbd "${common[@]}" --port="$port" --bind-address=127.0.0.1 --socket="$dir/sock" \
    --pid-file="$dir/pid" --skip-grant-tables --log-error="$dir/error.log" \
    >"$dir/stdout.log" 2>&1 </dev/null &
  for _ in $(seq 1 100); do
    if mariadb --no-defaults -h 127.0.0.1 -P "$port" -u root -e 'CREATE DATABASE IF NOT EXISTS test' \
      >/dev/null 2>&1; then
      exit 0
    fi
    sleep 0.2
  done
  echo "mariadb-instance: the server on port $port did not start" >&2
  cat "$dir/error.log" >&2 || true
  exit 1
  ;;
stop)
  if [ -f "$dir/pid" ]; then
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start DIR PORT [options...] | stop DIR" >&2
  exit 2
  ;;
esac
