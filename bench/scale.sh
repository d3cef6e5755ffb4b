#!/usr/bin/env bash
# Benchmark: does the cost per page stay flat as the corpus grows? (issue: at most 1.2x)
#
#   bash bench/scale.sh [SMALL_CASES SMALL_BRANDS LARGE_CASES LARGE_BRANDS]
#                                          (defaults 10000 1000 100000 10000)
#
# Builds each corpus REPEAT times (default 3) into an empty folder and keeps, per size, the run
# with the least CPU time (user + system): the others lost time to something else on the
# machine. Prints pages, wall time, pages/s, CPU ms per page and peak RSS at both sizes, then
# the large corpus's cost per page as a multiple of the small one's.
#
# Where the files go matters as much as the code: on ext4, a folder of 150,000 files deleted
# before the next build makes that build's inode allocation slower by seconds. Run it with
# TMPDIR=/dev/shm (about 6 GB at the defaults) to measure the generator rather than the disk,
# as the issue's own figures were taken. Environment: SEED, REPEAT, KEEP=1 to keep the folder.
set -euo pipefail

SN=${1:-10000}
SM=${2:-1000}
LN=${3:-100000}
LM=${4:-10000}
SEED=${SEED:-1}
REPEAT=${REPEAT:-3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-python3}
log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }
case "$SN$SM$LN$LM$REPEAT" in *[!0-9]*) die "sizes and REPEAT must be integers";; esac
source "$ROOT/bench/tools.sh"   # installs /usr/bin/time when it is missing

(cd "$ROOT" && cargo build --release >&2) || die "cargo build --release failed"
BIN=$ROOT/target/release/xiezuo

WORK=$(mktemp -d "${TMPDIR:-/tmp}/xiezuo-scale.XXXXXX")
cleanup() { if [ "${KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

# measure NAME CASES BRANDS: sets PAGES WALL CPU USER RSS (the run with the least CPU time)
measure() {
    local name=$1 site=$WORK/$1 out=$WORK/$1-out best="" run t0 t1 cpu user kb
    log "generating $name: $2 cases, $3 brands"
    "$PY" "$ROOT/bench/gen_corpus.py" "$site/content" --cases "$2" --brands "$3" --seed "$SEED" \
        >/dev/null || die "corpus generation failed"
    for run in $(seq "$REPEAT"); do
        rm -rf "$out" "$site/.xiezuo-cache"
        sync
        t0=$(date +%s%N)
        /usr/bin/time -v -o "$WORK/time" "$BIN" build "$site" -o "$out" >"$WORK/log" 2>&1 \
            || { tail -20 "$WORK/log" >&2; die "$name build failed"; }
        t1=$(date +%s%N)
        cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$WORK/time")
        user=$(awk -F': ' '/User time/ { print $2 }' "$WORK/time")
        kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time")
        log "$(printf '%s run %d: %.2f s wall, %.2f s CPU (%.2f s user), %.0f MiB' "$name" "$run" \
            "$(awk -v n=$((t1 - t0)) 'BEGIN { print n / 1e9 }')" "$cpu" "$user" "$((kb / 1024))")"
        if [ -z "$best" ] || awk -v a="$cpu" -v b="$CPU" 'BEGIN { exit !(a < b) }'; then
            best=1 CPU=$cpu USER=$user RSS=$((kb / 1024))
            WALL=$(awk -v n=$((t1 - t0)) 'BEGIN { printf "%.3f", n / 1e9 }')
        fi
    done
    PAGES=$(find "$out" -name '*.html' | wc -l)
    rm -rf "$out" "$site"
}

measure small "$SN" "$SM"
S_PAGES=$PAGES S_WALL=$WALL S_CPU=$CPU S_USER=$USER S_RSS=$RSS
measure large "$LN" "$LM"
L_PAGES=$PAGES L_WALL=$WALL L_CPU=$CPU L_USER=$USER L_RSS=$RSS

echo
echo "xiezuo: $BIN; $(nproc) cores; output under ${TMPDIR:-/tmp} ($(df -T "$WORK" | awk 'NR == 2 { print $2 }'))"
echo "each size built $REPEAT times into an empty folder; the run with the least CPU time is shown"
printf '%-28s %8s %8s %8s %8s %12s %13s %8s\n' corpus pages "wall s" pages/s "cpu s" "cpu ms/page" "user ms/page" "RSS MiB"
row() {
    awk -v n="$1" -v p="$2" -v w="$3" -v c="$4" -v u="$5" -v r="$6" 'BEGIN {
        printf "%-28s %8d %8.2f %8.0f %8.2f %12.3f %13.3f %8d\n", n, p, w, p / w, c, c * 1000 / p, u * 1000 / p, r }'
}
row "$SN cases + $SM brands" "$S_PAGES" "$S_WALL" "$S_CPU" "$S_USER" "$S_RSS"
row "$LN cases + $LM brands" "$L_PAGES" "$L_WALL" "$L_CPU" "$L_USER" "$L_RSS"
awk -v sp="$S_PAGES" -v sw="$S_WALL" -v sc="$S_CPU" -v su="$S_USER" -v sr="$S_RSS" \
    -v lp="$L_PAGES" -v lw="$L_WALL" -v lc="$L_CPU" -v lu="$L_USER" -v lr="$L_RSS" 'BEGIN {
    printf "\nlarge per page / small per page: CPU %.2fx (user %.2fx), wall %.2fx, memory %.2fx (target CPU <= 1.2x)\n",
        (lc / lp) / (sc / sp), (lu / lp) / (su / sp), (lw / lp) / (sw / sp), (lr / lp) / (sr / sp) }'
