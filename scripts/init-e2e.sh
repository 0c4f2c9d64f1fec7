#!/usr/bin/env bash
# A new user's first minutes, end to end: in a new git repository outside this tree,
# `herald init --ci github`, commit, `herald check`, `herald build`, then the workflow linter
# on the workflow init wrote (and check-jsonschema's GitLab CI schema on what
# `herald init --ci gitlab` writes). Uses HERALD (a herald binary) if set, else builds
# target/debug/herald (the profile `cargo test` has built already). Skips cleanly when git
# or cargo is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
here=$PWD

have() { command -v "$1" >/dev/null 2>&1; }
if ! have git; then
    echo "skipped: git is not installed"
    exit 0
fi
if [[ -z "${HERALD:-}" ]]; then
    if ! have cargo; then
        echo "skipped: cargo is not installed and HERALD names no herald binary"
        exit 0
    fi
    cargo build --locked --quiet
    HERALD="${CARGO_TARGET_DIR:-$here/target}/debug/herald"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
repo="$tmp/plans"
mkdir "$repo"
cd "$repo"
git init --quiet
"$HERALD" init --ci github
git add .
git -c user.name="Release Master" -c user.email=rm@example.com commit --quiet -m "Plans from herald init"
"$HERALD" check
"$HERALD" build
test -f public/site/index.html || { echo "init-e2e: no public/site/index.html after the build" >&2; exit 1; }
"$here/scripts/lint-workflows.sh" "$repo/.github/workflows/herald.yml"

gitlab="$tmp/gitlab"
mkdir "$gitlab"
cd "$gitlab"
"$HERALD" init --ci gitlab >/dev/null
"$HERALD" check >/dev/null
if have check-jsonschema; then
    check-jsonschema --builtin-schema vendor.gitlab-ci .gitlab-ci.yml
else
    echo "init-e2e: skipped the GitLab CI schema: check-jsonschema is not installed"
fi
echo "init-e2e: ok: init --ci github checks, builds and lints; init --ci gitlab checks"
