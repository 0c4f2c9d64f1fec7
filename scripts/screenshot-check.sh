#!/usr/bin/env bash
# Renders the MagicBox of 1.14.0 (three candidates) in headless Chromium at laptop size and in
# print, saves the pictures under target/screenshots, and checks them: the screenshot has the
# laptop size, is not blank and shows the timeline's colours; the print has a sane page count
# and the page's key sections. Skips cleanly when Chromium is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."

chromium_bin=""
for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$candidate" >/dev/null 2>&1; then
        chromium_bin=$(command -v "$candidate")
        break
    fi
done
if [[ -z "$chromium_bin" ]]; then
    echo "skipped: Chromium is not installed (apt-get install chromium)"
    exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "skipped: python3 is not installed (needed to read the screenshot)"
    exit 0
fi

shots=target/screenshots
out=target/screenshots/public
mkdir -p "$shots"
cargo run --quiet -- build releases --out "$out" --today 2026-11-26 >/dev/null
page="$(pwd)/$out/site/releases/1.14.0/magicbox.html"
svg="$(pwd)/$out/site/releases/1.14.0/timeline.svg"

chrome() {
    # A throwaway profile, so runs do not share state; --no-sandbox for containers running as root.
    "$chromium_bin" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$(mktemp -d)" --no-first-run --virtual-time-budget=3000 "$@" \
        >/dev/null 2>&1
}

fail() {
    echo "screenshot-check: $*" >&2
    exit 1
}

chrome --window-size=1366,768 --screenshot="$shots/magicbox-1366x768.png" "file://$page"
chrome --window-size=1000,400 --screenshot="$shots/timeline.png" "file://$svg"
chrome --no-pdf-header-footer --print-to-pdf="$shots/magicbox.pdf" "file://$page"

# WIDTH HEIGHT NONWHITE% COLOURS, then pixel counts of the colours asked for.
red=dc2626 blue=2563eb green=16a34a
read -r w h ink colours today_px rc_px release_px < <(python3 scripts/png_stats.py \
    "$shots/magicbox-1366x768.png" --count $red $blue $green)
[[ "$w" == 1366 && "$h" == 768 ]] || fail "screenshot is ${w}x${h}, not 1366x768"
awk "BEGIN { exit !($ink > 3) }" || fail "screenshot is blank (${ink}% ink)"
((colours > 50)) || fail "screenshot has only $colours colours"
# The timeline is visible above the fold: today's red marker and the candidates' blue.
((today_px > 20)) || fail "no today marker in the screenshot ($today_px red pixels)"
((rc_px > 20)) || fail "no release candidates in the screenshot ($rc_px blue pixels)"

read -r _ _ _ _ t_red t_blue t_green < <(python3 scripts/png_stats.py \
    "$shots/timeline.png" --count $red $blue $green)
((t_red > 20 && t_blue > 20 && t_green > 20)) ||
    fail "timeline lacks today/candidates/release colours ($t_red/$t_blue/$t_green)"

pages=""
if command -v pdfinfo >/dev/null 2>&1; then
    pages=$(pdfinfo "$shots/magicbox.pdf" | awk '/^Pages:/ { print $2 }')
else
    pages=$(python3 -c 'import re,sys; print(len(re.findall(rb"/Type\s*/Page[^s]", open(sys.argv[1],"rb").read())))' "$shots/magicbox.pdf")
fi
((pages >= 2 && pages <= 12)) || fail "print has $pages pages (expected 2 to 12)"
if command -v pdftotext >/dev/null 2>&1; then
    text=$(pdftotext "$shots/magicbox.pdf" -)
    for needle in "Release 1.14.0" "Key dates" "Cherry-pick deadline for RC2" "Release blockers" "Scrum of Scrums"; do
        grep -qF "$needle" <<<"$text" || fail "print lacks \"$needle\""
    done
fi

echo "screenshot-check: ok: ${w}x${h} screenshot with ${ink}% ink, ${today_px} today and ${rc_px} candidate pixels; print has $pages pages; files in $shots"
