#!/usr/bin/env bash
# Renders an llmlab HTML report in headless Chromium and saves a screenshot, to check that the page and its
# charts really display in a browser. Not part of the test suite (CI needs no browser).
#
#   scripts/report-screenshot.sh REPORT.html [OUT.png] [WIDTHxHEIGHT]
#
# Needs Chromium (Debian: apt-get install -y chromium). The browser runs offline-minded: no sync, no
# component updates, no background networking, a fresh throw-away profile.
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 REPORT.html [OUT.png] [WIDTHxHEIGHT]" >&2
  exit 2
fi
page=$(realpath "$1")
out=${2:-${page%.html}.png}
size=${3:-1100x3000}
[ -f "$page" ] || { echo "error: no such report: $page (make one with ./llmlab report)" >&2; exit 1; }

browser=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
done
if [ -z "$browser" ]; then
  echo "error: Chromium not found; install it (Debian: apt-get install -y chromium)" >&2
  exit 1
fi

profile=$(mktemp -d /tmp/llmlab-chromium.XXXXXX)
trap 'rm -rf "$profile"' EXIT
out=$(realpath -m "$out")
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars \
  --screenshot="$out" --window-size="${size/x/,}" "file://$page" >/dev/null 2>&1 || true
if [ ! -s "$out" ]; then
  echo "error: Chromium wrote no screenshot to $out" >&2
  exit 1
fi
echo "screenshot: $out"
