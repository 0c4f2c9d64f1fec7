#!/usr/bin/env python3
"""Drives headless Chromium over the DevTools protocol (through a pipe: standard library
only) across a built site, and asserts from the DOM and the layout:

- at 1366x900 and 390x844 (and 1920x1080), the first screen of every MagicBox shows the
  release date, the countdown, the next deadline and the four counts (blockers, failing
  tests, approvals, tests not run): each element visible and inside the viewport;
- no page of the site scrolls sideways at 1366x900, 1920x1080 or 390x844;
- every region that scrolls sideways can be reached by keyboard (tabindex), as axe's
  scrollable-region-focusable asks;
- the timeline picture is shown at a size where its 13 px labels are at least 12 px, and
  its texts (measured by Chromium, not estimated) do not overlap;
- printed, a MagicBox has no sidebar or toolbar and takes at most three A4 pages.

Screenshots of each MagicBox and of the overview (laptop, wide, phone) and the print pages
go to the output folder.

    scripts/screenshot-check.py SITE_DIR OUT_DIR [--chromium PATH]
"""

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

VIEWPORTS = [("laptop", 1366, 900), ("wide", 1920, 1080), ("phone", 390, 844)]
GLANCE = ["release-date", "countdown", "next-deadline", "blockers", "failing-tests", "approvals", "not-run"]
MAX_PRINT_PAGES = 3


class Chromium:
    """A headless Chromium spoken to over --remote-debugging-pipe (fd 3 in, fd 4 out)."""

    def __init__(self, binary):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        self.profile = tempfile.mkdtemp(prefix="herald-chromium-")

        def fds():
            # Out of the way first, so neither end lands on the other's number.
            read_end, write_end = os.dup(to_chrome_r) + 100, os.dup(from_chrome_w) + 100
            os.dup2(to_chrome_r, read_end)
            os.dup2(from_chrome_w, write_end)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.proc = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--no-first-run", "--no-default-browser-check", "--remote-debugging-pipe",
             "--allow-file-access-from-files", f"--user-data-dir={self.profile}", "about:blank"],
            preexec_fn=fds, close_fds=False, stdout=subprocess.DEVNULL,
            stderr=None if os.environ.get("HERALD_CHROMIUM_LOG") else subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, session=None, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method, session, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    del self.events[i]
                    return event
            self.events.append(self._read())
        raise RuntimeError(f"no {method} within {timeout}s")

    def page(self):
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session)
        return Page(self, session)


class Page:
    def __init__(self, chrome, session):
        self.chrome, self.session = chrome, session

    def call(self, method, **params):
        return self.chrome.call(method, self.session, **params)

    def viewport(self, width, height):
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=width < 600)

    def open(self, url):
        self.chrome.events.clear()
        self.call("Page.navigate", url=url)
        self.chrome.wait_event("Page.loadEventFired", self.session)
        # Fonts and the scripts' first pass (sidebar, scroll regions).
        self.eval("document.fonts.ready.then(() => new Promise(r => setTimeout(r, 150)))", awaited=True)

    def eval(self, expression, awaited=False):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=awaited)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}…: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def pdf(self, path):
        data = self.call("Page.printToPDF", paperWidth=8.27, paperHeight=11.69,
                         printBackground=True, preferCSSPageSize=True,
                         displayHeaderFooter=False)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))


GLANCE_JS = """
(() => {
  const out = {};
  for (const name of %s) {
    const el = document.querySelector(`[data-glance="${name}"]`);
    if (!el) { out[name] = "missing"; continue; }
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    const visible = r.width > 0 && r.height > 0 && style.visibility !== "hidden" && style.display !== "none"
      && (el.checkVisibility ? el.checkVisibility({opacityProperty: true, visibilityProperty: true}) : true);
    if (!visible) { out[name] = "hidden"; continue; }
    if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) {
      out[name] = `outside the first screen (${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)} in ${innerWidth}x${innerHeight})`;
      continue;
    }
    out[name] = "ok";
  }
  return out;
})()
""" % json.dumps(GLANCE)

SCROLL_JS = """
(() => {
  const s = document.scrollingElement;
  const unreachable = [];
  for (const el of document.querySelectorAll("body *")) {
    const style = getComputedStyle(el);
    if (!/(auto|scroll)/.test(style.overflowX) || el.scrollWidth <= el.clientWidth + 1) continue;
    if (el.closest("#mdbook-sidebar, .sidebar, #mdbook-search-wrapper")) continue;
    const focusable = el.tabIndex >= 0 || el.querySelector("a[href], button, input, select, textarea, [tabindex]");
    if (!focusable) unreachable.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : ""));
  }
  // mdBook clips the page sideways (overflow-x: clip), so a page never scrolls: what sticks
  // out is cut off instead. Find it: content past the viewport's right edge that no
  // scrolling or clipping box of its own holds.
  const cut = [];
  for (const el of document.querySelectorAll("#mdbook-content *, #mdbook-menu-bar *")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= innerWidth + 1) continue;
    let held = false;
    for (let a = el.parentElement; a && a.tagName !== "MAIN" && a.id !== "mdbook-content"; a = a.parentElement) {
      if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(a).overflowX) && a.getBoundingClientRect().right <= innerWidth + 1) { held = true; break; }
    }
    if (!held) cut.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.split(" ").join(".") : "") + ` (right edge ${Math.round(r.right)})`);
  }
  // The page's own boxes (mdBook scrolls the content in #mdbook-content) must not scroll either.
  let widest = s.scrollWidth;
  for (const box of document.querySelectorAll("#mdbook-content, #mdbook-page-wrapper, .page")) {
    if (box.scrollWidth > box.clientWidth + 1) widest = Math.max(widest, innerWidth + box.scrollWidth - box.clientWidth);
  }
  return {scrollWidth: widest, innerWidth: innerWidth, unreachable: unreachable, cut: cut.slice(0, 5)};
})()
"""

TIMELINE_IMG_JS = """
(() => {
  const img = document.querySelector('img[src$="timeline.svg"]:not(.img-wrapper > img), .herald-timeline svg');
  if (!img) return null;
  return img.getBoundingClientRect().width;
})()
"""

SVG_OVERLAP_JS = """
(() => {
  const boxes = [...document.querySelectorAll("text")].map(t => {
    const b = t.getBBox(); return {t: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height};
  });
  const bad = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5)
      bad.push(`"${a.t}" and "${b.t}"`);
  }
  const svg = document.documentElement;
  const width = +svg.getAttribute("width");
  const outside = boxes.filter(b => b.x < 0 || b.x + b.w > width).map(b => b.t);
  return {count: boxes.length, overlaps: bad, outside: outside};
})()
"""

PRINT_CHROME_JS = """
(() => [...document.querySelectorAll("#mdbook-sidebar, #mdbook-menu-bar, .nav-chapters, .mobile-nav-chapters")]
  .filter(el => getComputedStyle(el).display !== "none").map(el => el.id || el.className))()
"""


def pdf_pages(path):
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
        m = re.search(r"^Pages:\s+(\d+)", out, re.M)
        if m:
            return int(m.group(1))
    data = open(path, "rb").read()
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("site")
    parser.add_argument("out")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    site = os.path.abspath(args.site)
    os.makedirs(args.out, exist_ok=True)
    url = lambda rel: "file://" + os.path.join(site, rel)

    pages = []
    for folder, _, files in os.walk(site):
        for name in files:
            if name.endswith(".html") and name not in ("toc.html",):
                pages.append(os.path.relpath(os.path.join(folder, name), site))
    pages.sort()
    magicboxes = [p for p in pages if p.endswith("/magicbox.html")]
    failures = []
    notes = []

    chrome = Chromium(args.chromium)
    try:
        page = chrome.page()
        for label, width, height in VIEWPORTS:
            page.viewport(width, height)
            for rel in pages:
                page.open(url(rel))
                got = page.eval(SCROLL_JS)
                if got["scrollWidth"] > got["innerWidth"]:
                    failures.append(f"{rel} at {width}x{height}: the page scrolls sideways ({got['scrollWidth']} px wide in {got['innerWidth']})")
                for what in got["cut"]:
                    failures.append(f"{rel} at {width}x{height}: {what} sticks out of the page, cut off")
                for what in got["unreachable"]:
                    failures.append(f"{rel} at {width}x{height}: {what} scrolls but cannot be reached by keyboard")
            if "index.html" in pages:
                page.open(url("index.html"))
                page.screenshot(os.path.join(args.out, f"overview-{label}-{width}x{height}.png"))
            for rel in magicboxes:
                page.open(url(rel))
                version = rel.split("/")[-2]
                page.screenshot(os.path.join(args.out, f"magicbox-{version}-{label}-{width}x{height}.png"))
                if not page.eval("document.querySelector('.herald-glance') !== null"):
                    failures.append(f"{rel} at {width}x{height}: no .herald-glance dashboard on its first screen")
                    continue
                for name, state in page.eval(GLANCE_JS).items():
                    if state != "ok":
                        failures.append(f"{rel} at {width}x{height}: [data-glance={name}] {state}")
                shown = page.eval(TIMELINE_IMG_JS)
                if shown is not None and shown * 13 / 750 < 12:
                    failures.append(f"{rel} at {width}x{height}: the timeline is shown {shown:.0f} px wide, its labels at {shown * 13 / 750:.1f} px")
                elif shown is not None:
                    notes.append(f"timeline {version} {label}: {shown:.0f} px wide, labels {shown * 13 / 750:.1f} px")

        # The timeline pictures themselves, measured with the fonts Chromium really uses.
        page.viewport(800, 600)
        for rel in magicboxes:
            svg = rel.replace("magicbox.html", "timeline.svg")
            page.open(url(svg))
            got = page.eval(SVG_OVERLAP_JS)
            for pair in got["overlaps"]:
                failures.append(f"{svg}: texts {pair} overlap")
            for text in got["outside"]:
                failures.append(f"{svg}: \"{text}\" runs off the picture")
            notes.append(f"{svg}: {got['count']} texts, none overlapping" if not got["overlaps"] else "")

        # Print: each MagicBox from its own page.
        page.viewport(1366, 900)
        for rel in magicboxes:
            version = rel.split("/")[-2]
            page.open(url(rel))
            page.call("Emulation.setEmulatedMedia", media="print")
            shown = page.eval(PRINT_CHROME_JS)
            if shown:
                failures.append(f"{rel} printed shows the site's chrome: {', '.join(shown)}")
            page.call("Emulation.setEmulatedMedia", media="")
            pdf = os.path.join(args.out, f"magicbox-{version}-print.pdf")
            page.pdf(pdf)
            count = pdf_pages(pdf)
            notes.append(f"{rel} prints on {count} A4 pages")
            if count > MAX_PRINT_PAGES:
                failures.append(f"{rel} prints on {count} A4 pages (at most {MAX_PRINT_PAGES})")
            if shutil.which("pdftoppm"):
                subprocess.run(["pdftoppm", "-png", "-r", "70", pdf,
                                os.path.join(args.out, f"magicbox-{version}-print")], check=False)
    finally:
        chrome.close()

    for note in filter(None, notes):
        print(f"screenshot-check: {note}")
    if failures:
        for failure in failures:
            print(f"screenshot-check: FAIL: {failure}", file=sys.stderr)
        print(f"screenshot-check: {len(failures)} failures on {len(pages)} pages; pictures in {args.out}", file=sys.stderr)
        return 1
    print(f"screenshot-check: ok: {len(pages)} pages at {len(VIEWPORTS)} sizes, {len(magicboxes)} MagicBoxes' first screens and prints; pictures in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
