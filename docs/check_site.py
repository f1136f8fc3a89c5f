"""Open every page of the built site in headless Chromium and check what a reader sees.

Run by ``python3 -m nox -s browser`` after ``nox -s site``::

    python docs/check_site.py site --screenshots site-screenshots

The site is served from a local HTTP server; Debian's ``chromium`` and
``chromium-driver`` (at /usr/bin/chromium and /usr/bin/chromedriver, or where
CHROMIUM and CHROMEDRIVER say) are driven by Selenium. A page fails on

* a message the browser console logs at level SEVERE (an error);
* an ``<a href>`` to this site that does not load, or whose ``#anchor`` is missing;
* an ``<img>`` that did not load (``naturalWidth`` 0);
* a tutorial output cell with nothing in it;
* a tutorial without outputs or pictures: not executed, or a graph shown as
  Graphviz text because ``dot`` was missing.

One full-page screenshot per page goes into the screenshots folder. Prints one line per
failure and a summary; exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import functools
import html.parser
import os
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROME_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
WIDTH, HEIGHT = 1280, 1600
MAX_SCREENSHOT_HEIGHT = 20000  # pixels; a longer page is cut off at the bottom

# Runs in the page: returns once MathJax (on the tutorials) has typeset every formula.
WAIT_FOR_MATHJAX_SCRIPT = """
const done = arguments[arguments.length - 1];
if (window.MathJax && window.MathJax.Hub) { MathJax.Hub.Queue(() => done(true)); }
else { done(false); }
"""

# Runs in the page: every image that did not load, every link, and for a tutorial its output
# cells (text, and whether each holds a picture) and the warnings the site's build put on it.
PAGE_FACTS_SCRIPT = """
const images = Array.from(document.images)
  .filter(img => !(img.complete && img.naturalWidth > 0))
  .map(img => (img.getAttribute('src') || '').slice(0, 80));
const links = Array.from(document.querySelectorAll('a[href]')).map(a => a.href);
// One entry per code cell's output area (a cell's stream may arrive in several pieces).
const outputs = Array.from(document.querySelectorAll('.jp-Cell-outputArea')).map(area => ({
  text: area.innerText.trim().slice(0, 200),
  pictures: area.querySelectorAll('img, svg, canvas').length,
  dot: Array.from(area.querySelectorAll('.jp-OutputArea-output'))
    .some(o => o.innerText.trim().startsWith('digraph')),
}));
const notes = Array.from(document.querySelectorAll('.admonition.warning'))
  .map(n => n.innerText.trim());
const mathErrors = document.querySelectorAll('.MathJax_Error, .merror').length;
const notebook = document.querySelector('.jupyter-wrapper, .jp-Notebook') !== null;
return {images, links, outputs, notes, notebook, mathErrors};
"""


@dataclass
class PageReport:
    """What went wrong on one page."""

    path: str
    problems: list[str] = field(default_factory=list)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Serve without a line per request."""


def serve(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``directory`` on a free localhost port, in a thread; return the server and its URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def site_pages(site: Path) -> list[str]:
    """The site-relative URL of every page (each ``index.html``), sorted."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        relative = index.parent.relative_to(site).as_posix()
        pages.append("" if relative == "." else f"{relative}/")
    return pages


def start_browser(user_data_dir: str) -> webdriver.Chrome:
    """Headless Debian Chromium with console logging on and a fresh profile."""
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={WIDTH},{HEIGHT}")
    options.add_argument(f"--user-data-dir={user_data_dir}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(30)  # MathJax on the longest tutorial takes a few seconds
    return driver


class _IdCollector(html.parser.HTMLParser):
    """Collects every ``id`` and ``name`` attribute of a page (the anchors links may target)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"id", "name"} and value:
                self.ids.add(value)


@functools.cache
def fetch(url: str) -> tuple[int, frozenset[str]]:
    """HTTP status of ``url`` and the anchors its HTML defines (cached per URL)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body = response.read()
            status = response.status
            is_html = "html" in response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as error:
        return error.code, frozenset()
    collector = _IdCollector()
    if is_html:
        collector.feed(body.decode("utf-8", errors="replace"))
    return status, frozenset(collector.ids)


def check_links(links: list[str], base: str) -> list[str]:
    """Problems with the links that point into the site (others are not followed)."""
    problems = []
    for link in sorted(set(links)):
        if not link.startswith(base):
            continue
        target, _, anchor = link.partition("#")
        status, ids = fetch(target)
        if status != 200:
            problems.append(f"broken link {link} (HTTP {status})")
        elif anchor and urllib.parse.unquote(anchor) not in ids:
            problems.append(f"link {link}: no element with id {anchor!r} on that page")
    return problems


def check_page(driver: webdriver.Chrome, base: str, path: str, shots: Path) -> PageReport:
    """Load one page, take its screenshot, and list what is wrong with it."""
    report = PageReport(path or "(home)")
    driver.get(base + path)
    deadline = time.monotonic() + 10
    while driver.execute_script("return document.readyState") != "complete":
        if time.monotonic() > deadline:
            report.problems.append("page did not finish loading in 10 s")
            break
        time.sleep(0.1)
    time.sleep(0.3)  # let the theme's scripts run (their errors count too)
    driver.execute_async_script(WAIT_FOR_MATHJAX_SCRIPT)
    facts = driver.execute_script(PAGE_FACTS_SCRIPT)
    for entry in driver.get_log("browser"):
        if entry["level"] == "SEVERE":
            report.problems.append(f"console error: {entry['message']}")
    report.problems += [f"image did not load: {src!r}" for src in facts["images"]]
    report.problems += check_links(facts["links"], base)
    if facts["mathErrors"]:
        report.problems.append(f"{facts['mathErrors']} formulas MathJax could not typeset")
    if facts["notebook"]:
        report.problems += [f"build note on a tutorial: {note}" for note in facts["notes"]]
        outputs = facts["outputs"]
        if not outputs:
            report.problems.append("tutorial has no output cells (was it executed?)")
        for number, output in enumerate(outputs):
            if not output["text"] and not output["pictures"]:
                report.problems.append(f"output cell {number} is empty")
            if output["dot"]:
                report.problems.append(
                    f"output cell {number} shows Graphviz text, not a picture (is dot installed?)"
                )
    name = (path.strip("/").replace("/", "__") or "home") + ".png"
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(WIDTH, min(int(height), MAX_SCREENSHOT_HEIGHT))  # the whole page
    driver.save_screenshot(str(shots / name))
    driver.set_window_size(WIDTH, HEIGHT)
    return report


def main() -> int:
    """Check every page of the site given on the command line; 0 when all pass."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="the built site (mkdocs build's output)")
    parser.add_argument("--screenshots", type=Path, default=Path("site-screenshots"))
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        print(f"error: no built site at {args.site} (run python3 -m nox -s site)", file=sys.stderr)
        return 2
    args.screenshots.mkdir(parents=True, exist_ok=True)
    pages = site_pages(args.site)
    server, base = serve(args.site)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="minigrad-chromium-") as profile:
        driver = start_browser(profile)
        try:
            reports = [check_page(driver, base, path, args.screenshots) for path in pages]
        finally:
            driver.quit()
            server.shutdown()
    failed = [report for report in reports if report.problems]
    for report in failed:
        for problem in report.problems:
            print(f"{report.path}: {problem}")
    problems = sum(len(report.problems) for report in failed)
    print(
        f"{len(pages)} pages checked in {time.perf_counter() - started:.1f} s: "
        f"{problems} problems on {len(failed)} pages; screenshots in {args.screenshots}/"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
