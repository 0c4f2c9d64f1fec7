#!/usr/bin/env bash
# Builds the feeds of the example plans (releases/) and of every test fixture whose plans pass
# `herald check`, then reads them all with scripts/check-libical.py: libical's parse and
# restriction checks, and vobject reading every feed in one process. Each part runs with a
# Python that has its package (libical's bindings are often only in the system Python) and
# skips cleanly where none has it.
set -euo pipefail
cd "$(dirname "$0")/.."

with_module() {
  local module="$1" python
  for python in /usr/bin/python3 python3; do
    if command -v "$python" >/dev/null 2>&1 && "$python" -c "$module" >/dev/null 2>&1; then
      echo "$python"
      return
    fi
  done
}
libical_python=$(with_module "import gi; gi.require_version('ICalGLib', '3.0'); from gi.repository import ICalGLib")
vobject_python=$(with_module "import vobject")
if [ -z "$libical_python" ] && [ -z "$vobject_python" ]; then
  echo "skipped: neither libical's Python bindings (gir1.2-ical-3.0, python3-gi) nor vobject installed"
  exit 0
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
today="${HERALD_TODAY:-2026-11-26}"
cargo build --quiet --locked
herald() { cargo run --quiet --locked -- "$@"; }

folders=(releases)
while IFS= read -r registry; do
  folders+=("$(dirname "$registry")")
done < <(find tests/fixtures -name teams.yaml | sort)
built=0
for plans in "${folders[@]}"; do
  name=$(echo "$plans" | tr '/' '_')
  if ! herald check "$plans" --today "$today" >/dev/null 2>&1; then
    continue # a fixture with errors on purpose: it has no feeds
  fi
  herald build "$plans" --out "$out/$name" --no-site --today "$today" >/dev/null
  built=$((built + 1))
done
# The example once more with a site URL: events then carry URL properties and links.
herald build releases --out "$out/site-url" --no-site --today "$today" \
  --site-url https://org.github.io/releases/ >/dev/null
mapfile -t feeds < <(find "$out" -name '*.ics' | sort)
echo "${#feeds[@]} feeds of $((built + 1)) builds ($built plans folders that pass check)"

status=0
if [ -n "$libical_python" ]; then
  "$libical_python" scripts/check-libical.py --libical "${feeds[@]}" || status=1
else
  echo "skipped: libical's Python bindings not installed (apt-get install gir1.2-ical-3.0 python3-gi)"
fi
if [ -n "$vobject_python" ]; then
  "$vobject_python" scripts/check-libical.py --vobject "${feeds[@]}" || status=1
else
  echo "skipped: vobject not installed (pip install vobject)"
fi
exit "$status"
