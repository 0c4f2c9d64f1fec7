#!/usr/bin/env bash
# Builds the example site and checks it in headless Chromium at 1366x900, 1920x1080 and
# 390x844 and in print (scripts/screenshot-check.py: the DevTools protocol through a pipe,
# Python's standard library only): the first screen of each MagicBox shows the release date,
# the countdown, the next deadline and the four counts; no page scrolls sideways; every
# scrolling region is reachable by keyboard; the timeline's texts do not overlap; a MagicBox
# prints on at most three A4 pages. Pictures go to target/screenshots (the print's pages as
# PNG when pdftoppm is installed). Skips cleanly without Chromium or python3.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium_bin="${CHROMIUM:-}"
if [[ -z "$chromium_bin" ]]; then
    for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$candidate" >/dev/null 2>&1; then
            chromium_bin=$(command -v "$candidate")
            break
        fi
    done
fi
if [[ -z "$chromium_bin" ]]; then
    echo "skipped: Chromium is not installed (apt-get install chromium)"
    exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "skipped: python3 is not installed (it drives Chromium)"
    exit 0
fi

shots=target/screenshots
out=$shots/public
mkdir -p "$shots"
rm -f "$shots"/magicbox-* "$shots"/overview-*
cargo run --quiet -- build releases --out "$out" --today 2026-11-26 >/dev/null
python3 scripts/screenshot-check.py "$out/site" "$shots" --chromium "$chromium_bin"
