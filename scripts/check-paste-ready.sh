#!/usr/bin/env bash
# Builds the paste-ready MagicBoxes of a plans folder (default releases/) and renders each with
# cmark-gfm and markdown-it in their default, safe settings (scripts/check-paste-ready.py):
# nothing omitted, no tag shown as text, every heading and table present. Skips cleanly where
# Python or its packages are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
plans="${1:-releases}"
. scripts/python-checks.sh
require_python "import cmarkgfm, markdown_it" "pip install cmarkgfm markdown-it-py"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
today="${HERALD_TODAY:-2026-11-26}"
cargo run --quiet --locked -- build "$plans" --out "$out" --no-site --today "$today" >/dev/null
find "$out/wiki" -name 'MagicBox-*.md' | sort | xargs python3 scripts/check-paste-ready.py
