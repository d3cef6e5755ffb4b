#!/usr/bin/env bash
# Accessibility gates over the demo site, run by .ci/run after the tests:
#   1. the Nu Html Checker (npm vnu-jar, Java from Debian): 0 errors in every built HTML and SVG file;
#   2. axe-core in Debian's Chromium through playwright-core: 0 WCAG 2.0/2.1 A and AA violations
#      on one page of every kind, plain, with 大字, with 高对比 and with both (.ci/a11y/axe.mjs).
# A missing tool is a failure, never a skip.
# Usage: .ci/a11y/run.sh [XIEZUO_BINARY]   (default target/debug/xiezuo, built if missing)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
binary="${1:-$repo/target/debug/xiezuo}"
for tool in java node npm; do
  command -v "$tool" >/dev/null || { echo "accessibility gates: $tool is required" >&2; exit 1; }
done
[ -x "$binary" ] || (cd "$repo" && cargo build --quiet)
# --ignore-scripts: vnu-jar's install script would download a Java; Debian's is used instead.
(cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
vnu="$here/node_modules/vnu-jar/build/dist/vnu.jar"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$binary" build "$repo" -o "$out/site" >/dev/null
html_count=$(find "$out/site" -name '*.html' | wc -l)
svg_count=$(find "$out/site" -name '*.svg' | wc -l)
echo "Nu Html Checker: $html_count HTML and $svg_count SVG files"
java -jar "$vnu" --errors-only --skip-non-html "$out/site"
find "$out/site" -name '*.svg' -print0 | xargs -0 --no-run-if-empty java -jar "$vnu" --errors-only --svg
echo "Nu Html Checker: 0 errors"

node "$here/axe.mjs" "$binary" "$repo"
