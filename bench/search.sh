#!/usr/bin/env bash
# Search benchmark: xiezuo's static search vs Pagefind 1.6.0 (extended) over the same built site.
# Usage: bash bench/search.sh [CASES] [BRANDS]     (default 10000 1000)
# Env: BENCH_DIR (work directory, kept), SKIP_PAGEFIND=1.
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

echo "== full build" >&2
rm -rf "$WORK/out"
timed "$XZ" build "$WORK/site" -o "$WORK/out"
BUILD_S=$(secs "$WALL"); BUILD_RSS=$RSS

echo "== search index stage alone" >&2
LINE=$(cd "$ROOT" && XIEZUO_BENCH_SITE="$WORK/site" cargo test --release -q --test search index_build_time_at_scale -- --ignored --nocapture 2>/dev/null | grep SEARCH_BENCH)
INDEX_MS=$(sed -E 's/.*index_ms=([0-9]+).*/\1/' <<<"$LINE")
XZ_FILES=$(find "$WORK/out/search" -type f | wc -l)
XZ_BYTES=$(du -sb "$WORK/out/search" | cut -f1)
XZ_Q=$(node "$ROOT/tests/search/bytes.mjs" xiezuo "$WORK/out")

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
  rm -rf "$WORK/out/pagefind"
  timed "$PF" --site "$WORK/out"
  PF_S=$(secs "$WALL"); PF_RSS=$RSS
  PF_FILES=$(find "$WORK/out/pagefind" -type f | wc -l)
  PF_BYTES=$(du -sb "$WORK/out/pagefind" | cut -f1)
  PF_Q=$(node "$ROOT/tests/search/bytes.mjs" pagefind "$WORK/out" || echo '{}')
  "$PF" --site "$WORK/demo" >/dev/null
  PF_J=$(node "$ROOT/tests/search/bytes.mjs" pagefind "$WORK/demo" / || echo '{}')
fi

j() { node -e 'const o=JSON.parse(process.argv[1]); const v=o[process.argv[2]]; console.log(v===undefined?"-":typeof v==="number"&&!Number.isInteger(v)?v.toFixed(3):v)' "$1" "$2"; }
echo
echo "corpus: $CASES cases, $BRANDS brands; full xiezuo build ${BUILD_S}s, peak RSS $((BUILD_RSS/1024)) MB; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-34s %16s %16s\n' "" xiezuo "pagefind 1.6.0"
printf '%-34s %16s %16s\n' "index build (s)" "$(awk "BEGIN{print $INDEX_MS/1000}")" "$PF_S"
printf '%-34s %16s %16s\n' "index build / full build" "$(awk "BEGIN{printf \"%.1f%%\", $INDEX_MS/10/$BUILD_S}")" "-"
printf '%-34s %16s %16s\n' "peak RSS (MB)" "(in build) $((BUILD_RSS/1024))" "$([ "$PF_RSS" = - ] && echo - || echo $((PF_RSS/1024)))"
printf '%-34s %16s %16s\n' "index files" "$XZ_FILES" "$PF_FILES"
printf '%-34s %16s %16s\n' "index bytes on disk" "$XZ_BYTES" "$PF_BYTES"
printf '%-34s %16s %16s\n' "first query (KB, gzip)" "$(awk "BEGIN{print $(j "$XZ_Q" first_gzip)/1000}")" "$(j "$PF_Q" first_gzip)"
printf '%-34s %16s %16s\n' "later queries max (bytes, gzip)" "$(j "$XZ_Q" later_max_gzip)" "$(j "$PF_Q" later_max_gzip)"
printf '%-34s %16s %16s\n' "later queries avg (bytes, gzip)" "$(j "$XZ_Q" later_avg_gzip)" "$(j "$PF_Q" later_avg_gzip)"
printf '%-34s %16s %16s\n' "demo recall@10 (judged)" "$(j "$XZ_J" recall_at_10)" "$(j "$PF_J" recall_at_10)"
printf '%-34s %16s %16s\n' "demo MRR (judged)" "$(j "$XZ_J" mrr)" "$(j "$PF_J" mrr)"
echo
echo "per query (xiezuo): $XZ_Q"
echo "per query (pagefind): $PF_Q"
