#!/usr/bin/env bash
# Benchmarks herald against its own previous build, in one run, on organisations made by
# `herald synth`, and prints each measure for the previous and the new binary side by side
# with their ratio (new / previous) and the target:
#   medium: 50 releases, 20 teams, 300 tests, 3 candidates
#   large:  200 releases, 50 teams, 1,000 tests, 4 candidates
# Measures: full build (site included), its peak memory (/usr/bin/time -f %M), a rebuild
# after one release file changed, a no-op rebuild and `check`; then the split of the new
# binary's full build from `herald build --timings`. Old and new runs alternate, so a
# machine that speeds up or slows down mid-run weighs on both alike; each figure is the
# median of RUNS runs (5 by default).
#
# The previous binary: HERALD_BASE_BIN if set; else the commit HERALD_BASE_REV (default
# 74b18c2, main before the performance work) is checked out as a git worktree in
# target/bench-base and built there once (kept for the next run; `git worktree remove
# target/bench-base` frees it). The new binary is this checkout's release build.
#
# Usage: scripts/bench.sh [medium|large ...]   (RUNS=5 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
today=2026-11-26
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(medium large)

cargo build --release --locked --quiet
new=${CARGO_TARGET_DIR:-$PWD/target}/release/herald
if [ -n "${HERALD_BASE_BIN:-}" ]; then
  old=$HERALD_BASE_BIN
else
  rev=${HERALD_BASE_REV:-74b18c2}
  base=$PWD/target/bench-base
  if [ ! -d "$base" ]; then
    git worktree add --detach "$base" "$rev" >/dev/null
  fi
  git -C "$base" checkout --quiet --detach "$rev"
  (cd "$base" && CARGO_TARGET_DIR="$base/target" cargo build --release --locked --quiet)
  old=$base/target/release/herald
fi
[ -x "$old" ] || { echo "no previous binary at $old" >&2; exit 2; }
/usr/bin/time -f %M true >/dev/null 2>&1 || { echo "needs GNU time as /usr/bin/time" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -g | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print "-"}'; }

# Runs a command once; appends "<seconds> <peak KB>" to the file $1; output goes to $2.
measure() {
  local into=$1 log=$2
  shift 2
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$log"
  cat "$work/time" >>"$into"
}
col() { awk -v c="$1" '{print $c}' "$2" | median; }

printf 'herald %s (previous) against %s (new); %s runs each, alternating; load average %s\n' \
  "$old" "$new" "$runs" "$(cut -d' ' -f1-3 /proc/loadavg)"
for size in "${sizes[@]}"; do
  plans=$work/$size/releases
  mkdir -p "$work/$size"
  case $size in
    medium) "$new" synth "$plans" --releases 50 --teams 20 --tests 300 --candidates 3 --today $today >/dev/null ;;
    large) "$new" synth "$plans" --releases 200 --teams 50 --tests 1000 --candidates 4 --today $today >/dev/null ;;
    *) echo "unknown size $size (medium, large)" >&2; exit 2 ;;
  esac
  # The newest release file: the one a Release Master edits most.
  last=$(ls "$plans"/*.yaml | grep -v -e teams.yaml -e manual-tests.yaml | sort -V | tail -1)
  cp "$last" "$work/$size/last.yaml"
  r=$work/$size/r
  mkdir -p "$r"
  for i in $(seq "$runs"); do
    cp "$work/$size/last.yaml" "$last"
    for who in old new; do
      bin=${!who}
      out=$work/$size/out-$who
      rm -rf "$out"
      measure "$r/full-$who" "$r/timings-$who-$i" "$bin" build "$plans" --out "$out" --today $today --timings
      measure "$r/noop-$who" /dev/null "$bin" build "$plans" --out "$out" --today $today
      measure "$r/check-$who" /dev/null "$bin" check "$plans" --today $today
    done
    # One release changed: the same edit for both, each on its own output.
    printf '\n# edited for the benchmark, run %s\n' "$i" >>"$last"
    sed -i "s/^codename: .*/codename: Bench $i/" "$last"
    for who in old new; do
      measure "$r/one-$who" /dev/null "${!who}" build "$plans" --out "$work/$size/out-$who" --today $today
    done
  done
  full_new=$(col 1 "$r/full-new")
  echo
  echo "$size: $(ls "$plans" | wc -l) plan files, $(du -sm "$plans" | cut -f1) MB; output $(du -sm "$work/$size/out-new" | cut -f1) MB"
  printf '  %-26s %10s %10s %7s  %s\n' measure previous new ratio target
  row() { # name, old value, new value, unit, target
    awk -v n="$1" -v a="$2" -v b="$3" -v u="$4" -v t="$5" 'BEGIN {
      printf "  %-26s %9.3f%s %9.3f%s %6.2fx  %s\n", n, a, u, b, u, (a > 0 ? b / a : 0), t }'
  }
  full_target="<= 0.40x previous"
  [ "$size" = medium ] && full_target="<= 0.45x previous"
  row "full build (site)" "$(col 1 "$r/full-old")" "$full_new" s "$full_target"
  row "peak memory, full build" "$(col 2 "$r/full-old" | awk '{print $1 / 1024}')" \
    "$(col 2 "$r/full-new" | awk '{print $1 / 1024}')" M "<= 500 MB"
  one_new=$(col 1 "$r/one-new")
  row "one release changed" "$(col 1 "$r/one-old")" "$one_new" s \
    "<= 0.2x new full = $(awk -v f="$full_new" 'BEGIN {printf "%.2f s", 0.2 * f}')"
  row "no-op rebuild" "$(col 1 "$r/noop-old")" "$(col 1 "$r/noop-new")" s "<= 0.3 s"
  row "check" "$(col 1 "$r/check-old")" "$(col 1 "$r/check-new")" s "<= 1.00x previous"
  # The split: each stage's median over the new binary's full builds. Stages run one after
  # another except the site, which runs beside workbooks, drafts and calendars; pages,
  # workbooks, drafts and calendars are CPU time summed over the threads that render.
  printf '  split of the new full build (medians):'
  for stage in parse check plan pages workbooks drafts calendars write site; do
    value=$(cat "$r"/timings-new-* | grep -h '^timings:' |
      sed -E "s/.*[ (]$stage ([0-9.]+)s.*/\1/;t;d" | median)
    printf ' %s %ss' "$stage" "$value"
  done
  echo
done
