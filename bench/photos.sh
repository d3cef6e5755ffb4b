#!/usr/bin/env bash
# Photos: a site of N phone photos (4000 × 3000, ~4 MB, orientation 6, GPS), three to a case.
#   bash bench/photos.sh          # 500 photos
#   bash bench/photos.sh 30       # a quick run
# Prints the first build (every photo decoded and encoded), a second build after editing one
# case's text (every copy from the cache), a build into an empty output folder with the cache
# kept, and the bytes a phone fetches for a case page with three photos, before (originals, as
# builds before photo processing published them) and after, in headless Chromium at 390 CSS
# pixels wide and a device pixel ratio of 2 and 3. Needs Pillow and chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500}
SITE=${SITE:-/tmp/xiezuo-photos-$N}
PORT=${PORT:-18816}
BIN=target/release/xiezuo
cargo build --release -q
[ -d "$SITE/content" ] || python3 bench/gen_photos.py bench "$SITE" "$N"
echo "photos: $(find "$SITE/content" -name '*.jpg' | wc -l), $(du -sm "$SITE/content" | cut -f1) MB; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$SITE/public" "$SITE/.xiezuo-cache" "$SITE/phone"

timed() {
  local label=$1; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o /tmp/xiezuo-photos-rss "$@" > /dev/null
  end=$(date +%s.%N)
  printf '%-44s %6.2f s  peak %4d MB\n' "$label" "$(echo "$end - $start" | bc)" "$(( $(cat /tmp/xiezuo-photos-rss) / 1024 ))"
}

timed "first build (all photos encoded)" "$BIN" build "$SITE"
echo "编辑正文。" >> "$SITE/content/cases/case000/index.md"
timed "second build (one text edited)" "$BIN" build "$SITE"
rm -rf "$SITE/public"
timed "into an empty folder, cache kept" "$BIN" build "$SITE"
echo "output: $(du -sm "$SITE/public" | cut -f1) MB; cache: $(du -sm "$SITE/.xiezuo-cache" | cut -f1) MB"

# The phone: a copy of the site served from 127.0.0.1, the case page opened whole (a window as
# tall as the page, so every lazy photo loads, as it does for a reader who scrolls to the end).
"$BIN" build "$SITE" -o "$SITE/phone" --base-url "http://127.0.0.1:$PORT/" > /dev/null
python3 -m http.server "$PORT" --bind 127.0.0.1 -d "$SITE/phone" > /tmp/xiezuo-photos-http.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
sleep 1
before=$(stat -c %s "$SITE"/content/cases/case000/p{0,1,2}.jpg | paste -sd+ | bc)
echo "case page with three photos: originals (published as they were before) $(( before / 1024 )) KB"
for dpr in 2 3; do
  : > /tmp/xiezuo-photos-http.log
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --window-size=390,6000 --force-device-scale-factor=$dpr --virtual-time-budget=8000 \
    --dump-dom "http://127.0.0.1:$PORT/cases/case000/" > /dev/null 2>&1
  images=0; total=0
  for path in $(grep -o '"GET [^ ]*' /tmp/xiezuo-photos-http.log | cut -d' ' -f2 | sort -u); do
    size=$(stat -c %s "$SITE/phone${path%%\?*}" 2>/dev/null || stat -c %s "$SITE/phone${path}index.html")
    total=$((total + size))
    case $path in *.jpg) images=$((images + size)); echo "  dpr $dpr fetched $path $((size / 1024)) KB";; esac
  done
  echo "phone at DPR $dpr: photos $((images / 1024)) KB, whole page $((total / 1024)) KB"
done
