#!/usr/bin/env bash
# Benchmark: from saving a case to the open page being told to reload, with `xiezuo serve`.
#
#   bash bench/reload.sh [N_CASES] [N_BRANDS]        (defaults 1000 100)
#
# Generates the corpus (bench/gen_corpus.py), starts `xiezuo serve` on it (release build, a
# free port) and runs bench/reload.py: EDITS (default 20) times, append a sentence to one case
# and time the write until the reload event reaches a client connected to the build-state
# stream, as an open page is. Prints every time and the median. Environment: SEED, EDITS,
# PAUSE (seconds between edits, default 1.5), KEEP=1 to keep the work folder.
set -euo pipefail

N=${1:-1000}
M=${2:-$(( N / 10 > 0 ? N / 10 : 1 ))}
SEED=${SEED:-1}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PYTHON:-python3}
log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

(cd "$ROOT" && cargo build --release >&2) || die "cargo build --release failed"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/xiezuo-reload.XXXXXX")
cleanup() { if [ "${KEEP:-0}" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
log "generating corpus: $N cases, $M brands -> $WORK"
"$PY" "$ROOT/bench/gen_corpus.py" "$WORK/site/content" --cases "$N" --brands "$M" --seed "$SEED" \
    >/dev/null || die "corpus generation failed"
echo "xiezuo serve, $N cases, $M brands, seed $SEED; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" "$ROOT/bench/reload.py" "$ROOT/target/release/xiezuo" "$WORK/site" \
    --edits "${EDITS:-20}" --pause "${PAUSE:-1.5}"
