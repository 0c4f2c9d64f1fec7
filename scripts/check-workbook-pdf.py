#!/usr/bin/env python3
"""Checks the PDF LibreOffice printed of a manual-test workbook.

Usage: check-workbook-pdf.py WORKBOOK.xlsx WORKBOOK.pdf

Reads the words of every page with their boxes (`pdftotext -bbox`) and tells the sheets apart
by the footer herald sets (the sheet's name at the left). Fails when:
- the Tests sheet is more than two pages wide: the pages across are the Tests pages that hold
  the first test's id (column A repeats on every page across; the first test is on the first
  row of pages only);
- a header of the Tests table is on no page (a column was not printed);
- the text of the Tests sheet is small (median word height under 7 pt);
- two words on a page overlap (a row too short for its wrapped text spills into the next),
  or a word of a wrapped cell (title, steps, expected result, note) is missing from the pages.
Prints what it measured. Needs pdftotext (poppler) and openpyxl.
"""

import html
import re
import statistics
import subprocess
import sys
from collections import Counter

import openpyxl

WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
# How much of the smaller of two word boxes may be covered by the other: glyph boxes of
# neighbouring words touch, and accents reach into the line above.
OVERLAP = 0.25
MIN_WORD_HEIGHT = 7.0


def pages(pdf):
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], check=True, capture_output=True,
                         text=True).stdout
    result = []
    for width, height, body in PAGE.findall(out):
        words = [(float(a), float(b), float(c), float(d), html.unescape(t))
                 for a, b, c, d, t in WORD.findall(body)]
        result.append((float(width), float(height), words))
    return result


def sheet_of(height, words):
    """The sheet a page prints: the first word of its footer (the bottom 40 points)."""
    footer = sorted((w for w in words if w[1] > height - 40), key=lambda w: w[0])
    return footer[0][4] if footer else None


def overlaps(words):
    found = []
    boxes = sorted(words, key=lambda w: w[1])
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b[1] >= a[3]:
                break
            w = min(a[2], b[2]) - max(a[0], b[0])
            h = min(a[3], b[3]) - max(a[1], b[1])
            if w <= 0 or h <= 0:
                continue
            smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
            if smaller > 0 and w * h > OVERLAP * smaller:
                found.append((a[4], b[4]))
    return found


def main():
    xlsx, pdf = sys.argv[1:]
    book = openpyxl.load_workbook(xlsx)
    tests = book["Tests"]
    rows = [[c.value for c in row] for row in tests.iter_rows()]
    header_row = next(i for i, r in enumerate(rows) if r[0] == "ID")
    headers = [h for h in rows[header_row] if h]
    first_id = rows[header_row + 1][0]
    wrapped = [h for h in headers
               if h in ("Title", "Steps", "Expected result") or h.endswith(" Note")]
    columns = [rows[header_row].index(h) for h in wrapped]

    failures = []
    printed = pages(pdf)
    by_sheet = {}
    for number, (width, height, words) in enumerate(printed, 1):
        by_sheet.setdefault(sheet_of(height, words), []).append((number, words))
        for a, b in overlaps(words):
            failures.append(f"page {number}: `{a}` overlaps `{b}`")
    tests_pages = by_sheet.get("Tests", [])
    if not tests_pages:
        failures.append("no page has the footer `Tests`")
    across = [n for n, words in tests_pages if any(w[4] == first_id for w in words)]
    if len(across) > 2:
        failures.append(f"Tests is {len(across)} pages wide (pages {across}); at most 2")

    text = Counter(w[4] for _, words in tests_pages for w in words)
    joined = " ".join(w[4] for _, words in tests_pages for w in words)
    for h in headers:
        if h not in joined:
            failures.append(f"the header `{h}` is on no page of Tests")
    missing = Counter()
    for r in rows[header_row + 1:]:
        for c in columns:
            for word in str(r[c] or "").split():
                missing[word] += 1
    short = [w for w, n in missing.items() if text[w] < n]
    if short:
        failures.append(f"words of wrapped cells missing from the Tests pages: {short[:10]}")

    heights = [w[3] - w[1] for _, words in tests_pages for w in words]
    median = statistics.median(heights) if heights else 0
    if median < MIN_WORD_HEIGHT:
        failures.append(f"the Tests text is small: median word height {median:.1f} pt "
                        f"(at least {MIN_WORD_HEIGHT})")

    summary = ", ".join(f"{sheet}: {len(p)}" for sheet, p in by_sheet.items())
    print(f"{len(printed)} pages ({summary}); Tests {len(across)} pages wide, median word "
          f"height {median:.1f} pt; {sum(missing.values())} words of wrapped cells all printed; "
          f"{sum(len(w) for _, _, w in printed)} words, no two overlapping"
          if not failures else f"{len(printed)} pages ({summary})")
    for f in failures[:20]:
        print(f"FAIL: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
