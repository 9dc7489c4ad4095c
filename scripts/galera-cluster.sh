#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on this machine, for trying the library (and its
# tests) against synchronous multi-master replication: one data directory and port per
# node, all listening on 127.0.0.1.
#
#   scripts/galera-cluster.sh start [DIR]   # start unless running; print the nodes' URLs
#   scripts/galera-cluster.sh urls  [DIR]   # print the URLs if the cluster is up, else fail
#   scripts/galera-cluster.sh stop  [DIR]   # stop the nodes and remove DIR
#
# DIR defaults to $TABLE_GALERA_DIR or /tmp/sqlx-table-galera. Node N (1..3) listens on
# MariaDB port 3310+N, Galera port 4557+10N (IST on the next port) and takes rsync state
# transfers on 4444+N. `start` is idempotent: a cluster that is up with three nodes is left
# alone; anything else is stopped, wiped and started afresh (node 1 bootstraps the cluster
# with --wsrep-new-cluster, nodes 2 and 3 join it by a state transfer). It prints one line:
# the three URLs separated by spaces, database `test`, user root without a password.
#
#   export TABLE_TEST_GALERA_URLS="$(scripts/galera-cluster.sh start)"
#
# Needs mariadb-server with wsrep (Debian's) and galera-4 (/usr/lib/galera/libgalera_smm.so),
# rsync and socat. Run as root: the nodes run as the `mysql` user, because the rsync state
# transfer switches to an unprivileged user that can't write a root-owned data directory.
set -euo pipefail

cmd=${1:?start, urls or stop}
dir=${2:-${TABLE_GALERA_DIR:-/tmp/sqlx-table-galera}}
provider=${TABLE_GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
nodes=(1 2 3)

port() { echo $((3310 + $1)); }
gport() { echo $((4557 + 10 * $1)); }
urls() {
  local out=()
  for n in "${nodes[@]}"; do out+=("mysql://root@127.0.0.1:$(port "$n")/test"); done
  echo "${out[*]}"
}
sql() { # node, statement
  mariadb --no-defaults -h 127.0.0.1 -P "$(port "$1")" -u root -N -B -e "$2" 2>/dev/null
}
# Up: every node answers, is synced, and sees three members.
node_ready() {
  [ "$(sql "$1" "SELECT CONCAT(@@wsrep_on, '/', (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT'), '/', (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_CLUSTER_SIZE'))")" = "ON/Synced/$2" ]
}
cluster_up() {
  for n in "${nodes[@]}"; do node_ready "$n" 3 || return 1; done
}

stop_nodes() {
  for n in 3 2 1; do
    local pidfile="$dir/node$n/pid"
    [ -f "$pidfile" ] || continue
    local pid
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 300); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  done
}

start_node() { # node, extra options...
  local n=$1; shift
  local d="$dir/node$n"
  local members
  members=$(for m in "${nodes[@]}"; do printf '127.0.0.1:%s,' "$(gport "$m")"; done)
  mkdir -p "$d/data"
  chown -R mysql:mysql "$d"
  # Small and quick: a small buffer pool and log, no flush at each commit, a small gcache.
  mariadbd --no-defaults --user=mysql --datadir="$d/data" --port="$(port "$n")" \
    --bind-address=127.0.0.1 --socket="$d/sock" --pid-file="$d/pid" \
    --log-error="$d/error.log" --skip-grant-tables \
    --innodb-buffer-pool-size=64M --innodb-log-file-size=16M --innodb-flush-log-at-trx-commit=0 \
    --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
    --wsrep-on=ON --wsrep-provider="$provider" --wsrep-cluster-name=sqlx_table_test \
    --wsrep-node-name="node$n" --wsrep-node-address="127.0.0.1:$(gport "$n")" \
    --wsrep-cluster-address="gcomm://${members%,}" \
    --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$(gport "$n");ist.recv_addr=127.0.0.1:$(($(gport "$n") + 1));gcache.size=64M;pc.wait_prim_timeout=PT30S" \
    --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$((4444 + n))" \
    "$@" >"$d/stdout.log" 2>&1 </dev/null 9>&- &
  for _ in $(seq 1 600); do
    if node_ready "$n" "$n"; then return 0; fi
    sleep 0.2
  done
  echo "galera-cluster: node $n (port $(port "$n")) did not join; its log:" >&2
  tail -n 40 "$d/error.log" >&2 || true
  return 1
}

case "$cmd" in
start)
  mkdir -p "$(dirname "$dir")"
  # One start at a time (test binaries may call this at once).
  exec 9>"$dir.lock"
  flock 9
  if cluster_up; then urls; exit 0; fi
  stop_nodes
  rm -rf "$dir"
  mkdir -p "$dir/node1"
  chown mysql:mysql "$dir" "$dir/node1"
  mariadb-install-db --no-defaults --user=mysql --datadir="$dir/node1/data" --skip-test-db \
    --auth-root-authentication-method=normal >"$dir/install.log" 2>&1 \
    || { cat "$dir/install.log" >&2; exit 1; }
  start_node 1 --wsrep-new-cluster
  sql 1 'CREATE DATABASE IF NOT EXISTS test'
  start_node 2
  start_node 3
  cluster_up || { echo "galera-cluster: the cluster did not form" >&2; exit 1; }
  urls
  ;;
urls)
  cluster_up || { echo "galera-cluster: not running (start it: $0 start)" >&2; exit 1; }
  urls
  ;;
stop)
  stop_nodes
  rm -rf "$dir" "$dir.lock"
  ;;
*)
  echo "usage: $0 start|urls|stop [DIR]" >&2
  exit 2
  ;;
esac
