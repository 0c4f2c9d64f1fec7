#!/usr/bin/env bash
# Opens the manual-test workbook of the fixture release in LibreOffice Calc (headless), with every
# formula recalculated on load, and compares each sheet, exported as CSV, with the expected
# values. A second copy has every cached formula result replaced by 999, so only a real
# recalculation of the Summary and Teams formulas gives the expected counts.
# Then prints the example release's workbook (releases/, 1.14.0) to PDF and checks the pages
# with scripts/check-workbook-pdf.py: Tests at most two pages wide, every column printed,
# text of a legible size, no two words overlapping (rows tall enough for their wrapped text).
# Skips (exit 0) when LibreOffice or python3 is not installed; the PDF check skips when
# pdftotext or openpyxl is missing. KEEP_PDF=DIR keeps the PDF there, to look at the pages.
set -euo pipefail

soffice=$(command -v soffice || command -v libreoffice || true)
if [ -z "$soffice" ]; then
  echo "skipped: LibreOffice (soffice) not installed"
  exit 0
fi
if ! command -v python3 >/dev/null; then
  echo "skipped: python3 not installed (needed to make the stale-cache copy)"
  exit 0
fi

root=$(cd "$(dirname "$0")/.." && pwd)
fixture="$root/tests/fixtures/workbook"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo run --quiet --manifest-path "$root/Cargo.toml" -- \
  workbook 2.0.0 --dir "$fixture/releases" --today 2030-03-08 -o "$work/fresh.xlsx" >/dev/null

python3 - "$work/fresh.xlsx" "$work/stale.xlsx" <<'PY'
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
if replaced == 0:
    sys.exit("no cached formula results found to replace")
PY

# A private profile that recalculates OOXML formulas on load ("Always", not the default "Never").
profile="$work/profile"
mkdir -p "$profile/user"
cat >"$profile/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
XCU

# CSV: comma, double quotes, UTF-8, values as shown, every sheet to its own file.
filter='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1'
failed=0
for book in fresh stale; do
  timeout 180 "$soffice" -env:UserInstallation="file://$profile" --headless \
    --convert-to "$filter" --outdir "$work/$book" "$work/$book.xlsx" >/dev/null 2>&1
  for sheet in Tests Summary Teams; do
    actual="$work/$book/$book-$sheet.csv"
    if [ ! -f "$actual" ]; then
      echo "FAIL: LibreOffice did not export sheet $sheet of the $book workbook"
      failed=1
    elif ! diff -u "$fixture/libreoffice/$sheet.csv" "$actual"; then
      echo "FAIL: sheet $sheet of the $book workbook differs from $fixture/libreoffice/$sheet.csv"
      failed=1
    fi
  done
done
if [ "$failed" -ne 0 ]; then
  exit 1
fi
echo "ok: LibreOffice opens the workbook and recalculates the expected values (3 sheets, fresh and stale copies)"

if ! command -v pdftotext >/dev/null; then
  echo "skipped: the printed pages (pdftotext, from poppler-utils, not installed)"
  exit 0
fi
if ! python3 -c "import openpyxl" 2>/dev/null; then
  echo "skipped: the printed pages (python3 openpyxl not installed)"
  exit 0
fi
cargo run --quiet --manifest-path "$root/Cargo.toml" -- \
  workbook 1.14.0 --dir "$root/releases" --today 2026-11-26 -o "$work/example.xlsx" >/dev/null
timeout 180 "$soffice" -env:UserInstallation="file://$profile" --headless \
  --convert-to pdf --outdir "$work/pdf" "$work/example.xlsx" >/dev/null 2>&1
if [ ! -f "$work/pdf/example.pdf" ]; then
  echo "FAIL: LibreOffice did not print the example workbook to PDF"
  exit 1
fi
if [ -n "${KEEP_PDF:-}" ]; then
  mkdir -p "$KEEP_PDF" && cp "$work/pdf/example.pdf" "$work/example.xlsx" "$KEEP_PDF/"
fi
if ! report=$(python3 "$root/scripts/check-workbook-pdf.py" "$work/example.xlsx" "$work/pdf/example.pdf"); then
  echo "$report"
  echo "FAIL: the example workbook does not print well"
  exit 1
fi
echo "ok: LibreOffice prints the example workbook legibly: $report"
