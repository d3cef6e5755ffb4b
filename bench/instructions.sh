#!/usr/bin/env bash
# Instructions executed by the search index stage, counted by cachegrind on one thread: unlike
# wall time on a shared machine (±20–40 % between identical runs), the count repeats to within
# a few million, so small changes to the index code can be compared run against run.
# Usage: bash bench/instructions.sh SITE_DIR [COMMIT_OR_LABEL]
# SIM=1 also simulates the caches and branch predictors and prints the stage's L1 data misses
# and mispredicted branches (as repeatable as the count; about three times slower).
# Needs valgrind (apt-get install -y valgrind). Takes about a minute at 10,000 cases.
set -euo pipefail
SITE=${1:?usage: bench/instructions.sh SITE_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install -y valgrind)"; exit 2; }
cd "$ROOT"
cargo test --release -q --test search --no-run 2>/dev/null
BIN=$(cargo test --release -q --test search --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*search-[^"]*\)".*/\1/p' | tail -1)
SIMS=(--cache-sim=no)
[ "${SIM:-}" = 1 ] && SIMS=(--cache-sim=yes --branch-sim=yes)
# Prints "instructions d1_misses mispredicts" (the last two 0 without SIM=1).
count() {
  env "$@" RAYON_NUM_THREADS=1 XIEZUO_BENCH_SITE="$SITE" valgrind --tool=cachegrind "${SIMS[@]}" \
    --cachegrind-out-file=/dev/null "$BIN" index_build_time_at_scale --ignored --nocapture 2>&1 \
    | tr -d , | awk '/I *refs:/ {i=$4} /D1 *misses:/ {d=$4} /Mispredicts:/ {m=$3}
                     END {printf "%.0f %.0f %.0f\n", i, d, m}'
}
read -r LI LD LM < <(count XIEZUO_BENCH_LOAD_ONLY=1)
read -r AI AD AM < <(count XIEZUO_BENCH_LOAD_ONLY=0)
echo -n "index stage: $(( (AI - LI) / 1000000 ))M instructions (load $(( LI / 1000000 ))M, both $(( AI / 1000000 ))M)"
if [ "${SIM:-}" = 1 ]; then
  echo -n ", $(( (AD - LD) / 1000000 ))M L1 data misses, $(( (AM - LM) / 1000000 ))M mispredicted branches"
fi
echo " ${2:-}"
