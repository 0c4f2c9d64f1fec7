// herald's additions to mdBook's pages: copy buttons for the paste-ready Markdown, keyboard
// access to every region that scrolls, and a toolbar button that prints the page itself.
// Everything here is an enhancement: without JavaScript the links beside the buttons, the
// browser's own print and mouse scrolling still work.
(function () {
    "use strict";

    // ---- Copy buttons: <button class="herald-copy" data-copy-src="FILE"> ----

    function copyText(text) {
        if (navigator.clipboard && window.isSecureContext) {
            return navigator.clipboard.writeText(text);
        }
        // Plain http (not localhost) has no clipboard API: the old way still works there.
        return new Promise(function (resolve, reject) {
            var area = document.createElement("textarea");
            area.value = text;
            area.setAttribute("readonly", "");
            area.style.position = "fixed";
            area.style.opacity = "0";
            document.body.appendChild(area);
            area.select();
            var ok = false;
            try {
                ok = document.execCommand("copy");
            } catch (e) {
                ok = false;
            }
            document.body.removeChild(area);
            if (ok) {
                resolve();
            } else {
                reject(new Error("copy refused"));
            }
        });
    }

    function statusOf(button) {
        var next = button.nextElementSibling;
        if (next && next.classList.contains("herald-copy-status")) {
            return next;
        }
        var status = document.createElement("span");
        status.className = "herald-copy-status";
        status.setAttribute("role", "status");
        status.setAttribute("aria-live", "polite");
        button.insertAdjacentElement("afterend", status);
        return status;
    }

    function say(button, ok, message) {
        var status = statusOf(button);
        button.classList.remove("is-copied", "is-failed");
        button.classList.add(ok ? "is-copied" : "is-failed");
        status.textContent = message;
        window.clearTimeout(button.heraldTimer);
        button.heraldTimer = window.setTimeout(function () {
            button.classList.remove("is-copied", "is-failed");
            status.textContent = "";
        }, ok ? 4000 : 8000);
    }

    function onCopy(event) {
        var button = event.currentTarget;
        var src = button.getAttribute("data-copy-src");
        var url = new URL(src, document.baseURI).href;
        fetch(url)
            .then(function (response) {
                if (!response.ok) {
                    throw new Error(response.status + " " + response.statusText);
                }
                return response.text();
            })
            .then(copyText)
            .then(function () {
                say(button, true, "Copied to the clipboard");
            })
            .catch(function () {
                say(button, false, "Could not copy: open the link and copy it from there");
            });
    }

    function setUpCopyButtons() {
        var buttons = document.querySelectorAll("button.herald-copy[data-copy-src]");
        for (var i = 0; i < buttons.length; i++) {
            buttons[i].type = "button";
            buttons[i].addEventListener("click", onCopy);
        }
    }

    // ---- Scrollable regions reachable by keyboard (axe: scrollable-region-focusable) ----

    function nameOf(region) {
        var table = region.querySelector("table");
        if (table) {
            var heading = region.previousElementSibling;
            while (heading && !/^H[1-6]$/.test(heading.tagName)) {
                heading = heading.previousElementSibling;
            }
            var first = table.querySelector("th");
            var what = first ? first.textContent.trim() : "";
            return "Table" + (heading ? " " + heading.textContent.trim() : what ? " of " + what : "") + " (scrolls sideways)";
        }
        if (region.querySelector("img, svg")) {
            return "Timeline picture (scrolls sideways)";
        }
        return "Scrollable text";
    }

    function markScrollables() {
        var regions = document.querySelectorAll(
            ".content .table-wrapper, .content pre, .content pre > code, .content .herald-timeline, " +
                ".content .checkbox-label:has(> img[src$='timeline.svg']), .content p:has(> img[src$='timeline.svg'])"
        );
        for (var i = 0; i < regions.length; i++) {
            var region = regions[i];
            var scrolls = region.scrollWidth > region.clientWidth + 1 ||
                region.scrollHeight > region.clientHeight + 1 && getComputedStyle(region).overflowY !== "visible";
            if (scrolls && !region.hasAttribute("tabindex")) {
                region.setAttribute("tabindex", "0");
                region.setAttribute("data-herald-scroll", "");
                if (!region.hasAttribute("role")) {
                    region.setAttribute("role", "region");
                }
                if (!region.hasAttribute("aria-label") && !region.hasAttribute("aria-labelledby")) {
                    region.setAttribute("aria-label", nameOf(region));
                }
            } else if (!scrolls && region.hasAttribute("data-herald-scroll")) {
                region.removeAttribute("tabindex");
                region.removeAttribute("data-herald-scroll");
                if (region.getAttribute("role") === "region") {
                    region.removeAttribute("role");
                }
                region.removeAttribute("aria-label");
            }
        }
    }

    // ---- Print the page itself (the book's print view, when enabled, prints everything) ----

    function addPrintButton() {
        var bar = document.querySelector("#mdbook-menu-bar .right-buttons");
        if (!bar || document.getElementById("herald-print-page")) {
            return;
        }
        // mdBook's own button opens the whole book's print view: it prints this page
        // instead (the link still leads there without JavaScript).
        var book = bar.querySelector("a[href$='print.html']");
        if (book) {
            book.id = "herald-print-page";
            book.title = "Print this page";
            book.setAttribute("aria-label", "Print this page");
            book.addEventListener("click", function (event) {
                event.preventDefault();
                window.print();
            });
            return;
        }
        var button = document.createElement("button");
        button.id = "herald-print-page";
        button.type = "button";
        button.title = "Print this page";
        button.setAttribute("aria-label", "Print this page");
        button.innerHTML = '<svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="currentColor">' +
            '<path d="M6 2h12v5H6zM4 8h16a2 2 0 0 1 2 2v7h-4v5H6v-5H2v-7a2 2 0 0 1 2-2zm4 8v4h8v-4z"/></svg>';
        button.addEventListener("click", function () {
            window.print();
        });
        bar.insertBefore(button, bar.firstChild);
    }

    // ---- The timeline on a narrow screen starts at the day before today ----

    function focusTimelines() {
        var images = document.querySelectorAll(
            ".content img[src$='timeline.svg']:not(.img-wrapper > img), .content .herald-timeline img:not(.img-wrapper > img)"
        );
        Array.prototype.forEach.call(images, function (img) {
            var frame = img.parentElement;
            if (!frame || frame.scrollWidth <= frame.clientWidth + 1) {
                return;
            }
            fetch(new URL(img.getAttribute("src"), document.baseURI).href)
                .then(function (response) {
                    return response.ok ? response.text() : "";
                })
                .then(function (svg) {
                    var focus = /data-focus-x="(\d+)"/.exec(svg);
                    var width = /width="(\d+)"/.exec(svg);
                    if (focus && width) {
                        frame.scrollLeft = Number(focus[1]) * img.clientWidth / Number(width[1]);
                    }
                })
                .catch(function () {
                    // Opened from a file: the picture starts at its left edge.
                });
        });
    }

    function ready() {
        setUpCopyButtons();
        addPrintButton();
        markScrollables();
        focusTimelines();
        var timer = null;
        window.addEventListener("resize", function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(markScrollables, 150);
        });
        // Pictures change the width of what holds them once loaded.
        var images = document.querySelectorAll(".content img");
        for (var i = 0; i < images.length; i++) {
            images[i].addEventListener("load", markScrollables);
        }
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", ready);
    } else {
        ready();
    }
})();
