#!/usr/bin/env bash
# Instructions executed by the search index stage, counted by cachegrind on one thread: unlike
# wall time on a shared machine (±20–40 % between identical runs), the count repeats to within
# a few million, so small changes to the index code can be compared run against run.
# Usage: bash bench/instructions.sh SITE_DIR [COMMIT_OR_LABEL]
# Needs valgrind (apt-get install -y valgrind). Takes about a minute at 10,000 cases.
set -euo pipefail
SITE=${1:?usage: bench/instructions.sh SITE_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install -y valgrind)"; exit 2; }
cd "$ROOT"
cargo test --release -q --test search --no-run 2>/dev/null
BIN=$(cargo test --release -q --test search --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*search-[^"]*\)".*/\1/p' | tail -1)
count() {
  env "$@" RAYON_NUM_THREADS=1 XIEZUO_BENCH_SITE="$SITE" valgrind --tool=cachegrind --cache-sim=no \
    --cachegrind-out-file=/dev/null "$BIN" index_build_time_at_scale --ignored --nocapture 2>&1 \
    | sed -n 's/.*I *refs: *//p' | tr -d ,
}
LOAD=$(count XIEZUO_BENCH_LOAD_ONLY=1)
ALL=$(count XIEZUO_BENCH_LOAD_ONLY=0)
echo "index stage: $(( (ALL - LOAD) / 1000000 ))M instructions (load $(( LOAD / 1000000 ))M, both $(( ALL / 1000000 ))M) ${2:-}"
