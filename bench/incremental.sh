#!/usr/bin/env bash
# Benchmark: the builds an author waits for, xiezuo beside Hugo on the same corpus.
#
#   bash bench/incremental.sh [N_CASES] [N_BRANDS]        (defaults 10000 1000)
#
# Four xiezuo builds, each repeated REPEAT times (default 3), median wall time and its peak RSS:
#   full     over an existing output, the build cache removed first (every page rendered,
#            every file compared with the disk)
#   edit     after appending a paragraph to one case body
#   nochange with nothing changed
# and Hugo building the same corpus over its own existing output (Hugo has no incremental
# build: an edit costs its full time again). Environment: SEED, HUGO, KEEP, REPEAT as in run.sh.
set -euo pipefail

N=${1:-10000}
M=${2:-1000}
SEED=${SEED:-1}
REPEAT=${REPEAT:-3}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-python3}
log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }
source "$ROOT/bench/tools.sh"
HUGO_BIN=$(find_hugo)

(cd "$ROOT" && cargo build --release >&2) || die "cargo build --release failed"
XIEZUO_BIN=$ROOT/target/release/xiezuo

WORK=$(mktemp -d "${TMPDIR:-/tmp}/xiezuo-incr.XXXXXX")
cleanup() { if [ "${KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
log "generating corpus: $N cases, $M brands -> $WORK"
"$PY" "$ROOT/bench/gen_corpus.py" "$WORK/site/content" --cases "$N" --brands "$M" --seed "$SEED" \
    --hugo "$WORK/hugo" >/dev/null || die "corpus generation failed"

# timed LABEL CMD... : runs once, appends "seconds MiB" to $WORK/LABEL
timed() { # results go to $WORK/LABEL.times
    local label=$1; shift
    local t0 t1 kb
    t0=$(date +%s%N)
    /usr/bin/time -v -o "$WORK/time" "$@" >"$WORK/log" 2>&1 || { tail -20 "$WORK/log" >&2; die "$label failed"; }
    t1=$(date +%s%N)
    kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time")
    awk -v ns=$((t1 - t0)) -v kb="$kb" 'BEGIN { printf "%.3f %.0f\n", ns / 1e9, kb / 1024 }' >>"$WORK/$label.times"
}
median() { sort -n "$WORK/$1.times" | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }'; }

SITE=$WORK/site
CASE=$(ls "$SITE/content/cases" | sed -n "$((N / 2))p")
HUGO_CASE=$(find "$WORK/hugo/content/cases" -name "${CASE%.md}*" | head -1)
XIEZUO=("$XIEZUO_BIN" build "$SITE" -o "$SITE/public")
"${XIEZUO[@]}" >/dev/null
"$HUGO_BIN" --source "$WORK/hugo" --destination "$WORK/out-hugo" --quiet >/dev/null
for i in $(seq "$REPEAT"); do
    log "round $i of $REPEAT"
    rm -rf "$SITE/.xiezuo-cache"
    timed full "${XIEZUO[@]}"
    printf '\n本轮第 %d 次修改。\n' "$i" >>"$SITE/content/cases/$CASE"
    timed edit "${XIEZUO[@]}"
    timed nochange "${XIEZUO[@]}"
    printf '\n本轮第 %d 次修改。\n' "$i" >>"$HUGO_CASE"
    timed hugo-build "$HUGO_BIN" --source "$WORK/hugo" --destination "$WORK/out-hugo" --quiet
done

echo
echo "corpus: $N cases, $M brands, seed $SEED; $(nproc) cores; median of $REPEAT runs"
echo "hugo:   $("$HUGO_BIN" version | head -1)"
printf '%-34s %10s %14s\n' build "wall s" "peak RSS MiB"
read -r hw hr < <(median hugo-build)
for b in full edit nochange; do
    read -r w r < <(median $b)
    case $b in
        full) name="xiezuo full (over output, no cache)";;
        edit) name="xiezuo after editing one case";;
        nochange) name="xiezuo with no change";;
    esac
    printf '%-34s %10.3f %14.0f   (%.2fx hugo time, %.2fx memory)\n' "$name" "$w" "$r" \
        "$(awk -v a="$w" -v b="$hw" 'BEGIN { print a / b }')" "$(awk -v a="$r" -v b="$hr" 'BEGIN { print a / b }')"
done
printf '%-34s %10.3f %14.0f\n' "hugo (over its own output)" "$hw" "$hr"
