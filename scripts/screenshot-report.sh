#!/usr/bin/env bash
# Screenshots of the report pages with headless Chromium, for the README.
# usage: scripts/screenshot-report.sh REPORT.html OUT.png [WIDTH,HEIGHT] [#FRAGMENT]
#        scripts/screenshot-report.sh --example [DIR]
# The second form builds the two-round example of fixtures/screenshot-example
# (two constructed outputs files scored with `score --label`, gated and diffed
# by the CLI, built first) and writes DIR/report.png and DIR/diff.png (DIR: docs).
# Japanese and Chinese need a CJK font (Debian: fonts-noto-cjk), else they draw as empty boxes.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
browser=${BONSAI_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$browser" ]; then
  echo "$0: no Chromium found (apt-get install chromium, or set BONSAI_CHROMIUM)" >&2
  exit 2
fi
if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=ja | grep -q .; then
  echo "$0: warning: no Japanese font installed (apt-get install fonts-noto-cjk); kanji will be boxes" >&2
fi

# shot PAGE OUT SIZE FRAGMENT: one page, opened with the view in its URL fragment (filters, an opened probe).
shot() {
  local page out size fragment profile
  page=$(realpath "$1"); out=$(realpath -m "$2"); size=$3; fragment=${4:-}
  profile=$(mktemp -d)
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$profile" \
    --virtual-time-budget=5000 --window-size="$size" --screenshot="$out" "file://$page$fragment" >/dev/null 2>&1
  rm -rf "$profile"
  echo "$out"
}

if [ "${1:-}" = "--example" ]; then
  docs=$(realpath -m "${2:-$here/docs}")
  example="$here/fixtures/screenshot-example"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$here" && npm run --silent build) # the pages as this tree writes them, not an older dist/
  cli() { node "$here/bin/bonsai-eval.js" "$@" >/dev/null || [ $? -eq 1 ]; } # 1: probes failed or the gate said no — expected here
  cli score --outputs "$example/round-17.jsonl" --suite "$example/triage.yaml" --out "$work/round-17" --label round-17
  cli score --outputs "$example/round-18.jsonl" --suite "$example/triage.yaml" --out "$work/round-18" --label round-18
  cli gate "$work/round-18" --policy "$example/policy.yaml" --baseline "$work/round-17"
  cli diff "$work/round-17" "$work/round-18" --out "$work/diff"
  mkdir -p "$docs"
  shot "$work/round-18/report.html" "$docs/report.png" 1280,2300 "#status=notpass&open=triage%2Fexplain-tokyo"
  shot "$work/diff/diff.html" "$docs/diff.png" 1280,2300 "#open=triage%2Fkatakana-wonton"
  exit 0
fi

if [ $# -lt 2 ]; then
  echo "usage: $0 REPORT.html OUT.png [WIDTH,HEIGHT] [#FRAGMENT] | $0 --example [DIR]" >&2
  exit 2
fi
shot "$1" "$2" "${3:-1280,1600}" "${4:-}"
