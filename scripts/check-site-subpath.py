#!/usr/bin/env python3
"""Serves a built site under a sub-path, as a GitHub Pages project site is
(https://org.github.io/releases/), and fetches every page, the 404 page (as served for a
missing address, at any depth) and every file each page references (src, href, CSS url()).
Fails, listing them, if any of those is not found.

    scripts/check-site-subpath.py SITE_DIR [--path /releases/]

SITE_DIR is OUT/site of a build made with `--site-url https://example.org/releases/`.
Standard library only.
"""

import argparse
import http.server
import os
import re
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser


class Refs(HTMLParser):
    """The base href and every src/href of a page."""

    def __init__(self):
        super().__init__()
        self.base = None
        self.refs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "base" and attrs.get("href"):
            self.base = attrs["href"]
        for key in ("src", "href"):
            value = attrs.get(key)
            if value:
                self.refs.append((tag, key, value))
        srcset = attrs.get("srcset")
        if srcset:
            for part in srcset.split(","):
                url = part.strip().split(" ")[0]
                if url:
                    self.refs.append((tag, "srcset", url))


def local(url, root):
    """Whether url is on the test server."""
    return url.startswith(root)


# The test server is on loopback: never ask a proxy from the environment for it.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def fetch(url):
    """(status, bytes, content type)."""
    try:
        with OPENER.open(url, timeout=30) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers.get("Content-Type", "")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("site")
    parser.add_argument("--path", default="/releases/")
    args = parser.parse_args()
    site = os.path.abspath(args.site)
    if not os.path.isfile(os.path.join(site, "index.html")):
        print(f"check-site-subpath: {site} holds no index.html; build the site first", file=sys.stderr)
        return 2
    sub = "/" + args.path.strip("/") + "/"

    # The site as a sub-folder of the server's root, as GitHub Pages serves a project.
    parent = tempfile.mkdtemp(prefix="herald-subpath-")
    os.makedirs(os.path.dirname(os.path.join(parent, sub.strip("/"))), exist_ok=True)
    os.symlink(site, os.path.join(parent, sub.strip("/")))
    not_found_page = open(os.path.join(site, "404.html"), "rb").read()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=parent, **kw)

        def log_message(self, *a):
            pass

        def send_error(self, code, message=None, explain=None):
            # GitHub Pages answers a missing address under the site with its 404.html.
            if code == 404 and self.path.startswith(sub):
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(not_found_page)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(not_found_page)
                return
            super().send_error(code, message, explain)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    root = origin + sub

    pages = []
    for folder, _, files in os.walk(site):
        for name in files:
            if name.endswith(".html"):
                rel = os.path.relpath(os.path.join(folder, name), site).replace(os.sep, "/")
                pages.append(root + rel)
    pages.sort()
    # The 404 page as a visitor meets it: at a missing address, one level and three deep.
    missing = [root + "no-such-page.html", root + "releases/9.9.9/deep/no-such-page.html"]

    checked = {}
    broken = []
    fetched_pages = 0

    def check(url, referrer):
        url = urllib.parse.urldefrag(url)[0]
        if url in checked:
            if checked[url] != 200:
                broken.append((referrer, url, checked[url]))
            return None
        status, body, ctype = fetch(url)
        checked[url] = status
        if status != 200:
            broken.append((referrer, url, status))
            return None
        return body, ctype

    def refs_of_css(url, text):
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", text):
            if ref.startswith("data:"):
                continue
            target = urllib.parse.urljoin(url, ref)
            if local(target, origin):
                check(target, url)

    def crawl(url, expect_status=200):
        nonlocal fetched_pages
        status, body, _ = fetch(url)
        if status != expect_status:
            broken.append(("(page)", url, status))
            return
        fetched_pages += 1
        parser = Refs()
        parser.feed(body.decode("utf-8", "replace"))
        base = urllib.parse.urljoin(url, parser.base) if parser.base else url
        for tag, key, ref in parser.refs:
            if re.match(r"^(mailto:|javascript:|data:|#)", ref):
                continue
            target = urllib.parse.urljoin(base, ref)
            if not local(target, origin):
                continue
            got = check(target, url)
            if got and target.endswith(".css"):
                refs_of_css(target, got[0].decode("utf-8", "replace"))

    for page in pages:
        if page.endswith("/404.html"):
            continue
        crawl(page)
    for page in missing:
        crawl(page, expect_status=404)
    server.shutdown()
    os.unlink(os.path.join(parent, sub.strip("/")))

    if broken:
        for referrer, url, status in broken[:50]:
            print(f"check-site-subpath: {status} {url} (from {referrer})", file=sys.stderr)
        print(f"check-site-subpath: {len(broken)} of {len(checked)} files not found under {sub}", file=sys.stderr)
        return 1
    print(f"check-site-subpath: ok: {fetched_pages} pages (404 page at {len(missing)} missing addresses included) and {len(checked)} files they reference, all found under {sub}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
