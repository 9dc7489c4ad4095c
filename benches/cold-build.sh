#!/usr/bin/env bash
# Cold build time of the README's first command (`cargo run --example quickstart`, which
# builds in the dev profile) against a bare sqlx-with-SQLite program (benches/bare-sqlx),
# each in an empty target directory, alternating, REPS times (default 1). Crates already
# downloaded stay downloaded: this measures compiling, not the network.
#
# It reports wall time and CPU time (user + system, of cargo and every compiler it ran).
# On a machine that other work shares, wall time swings with the load; CPU time hardly
# does, so its ratio is the one to compare there.
#
#   benches/cold-build.sh            # one line per build, then the ratios of medians
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${REPS:-1}
cargo fetch --quiet
(cd benches/bare-sqlx && cargo fetch --quiet)

build() { # label, dir, cargo args...
  local label=$1 dir=$2; shift 2
  local target; target=$(mktemp -d)
  local times; times=$(mktemp)
  (cd "$dir" && CARGO_TARGET_DIR="$target" /usr/bin/time -f "%e %U %S" -o "$times" \
    cargo build --quiet "$@")
  read -r wall user sys < "$times"
  rm -rf "$target" "$times"
  echo "$label $wall $(echo "$user + $sys" | bc)"
}

results=$(mktemp)
for _ in $(seq 1 "$reps"); do
  build quickstart . --example quickstart | tee -a "$results"
  build bare-sqlx benches/bare-sqlx | tee -a "$results"
done
median() { # label, column (2 = wall, 3 = cpu)
  grep "^$1 " "$results" | cut -d' ' -f"$2" | sort -n |
    awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'
}
qw=$(median quickstart 2); bw=$(median bare-sqlx 2)
qc=$(median quickstart 3); bc_=$(median bare-sqlx 3)
printf 'wall: quickstart %.1f s, bare sqlx %.1f s, ratio %.2fx (median of %d)\n' \
  "$qw" "$bw" "$(echo "$qw / $bw" | bc -l)" "$reps"
printf 'cpu:  quickstart %.1f s, bare sqlx %.1f s, ratio %.2fx (median of %d)\n' \
  "$qc" "$bc_" "$(echo "$qc / $bc_" | bc -l)" "$reps"
rm -f "$results"
