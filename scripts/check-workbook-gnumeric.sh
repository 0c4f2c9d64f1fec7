#!/usr/bin/env bash
# Recalculates the manual-test workbooks of the example release (releases/, 1.14.0) and of the
# workbook fixture with Gnumeric (`ssconvert --recalc`) and checks that every formula computes
# and gives the values herald cached: each sheet exported as CSV from the workbook as written
# (the cached values) must equal the same sheet of a copy whose cached formula results were all
# replaced by 999 and recalculated, so only a real recalculation gives the expected numbers.
# Skips (exit 0) when Gnumeric's ssconvert or python3 is not installed.
set -euo pipefail

if ! command -v ssconvert >/dev/null; then
  echo "skipped: Gnumeric (ssconvert) not installed"
  exit 0
fi
if ! command -v python3 >/dev/null; then
  echo "skipped: python3 not installed (needed to make the stale-cache copy)"
  exit 0
fi

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

herald() {
  cargo run --quiet --locked --manifest-path "$root/Cargo.toml" -- "$@" >/dev/null
}
herald workbook 1.14.0 --dir "$root/releases" --today 2026-11-26 -o "$work/example.xlsx"
herald workbook 2.0.0 --dir "$root/tests/fixtures/workbook/releases" --today 2030-03-08 \
  -o "$work/fixture.xlsx"

failed=0
formulas_total=0
for book in example fixture; do
  replaced=$(python3 - "$work/$book.xlsx" "$work/$book-stale.xlsx" <<'PY'
import re, sys, zipfile
src, dst = sys.argv[1:]
replaced = 0
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename.startswith("xl/worksheets/"):
            data, n = re.subn(rb"</f><v>[^<]*</v>", b"</f><v>999</v>", data)
            replaced += n
        zout.writestr(item, data)
print(replaced)
PY
)
  if [ "$replaced" -eq 0 ]; then
    echo "FAIL: no cached formula results found in the $book workbook"
    failed=1
    continue
  fi
  formulas_total=$((formulas_total + replaced))
  mkdir -p "$work/$book"
  # Gnumeric reports the table parts and the two-range print titles it does not read on stderr.
  ssconvert -S --export-type=Gnumeric_stf:stf_csv "$work/$book.xlsx" \
    "$work/$book/cached.%s.csv" 2>"$work/$book/cached.log"
  ssconvert -S --recalc --export-type=Gnumeric_stf:stf_csv "$work/$book-stale.xlsx" \
    "$work/$book/recalc.%s.csv" 2>"$work/$book/recalc.log"
  for sheet in Tests Summary Teams; do
    cached="$work/$book/cached.$sheet.csv"
    recalc="$work/$book/recalc.$sheet.csv"
    if [ ! -s "$cached" ] || [ ! -s "$recalc" ]; then
      echo "FAIL: Gnumeric did not export the sheet $sheet of the $book workbook"
      failed=1
    elif ! diff -u --label "$book $sheet: cached" --label "$book $sheet: recalculated" \
      "$cached" "$recalc"; then
      echo "FAIL: the $book workbook's $sheet sheet recalculated by Gnumeric differs from its cached values"
      failed=1
    elif [ "$sheet" != Tests ] && grep -q -e '999' -e '#NAME' -e '#VALUE' -e '#REF' -e 'COUNTIF' "$recalc"; then
      echo "FAIL: the $book workbook's $sheet sheet shows a stale value, an error or formula text after recalculation"
      grep -n -e '999' -e '#NAME' -e '#VALUE' -e '#REF' -e 'COUNTIF' "$recalc" | head -5
      failed=1
    fi
  done
  if grep -q "Invalid expression" "$work/$book/recalc.log"; then
    echo "FAIL: Gnumeric could not parse a formula of the $book workbook:"
    grep "Invalid expression" "$work/$book/recalc.log" | head -5
    failed=1
  fi
done
if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "ok: Gnumeric recalculates all $formulas_total formulas of 2 workbooks to their cached values (3 sheets each)"
