#!/usr/bin/env bash
# Builds the example site for a GitHub Pages project site (https://org.github.io/releases/)
# and serves it under /releases/ from a local HTTP server: every page, the 404 page at a
# missing address and every file they reference must be found. Skips without python3.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v python3 >/dev/null 2>&1; then
    echo "skipped: python3 is not installed (it serves the site)"
    exit 0
fi
out=target/subpath-check
cargo run --quiet -- build releases --out "$out" --today 2026-11-26 \
    --site-url https://org.github.io/releases/ >/dev/null
python3 scripts/check-site-subpath.py "$out/site" --path /releases/
