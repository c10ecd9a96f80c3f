"""Starting a real `streamlit run` and driving Debian's chromium with Playwright (no browser downloads)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("NTBCARE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class StreamlitServer:
    """The app (`python -m dashboard.serve`, i.e. `streamlit run app.py`) on a free port; stopped on exit."""

    def __init__(
        self,
        database_url: str,
        extra_env: dict[str, str] | None = None,
        log_path: Path | None = None,
        port: int | None = None,
        args: list[str] | tuple[str, ...] = (),
    ):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DATABASE_URL": database_url, **(extra_env or {})}
        self.log_path = log_path or (ARTIFACTS / f"streamlit-{self.port}.log")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dashboard.serve",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
                *args,
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {self.log_path.read_text()[-2000:]}")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError("streamlit did not become healthy")

    def stop(self) -> None:
        if self._log.closed:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self._log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def wait_ready(page, timeout_ms: int = 30000) -> None:
    """Streamlit's own notion of ready: the script is not running and no skeleton is left."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0", timeout=timeout_ms
    )


def main_text(page) -> str:
    """The main area's text, once it is visible."""
    from playwright.sync_api import expect

    main = page.locator("[data-testid='stMain']")
    expect(main).to_be_visible()
    return main.inner_text()


def open_page(page, url: str) -> str:
    """Open ``url`` like a typed address in ``page`` and return the main area's text."""
    page.goto(url)
    wait_ready(page)
    return main_text(page)


def nav_paths(page) -> list[str]:
    """The URL paths of the links in the sidebar navigation, top to bottom."""
    links = page.locator("a[data-testid='stSidebarNavLink']")
    return [links.nth(i).get_attribute("href").split("?")[0].rsplit("/", 1)[1] for i in range(links.count())]


# the wall's panels, each of which must be entirely on screen
PANELS = [".w-header", ".w-feed", ".w-late", ".w-act", "[data-testid='stMetric']", "[data-testid='stPlotlyChart']"]


def chart_wait_ms() -> int:
    """How long a wall chart may take to appear: its query may wait for a pooled connection and then run up to
    the statement timeout before the wall draws it (or its last good data), on a machine the suite loads."""
    from core.settings import value

    return (value("NTBCARE_DB_POOL_TIMEOUT", {}) * 1000 + value("NTBCARE_STATEMENT_TIMEOUT_MS", {})) + 20000


def open_wall(page, server, query: str = "kiosk=1"):
    """The wall in ``page`` (a new page, e.g. from the ``new_page`` fixture), with its feed and four charts."""
    import pytest
    from playwright.sync_api import expect

    page.on("dialog", lambda d: pytest.fail(f"a dialog opened on the wall: {d.message}"))
    page.goto(f"{server.url}/monitor?{query}")
    wait_ready(page)
    expect(page.locator(".w-feed")).to_be_visible(timeout=20000)
    charts = page.locator("[data-testid='stPlotlyChart']")
    try:
        expect(charts).to_have_count(4, timeout=chart_wait_ms())
    except AssertionError as exc:  # say which chart is missing and whether the page raised
        titles = [t.text_content() for t in charts.locator(".gtitle").all()]
        errors = page.locator("[data-testid='stException']").all_inner_texts()
        raise AssertionError(f"{exc}\ncharts drawn: {titles}; exceptions on the page: {errors}") from None
    return page


def assert_fits(page, width, height):
    """No scrolling in either direction and every panel entirely on screen."""
    geometry = page.evaluate("""() => {
        const doc = document.scrollingElement, main = document.querySelector('[data-testid=stMain]');
        return {docScroll: doc.scrollHeight - doc.clientHeight, mainScroll: main.scrollHeight - main.clientHeight,
                docWide: doc.scrollWidth - doc.clientWidth};
    }""")
    assert geometry == {"docScroll": 0, "mainScroll": 0, "docWide": 0}
    # every panel's box in one evaluation: a fragment rerun can swap a panel's markup between two calls
    boxes = page.evaluate(
        """(selectors) => selectors.map(s => [...document.querySelectorAll(s)].map(e => {
        const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; }))""",
        PANELS,
    )
    for selector, found in zip(PANELS, boxes, strict=True):
        assert len(found) >= 1, selector
        for box in found:
            assert box["width"] > 0 and box["height"] > 0, (selector, box)
            assert box["y"] >= 0 and box["y"] + box["height"] <= height + 1, (selector, box)
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (selector, box)


def screenshot(url: str, out: Path, width: int, height: int, scale: float = 1) -> None:
    """One-off screenshot of ``url`` (used by `python -m tests.browser_support`), once the page is ready, its
    fonts loaded and every chart drawn."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p)
        page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=scale)
        page.goto(url)
        wait_ready(page)
        page.wait_for_function("""() => document.fonts.status === 'loaded' &&
            [...document.querySelectorAll('[data-testid=stPlotlyChart]')].every(e => e.querySelector('.main-svg'))""")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()


if __name__ == "__main__":  # python -m tests.browser_support URL OUT.png WIDTH HEIGHT [SCALE]
    screenshot(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), *map(float, sys.argv[5:6]))


# --- Waiting on the page's own runs instead of the clock ------------------------------------------------------


def count_runs(page) -> None:
    """Count the page's script and fragment runs from now on (``window.__ntbcareRuns``): Streamlit's frontend
    marks every run in the performance timeline, which the wall clears; an observer counts them as they come."""
    page.evaluate("""() => {
        if (window.__ntbcareRunObserver) return;
        window.__ntbcareRuns = 0;
        window.__ntbcareRunObserver = new PerformanceObserver(l => { window.__ntbcareRuns += l.getEntries().length; });
        window.__ntbcareRunObserver.observe({type: 'mark'});
    }""")


def wait_runs(page, n: int, timeout_ms: int = 20000) -> None:
    """Wait until the page has marked ``n`` more runs (after ``count_runs``): what a fixed sleep only hoped for."""
    start = page.evaluate("() => window.__ntbcareRuns")
    page.wait_for_function("([s, n]) => window.__ntbcareRuns >= s + n", arg=[start, n], timeout=timeout_ms)


# --- What the wall's texts measure ----------------------------------------------------------------------------

# Every text node of the page, by what it is: the cards' figures, the feed's titles and the late-OPD table, the
# texts of the charts (SVG), and everything else; each as [font size in CSS px, the text]. Texts of hidden
# helpers (scripts, styles, zero-size containers) are left out; both views count, the one on screen and the other.
MEASURE_TEXTS = """() => {
    const out = {figures: [], lists: [], charts: [], other: []};
    const root = document.querySelector('[data-testid=stMain]');
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent.trim(), el = node.parentElement;
        if (!text || el.closest('script, style') || el.getClientRects().length === 0) continue;
        const size = parseFloat(getComputedStyle(el).fontSize);
        const kind = el.closest('[data-testid=stPlotlyChart]') ? 'charts'
            : el.closest('[data-testid=stMetricValue]') ? 'figures'
            : el.closest('.w-title-text, .w-late') ? 'lists' : 'other';
        out[kind].push([size, text.slice(0, 40)]);
    }
    return out;
}"""


def readable_m(font_px: float, mm_per_px: float) -> float:
    """Signage rule: readable distance (m) = character height (mm) x 0.4, characters about 0.7 x the font size."""
    return font_px * 0.7 * mm_per_px * 0.4
