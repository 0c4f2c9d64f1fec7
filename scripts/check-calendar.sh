#!/usr/bin/env bash
# Builds the feeds of a plans folder (default releases/) and validates them with
# scripts/check-calendar.py; skips cleanly where Python or its packages are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
plans="${1:-releases}"
. scripts/python-checks.sh
require_python "import icalendar, recurring_ical_events" "pip install icalendar recurring-ical-events"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# The calendar does not depend on the day; a fixed one keeps the check's warnings stable.
today="${HERALD_TODAY:-2026-11-26}"
cargo run --quiet --locked -- build "$plans" --out "$out" --no-site --today "$today" >/dev/null
cargo run --quiet --locked -- calendar "$plans" -o "$out/herald-calendar.ics" --today "$today" >/dev/null
find "$out" -name '*.ics' | sort | xargs python3 scripts/check-calendar.py
