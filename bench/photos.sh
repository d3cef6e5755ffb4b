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
  /usr/bin/time -f "%e %U %S %M" -o /tmp/xiezuo-photos-time "$@" > /dev/null
  read -r wall user sys rss < /tmp/xiezuo-photos-time
  printf '%-40s wall %7.2f s  cpu %7.2f s  peak %4d MB\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))"
}

timed "first build (all photos encoded)" "$BIN" build "$SITE"
echo "编辑正文。" >> "$SITE/content/cases/case000/index.md"
timed "second build (one text edited)" "$BIN" build "$SITE"
rm -rf "$SITE/public"
timed "into an empty folder, cache kept" "$BIN" build "$SITE"
echo "output: $(du -sm "$SITE/public" | cut -f1) MB; cache: $(du -sm "$SITE/.xiezuo-cache" | cut -f1) MB"

# The phone: a copy of the site served from 127.0.0.1, the case page opened whole in a frame
# 390 CSS pixels wide (headless Chromium's window is never narrower than 500) and as tall as the
# page, so every lazy photo loads, as it does for a reader who scrolls to the end.
"$BIN" build "$SITE" -o "$SITE/phone" --base-url "http://127.0.0.1:$PORT/" > /dev/null
echo '<!doctype html><body style="margin:0"><iframe src="/cases/case000/" style="width:390px;height:9000px;border:0"></iframe>' > "$SITE/phone/phone.html"
before=$(stat -c %s "$SITE"/content/cases/case000/p{0,1,2}.jpg | paste -sd+ | bc)
echo "case page with three photos: originals (published as they were before) $((before / 1024)) KB"
for dpr in 1 2 3; do
  python3 -m http.server "$PORT" --bind 127.0.0.1 -d "$SITE/phone" > /tmp/xiezuo-photos-http.log 2>&1 &
  server=$!
  sleep 1
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --window-size=500,9000 --force-device-scale-factor=$dpr --virtual-time-budget=8000 \
    --dump-dom "http://127.0.0.1:$PORT/phone.html" > /dev/null 2>&1
  kill "$server"
  wait "$server" 2>/dev/null || true
  images=0; own=0; total=0
  for path in $(grep -a -o '"GET [^ ]*' /tmp/xiezuo-photos-http.log | cut -d' ' -f2 | sort -u | grep -v 'phone.html\|favicon'); do
    file="$SITE/phone${path%%\?*}"
    [ -d "$file" ] && file="$file/index.html"
    size=$(stat -c %s "$file")
    total=$((total + size))
    case $path in
      /cases/case000/*.jpg) own=$((own + size)); images=$((images + size));;
      *.jpg) images=$((images + size));;
    esac
  done
  echo "390 px phone at DPR $dpr: its three photos $((own / 1024)) KB, all photos (with related cases' thumbnails) $((images / 1024)) KB, whole page $((total / 1024)) KB"
done
