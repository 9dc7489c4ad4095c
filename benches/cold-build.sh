#!/usr/bin/env bash
# Cold build time of the README's first command (`cargo run --example quickstart`, which
# builds in the dev profile) against a bare sqlx-with-SQLite program (benches/bare-sqlx),
# each in an empty target directory, alternating, REPS times (default 1). Crates already
# downloaded stay downloaded: this measures compiling, not the network.
#
#   benches/cold-build.sh            # prints one line per build and the ratio of medians
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${REPS:-1}
cargo fetch --quiet
(cd benches/bare-sqlx && cargo fetch --quiet)

build() { # label, dir, cargo args...
  local label=$1 dir=$2; shift 2
  local target; target=$(mktemp -d)
  local start end
  start=$(date +%s.%N)
  (cd "$dir" && CARGO_TARGET_DIR="$target" cargo build --quiet "$@")
  end=$(date +%s.%N)
  rm -rf "$target"
  echo "$label $(echo "$end - $start" | bc)"
}

results=$(mktemp)
for _ in $(seq 1 "$reps"); do
  build quickstart . --example quickstart | tee -a "$results"
  build bare-sqlx benches/bare-sqlx | tee -a "$results"
done
median() { grep "^$1 " "$results" | cut -d' ' -f2 | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
q=$(median quickstart); b=$(median bare-sqlx)
printf 'quickstart %.1f s, bare sqlx %.1f s, ratio %.2fx (median of %d)\n' "$q" "$b" "$(echo "$q / $b" | bc -l)" "$reps"
rm -f "$results"
