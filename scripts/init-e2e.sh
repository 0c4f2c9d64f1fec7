#!/usr/bin/env bash
# A new user's first minutes, end to end: in a new git repository outside this tree,
# `herald init --ci github`, commit, `herald check`, `herald build`, `herald serve` (a plan edit
# shows on the next request), then the workflow linters on the workflow init wrote (and
# check-jsonschema's GitLab CI schema on what `herald init --ci gitlab` writes). Uses HERALD (a herald binary) if set, else builds
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

# herald serve: the site on a free port, and a plan edit showing on the next request.
if have curl; then
    "$HERALD" serve --port 0 >"$tmp/serve.log" 2>&1 &
    serve_pid=$!
    trap 'kill "$serve_pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
    url=""
    for _ in $(seq 100); do
        url=$(sed -n 's|.* on \(http://127.0.0.1:[0-9]*/\)$|\1|p' "$tmp/serve.log" | head -n 1)
        [[ -n $url ]] && break
        sleep 0.1
    done
    [[ -n $url ]] || { echo "init-e2e: herald serve printed no address:" >&2; cat "$tmp/serve.log" >&2; exit 1; }
    page=$(curl -fsS --noproxy "*" "$url")
    grep -q "First light" <<<"$page" ||
        { echo "init-e2e: $url does not show the example release" >&2; exit 1; }
    sed -i 's/^codename: First light /codename: Second light/' releases/1.0.yaml
    page=$(curl -fsS --noproxy "*" "$url")
    grep -q "Second light" <<<"$page" ||
        { echo "init-e2e: $url did not show the edited plan on the next request" >&2; exit 1; }
    kill "$serve_pid"
    wait "$serve_pid" 2>/dev/null || true
    git checkout --quiet releases/1.0.yaml
    echo "init-e2e: ok: herald serve served the site and rebuilt it after a plan edit"
else
    echo "init-e2e: skipped herald serve: curl is not installed"
fi

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
