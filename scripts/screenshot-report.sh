#!/usr/bin/env bash
# Screenshot of a report page (report.html or diff.html) with headless Chromium, for the README.
# usage: scripts/screenshot-report.sh REPORT.html OUT.png [WIDTH,HEIGHT]
# Japanese and Chinese need a CJK font (Debian: fonts-noto-cjk), else they draw as empty boxes.
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 REPORT.html OUT.png [WIDTH,HEIGHT]" >&2
  exit 2
fi
page=$(realpath "$1")
out=$(realpath -m "$2")
size=${3:-1280,1600}
browser=${BONSAI_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$browser" ]; then
  echo "$0: no Chromium found (apt-get install chromium, or set BONSAI_CHROMIUM)" >&2
  exit 2
fi
if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=ja | grep -q .; then
  echo "$0: warning: no Japanese font installed (apt-get install fonts-noto-cjk); kanji will be boxes" >&2
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$profile" \
  --window-size="$size" --screenshot="$out" "file://$page" >/dev/null 2>&1
echo "$out"
