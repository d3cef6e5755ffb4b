#!/usr/bin/env bash
# Search benchmark: xiezuo's static search vs Pagefind 1.6.0 (extended) over the same built site.
# Usage: bash bench/search.sh [CASES] [BRANDS]     (default 10000 1000)
# Env: BENCH_DIR (work directory, kept), SKIP_PAGEFIND=1, RUNS (default 3: full build and index
# stage each run RUNS times, the fastest counts), OUT_DIR (where the site is built; default
# $BENCH_DIR/out on disk, e.g. OUT_DIR=/dev/shm/xz-out to take the disk out of the full build).
# Prints index build time, RSS, index size, bytes per query (first and later, gzip) and recall on
# the judged queries for both. See bench/README.md ("Search").
set -euo pipefail
CASES=${1:-10000}
BRANDS=${2:-1000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${BENCH_DIR:-$(mktemp -d /tmp/xiezuo-search-bench.XXXXXX)}
mkdir -p "$WORK"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install -y time)"; exit 2; }
command -v node >/dev/null || { echo "needs node (20+)"; exit 2; }

echo "== building xiezuo (release)" >&2
(cd "$ROOT" && cargo build --release -q && cargo test --release -q --test search --no-run 2>/dev/null)
XZ="$ROOT/target/release/xiezuo"

if [ ! -f "$WORK/site/site.yaml" ]; then
  echo "== generating corpus: $CASES cases, $BRANDS brands" >&2
  python3 "$ROOT/bench/gen_corpus.py" "$WORK/site" --cases "$CASES" --brands "$BRANDS" >/dev/null
fi

# peak RSS (KB) and wall seconds of a command, from /usr/bin/time -v
timed() { /usr/bin/time -v "$@" 2>"$WORK/time.txt" >/dev/null || { cat "$WORK/time.txt" >&2; exit 1; }
  RSS=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$WORK/time.txt")
  WALL=$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$WORK/time.txt"); }
secs() { awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }' <<<"$1"; }

RUNS=${RUNS:-3}
OUT=${OUT_DIR:-$WORK/out}

# The machine's speed varies between runs (shared cores, and by ±20 % over minutes): every
# timing is the fastest of RUNS, the in-build search share comes from the same run as the full
# build time, and each full build is followed by one run of the index stage alone, so that each
# pair sees the machine in the same state; the median of the pairs' ratios is printed as well.
echo "== full build and index stage alone, alternately ($RUNS runs each)" >&2
BUILD_S= BUILD_RSS= PHASES= INDEX_MS= RATIOS=
for _ in $(seq "$RUNS"); do
  rm -rf "$OUT"
  XIEZUO_TIMINGS=1 /usr/bin/time -v "$XZ" build "$WORK/site" -o "$OUT" >"$WORK/build.txt" 2>"$WORK/time.txt" \
    || { cat "$WORK/time.txt" >&2; exit 1; }
  RSS=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' "$WORK/time.txt")
  S=$(secs "$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$WORK/time.txt")")
  if [ -z "$BUILD_S" ] || awk "BEGIN{exit !($S < $BUILD_S)}"; then
    BUILD_S=$S BUILD_RSS=$RSS PHASES=$(grep -h '^timings:' "$WORK/build.txt" "$WORK/time.txt" | head -1)
  fi
  LINE=$(cd "$ROOT" && XIEZUO_BENCH_SITE="$WORK/site" cargo test --release -q --test search index_build_time_at_scale -- --ignored --nocapture 2>/dev/null | grep SEARCH_BENCH)
  MS=$(sed -E 's/.*index_ms=([0-9]+).*/\1/' <<<"$LINE")
  if [ -z "$INDEX_MS" ] || [ "$MS" -lt "$INDEX_MS" ]; then INDEX_MS=$MS; fi
  RATIOS="$RATIOS $(awk "BEGIN{print $MS/10/$S}")"
done
# "timings: load 1.33s, pages 1.95s, search 0.95s (alongside pages), total 4.35s"
PHASE_SEARCH=$(sed -E 's/.*search ([0-9.]+)s.*/\1/' <<<"$PHASES")
PHASE_TOTAL=$(sed -E 's/.*total ([0-9.]+)s.*/\1/' <<<"$PHASES")
MEDIAN_RATIO=$(tr ' ' '\n' <<<"$RATIOS" | grep . | sort -g | awk '{a[NR]=$1} END{printf "%.1f%%", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
XZ_FILES=$(find "$OUT/search" -type f | wc -l)
XZ_BYTES=$(du -sb "$OUT/search" | cut -f1)
XZ_Q=$(node "$ROOT/tests/search/bytes.mjs" xiezuo "$OUT")

echo "== demo site (judged queries)" >&2
rm -rf "$WORK/demo" && "$XZ" build "$ROOT" -o "$WORK/demo" >/dev/null
XZ_J=$(node "$ROOT/tests/search/bytes.mjs" xiezuo "$WORK/demo" /dxbrs/)

PF_S=- PF_RSS=- PF_FILES=- PF_BYTES=- PF_Q='{}' PF_J='{}'
if [ -z "${SKIP_PAGEFIND:-}" ]; then
  echo "== pagefind 1.6.0" >&2
  if [ ! -x "$WORK/pf/node_modules/.bin/pagefind" ]; then
    mkdir -p "$WORK/pf" && (cd "$WORK/pf" && npm init -y >/dev/null && npm install -s pagefind@1.6.0 >/dev/null)
  fi
  PF="$WORK/pf/node_modules/.bin/pagefind"
  rm -rf "$OUT/pagefind"
  timed "$PF" --site "$OUT"
  PF_S=$(secs "$WALL"); PF_RSS=$RSS
  PF_FILES=$(find "$OUT/pagefind" -type f | wc -l)
  PF_BYTES=$(du -sb "$OUT/pagefind" | cut -f1)
  PF_Q=$(node "$ROOT/tests/search/bytes.mjs" pagefind "$OUT" || echo '{}')
  "$PF" --site "$WORK/demo" >/dev/null
  PF_J=$(node "$ROOT/tests/search/bytes.mjs" pagefind "$WORK/demo" / || echo '{}')
fi

j() { node -e 'const o=JSON.parse(process.argv[1]); const v=o[process.argv[2]]; console.log(v===undefined?"-":typeof v==="number"&&!Number.isInteger(v)?v.toFixed(3):v)' "$1" "$2"; }
echo
echo "corpus: $CASES cases, $BRANDS brands; output in $OUT ($(df -T "$(dirname "$OUT")" | awk 'NR==2{print $2}')); $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo "full xiezuo build ${BUILD_S}s (fastest of $RUNS), peak RSS $((BUILD_RSS/1024)) MB; phases of that run: ${PHASES#timings: }"
printf '%-34s %16s %16s\n' "" xiezuo "pagefind 1.6.0"
printf '%-34s %16s %16s\n' "index build alone (s)" "$(awk "BEGIN{print $INDEX_MS/1000}")" "$PF_S"
printf '%-34s %16s %16s\n' "index build alone / full build" "$(awk "BEGIN{printf \"%.1f%%\", $INDEX_MS/10/$BUILD_S}")" "-"
printf '%-34s %16s %16s\n' "  same, median of the $RUNS pairs" "$MEDIAN_RATIO" "-"
printf '%-34s %16s %16s\n' "search phase (beside pages) / build" "$(awk "BEGIN{printf \"%.1f%%\", 100*$PHASE_SEARCH/$PHASE_TOTAL}")" "-"
printf '%-34s %16s %16s\n' "peak RSS (MB)" "(in build) $((BUILD_RSS/1024))" "$([ "$PF_RSS" = - ] && echo - || echo $((PF_RSS/1024)))"
printf '%-34s %16s %16s\n' "index files" "$XZ_FILES" "$PF_FILES"
printf '%-34s %16s %16s\n' "index bytes on disk" "$XZ_BYTES" "$PF_BYTES"
kb() { [ "$1" = - ] && echo - || awk "BEGIN{print $1/1000}"; }
printf '%-34s %16s %16s\n' "first query (KB, gzip)" "$(kb "$(j "$XZ_Q" first_gzip)")" "$(kb "$(j "$PF_Q" first_gzip)")"
printf '%-34s %16s %16s\n' "later queries max (bytes, gzip)" "$(j "$XZ_Q" later_max_gzip)" "$(j "$PF_Q" later_max_gzip)"
printf '%-34s %16s %16s\n' "later queries avg (bytes, gzip)" "$(j "$XZ_Q" later_avg_gzip)" "$(j "$PF_Q" later_avg_gzip)"
printf '%-34s %16s %16s\n' "demo recall@10 (judged)" "$(j "$XZ_J" recall_at_10)" "$(j "$PF_J" recall_at_10)"
printf '%-34s %16s %16s\n' "demo MRR (judged)" "$(j "$XZ_J" mrr)" "$(j "$PF_J" mrr)"
echo
echo "per query (xiezuo): $XZ_Q"
echo "per query (pagefind): $PF_Q"
