# Sourced by the scripts that check herald's output with Python packages:
# `require_python "import a, b" "pip install a b"` exits the calling script with status 0 and
# a "skipped:" line when python3 or one of the packages is missing, so CI without them passes.
require_python() {
  local imports=$1 install=$2
  if ! command -v python3 >/dev/null 2>&1; then
    echo "skipped: python3 not installed"
    exit 0
  fi
  if ! python3 -c "$imports" >/dev/null 2>&1; then
    echo "skipped: Python packages for \`$imports\` not installed ($install)"
    exit 0
  fi
}
