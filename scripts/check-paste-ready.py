#!/usr/bin/env python3
"""Renders every paste-ready MagicBox (MagicBox-*.md) with two CommonMark renderers in their
default, safe settings, as wikis paste them: cmark-gfm (cmarkgfm, default options: raw HTML
is replaced by a comment) and markdown-it (markdown-it-py, default preset with html off: raw
HTML is shown as text). Asserts that nothing is lost or garbled:

- no `raw HTML omitted` comment (cmark-gfm dropped something);
- no tag shown as text (`&lt;div`, `&lt;a `, `&lt;button`, ...);
- every heading of the Markdown is a heading of the HTML, in both renderers;
- every table of the Markdown is a table of the HTML (GitHub-flavoured tables in cmark-gfm;
  markdown-it's default preset has tables too).

    scripts/check-paste-ready.py FILE...
"""

import html
import re
import sys

try:
    import cmarkgfm
    from markdown_it import MarkdownIt
except ImportError:
    print("skipped: Python packages cmarkgfm and markdown-it-py not installed "
          "(pip install cmarkgfm markdown-it-py)")
    sys.exit(0)

TAG_AS_TEXT = re.compile(r"&lt;/?(div|a|p|span|button|details|summary|br|img|table|strong)\b", re.I)


def headings(md):
    """The ATX headings of a Markdown text, outside code fences, as plain text."""
    out, fence = [], False
    for line in md.splitlines():
        if line.startswith("```") or line.startswith("~~~"):
            fence = not fence
        if not fence and (m := re.match(r"^(#{1,6}) +(.*?) *#*$", line)):
            out.append((len(m.group(1)), m.group(2)))
    return out


def tables(md):
    """How many GFM tables a Markdown text holds: delimiter rows right after a header row."""
    return len(re.findall(r"^\|.*\|\n\| *:?-{3,}", md, re.M))


def text_of(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def check(path, md, name, rendered):
    problems = []
    if "raw HTML omitted" in rendered:
        problems.append(f"{name} omitted raw HTML ({rendered.count('raw HTML omitted')} times)")
    for m in TAG_AS_TEXT.finditer(rendered):
        start = max(0, m.start() - 40)
        problems.append(f"{name} shows a tag as text: …{rendered[start:m.end() + 30]}…")
    shown = [(int(level), text_of(body))
             for level, body in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", rendered, re.S)]
    for level, title in headings(md):
        plain = text_of(cmarkgfm.github_flavored_markdown_to_html(title))
        if (level, plain) not in shown:
            problems.append(f"{name} lost the heading {'#' * level} {title}")
    want, got = tables(md), rendered.count("<table")
    if got != want:
        problems.append(f"{name} shows {got} tables of {want}")
    return [f"{path}: {p}" for p in problems]


def main(paths):
    if not paths:
        print("check-paste-ready: no MagicBox-*.md given", file=sys.stderr)
        return 2
    md_it = MarkdownIt("default", {"html": False})
    failures = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            md = f.read()
        failures += check(path, md, "cmark-gfm", cmarkgfm.github_flavored_markdown_to_html(md))
        failures += check(path, md, "markdown-it", md_it.render(md))
    for failure in failures:
        print(f"check-paste-ready: FAIL: {failure}", file=sys.stderr)
    if failures:
        return 1
    print(f"check-paste-ready: ok: {len(paths)} pages render whole in cmark-gfm and markdown-it "
          "(safe defaults): no HTML omitted, no tag shown as text, every heading and table there")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
