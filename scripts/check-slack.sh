#!/usr/bin/env bash
# Builds the Slack drafts of the example plans, the test fixtures' plans and a large synthetic
# organisation (50 teams, 1,000 tests), and validates every payload with
# scripts/check-slack.py; skips cleanly where Python or slack_sdk is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/python-checks.sh
require_python "import slack_sdk.models.blocks" "pip install slack_sdk"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
today="${HERALD_TODAY:-2026-11-26}"
# Notes (a folder outside git, …) are not the check's business; an error stops it, shown.
herald() {
  if ! cargo run --quiet --locked -- "$@" >/dev/null 2>"$out/stderr"; then
    cat "$out/stderr" >&2
    echo "FAILED: herald $*" >&2
    exit 1
  fi
}
herald synth "$out/large" --releases 3 --teams 50 --tests 1000 --candidates 4 --today "$today"
n=0
for plans in releases tests/fixtures/*/releases tests/fixtures/cli/plans/releases "$out/large"; do
  n=$((n + 1))
  # With and without a site URL: the drafts link the site, or name it in words.
  herald build "$plans" --out "$out/$n" --no-site --today "$today"
  herald build "$plans" --out "$out/$n-site" --no-site --site-url https://org.example/releases \
    --today "$today"
done
find "$out" -path '*/slack/*.json' | sort | xargs python3 scripts/check-slack.py
