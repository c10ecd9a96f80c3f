"""The wall in a real browser: Debian's chromium (Playwright) against a real server, on PostgreSQL and SQLite.

Screenshots are saved in test-artifacts/ for people to look at.
"""

from __future__ import annotations

import time
import uuid

import pytest
from playwright.sync_api import expect

from core.engine import make_engine
from dashboard.components import TRIM_TIMELINE_S
from dashboard.wall.kiosk import CHART_HEIGHT_PX, CHART_TITLE_PX, MAP_HEIGHT_PX, TREND_HEIGHT_PX
from tests import dataset
from tests.browser_support import ARTIFACTS, assert_fits, count_runs, open_wall, wait_ready, wait_runs
from tests.dataset import insert_now
from tests.pg_instance import PgInstance

pytestmark = pytest.mark.browser
FEED_INTERVAL = 2
ENV = {"NTBCARE_FEED_INTERVAL": str(FEED_INTERVAL), "NTBCARE_PANEL_INTERVAL": "15"}
SIZES = [("1920x1080", 1920, 1080, 1), ("3840x2160", 1920, 1080, 2), ("3840x2160-unscaled", 3840, 2160, 1)]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def wall(request, db_factory, app_server):
    """(backend, engine, server) with the hand-built dataset (its own copy: the tests add complaints)."""
    url = db_factory.url(request.param)
    engine = make_engine(url, must_exist=False)
    dataset.build(engine)
    yield request.param, engine, app_server(url, ENV, name=f"wall-{request.param}")
    engine.dispose()


@pytest.mark.parametrize("name,width,height,scale", SIZES)
def test_kiosk_fills_the_screen_without_scrolling(new_page, wall, name, width, height, scale):
    """Both views are on the page at once (one of them transparent), so one page checks the fit of both."""
    backend, _, server = wall
    page = open_wall(new_page(width, height, scale), server)
    large = width >= 3000  # a 4K screen at browser scale 1: the page asks for charts twice as large, once
    page.wait_for_function("(large) => new URLSearchParams(location.search).has('skala') === large", arg=large)
    if large:  # the address was replaced: the page loaded again
        wait_ready(page)
    k = 2 if large else 1
    # the charts drawn at their size, each with its title (what the fixed second used to hope for)
    page.wait_for_function(
        """(h) => { const c = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
        return c.length === 4 && c.every((e, i) => e.querySelector('.gtitle') && e.getBoundingClientRect().height === h[i]); }""",
        arg=[h * k for h in (CHART_HEIGHT_PX, CHART_HEIGHT_PX, MAP_HEIGHT_PX, TREND_HEIGHT_PX)],
        timeout=20000,
    )
    assert_fits(page, width, height)
    # the charts fill the band below the cards, two columns of two, titles larger than their labels
    charts = page.evaluate("""() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")].map(e => {
        const r = e.getBoundingClientRect(), t = e.querySelector('.gtitle');
        return {bottom: r.bottom, title: t ? parseFloat(t.style.fontSize) : null}; })""")
    assert [c["title"] for c in charts] == [CHART_TITLE_PX * k] * 4
    assert max(c["bottom"] for c in charts) >= height - 40 * k
    assert page.locator("[data-testid='stMetric']").count() == 7
    assert page.locator(".w-big-clock").inner_text().count(":") == 1
    expect(page.locator("header[data-testid='stHeader']")).to_be_hidden()
    expect(page.locator("[data-testid='stSidebar']")).to_have_count(0)
    # no card's figure or judgement is cut off with an ellipsis, not even the longest the data can give
    cut = page.evaluate(
        """(longest) => {
        const overflowing = () => [...document.querySelectorAll(
            '[data-testid=stMetricValue], [data-testid=stMetricValue] *, [data-testid=stMetricDelta] *')]
            .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent);
        const now = overflowing();
        const cards = document.querySelectorAll('[data-testid=stMetricValue]');
        let leaf = cards[cards.length - 1];
        while (leaf.firstElementChild) leaf = leaf.firstElementChild;
        leaf.textContent = longest;
        return [now, overflowing()];
    }""",
        "12,5",
    )
    assert cut == [[], []]
    page.screenshot(path=str(ARTIFACTS / f"wall-{backend}-{name}.png"))
    page.close()


def test_a_new_complaint_appears_within_the_feed_interval(new_page, wall):
    _, engine, server = wall
    page = open_wall(new_page(1920, 1080), server)
    title = f"Jalan berlubang di Ampenan {uuid.uuid4().hex[:6]}"
    started = time.monotonic()
    ticket = insert_now(engine, title, priority="mendesak")
    row = page.locator(f".w-feed tr[data-ticket='{ticket}']")
    # functional bound with slack for a loaded CI machine; bench/wall.py measures the real latency (p50/p95)
    expect(row).to_be_visible(timeout=(3 * FEED_INTERVAL + 2) * 1000)
    elapsed = time.monotonic() - started
    assert title in row.inner_text() and "BARU" in row.inner_text() and "Mendesak" in row.inner_text()
    assert page.locator(".w-feed tr").first.get_attribute("data-ticket") == ticket
    print(f"complaint visible after {elapsed:.2f} s")
    page.close()


def test_hostile_titles_render_as_literal_text(new_page, wall):
    backend, engine, server = wall
    page = open_wall(new_page(1920, 1080), server)
    hostile = [
        "<img src=x onerror=alert(1)>",
        "**bold** _miring_ [tautan](http://x)",
        "<script>alert(2)</script>",
        "<b onmouseover=alert(3)>tebal</b>",
    ]
    tickets = [insert_now(engine, h) for h in hostile]
    for ticket, text in zip(tickets, hostile, strict=True):
        cell = page.locator(f".w-feed tr[data-ticket='{ticket}'] .w-title-text")
        expect(cell).to_have_text(text, timeout=(3 * FEED_INTERVAL + 2) * 1000)
    assert page.locator(".w-feed img, .w-feed script, .w-feed b[onmouseover], .w-feed strong").count() == 0
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    page.screenshot(path=str(ARTIFACTS / f"wall-{backend}-hostile.png"))
    page.close()


def test_no_personal_data_reaches_the_wall(new_page, wall):
    _, engine, server = wall
    ticket = insert_now(
        engine, "Aduan dengan data pribadi", reporter_name="Lalu Rahasia Sekali", reporter_contact="081299998888"
    )
    page = open_wall(new_page(1920, 1080), server)
    expect(page.locator(f".w-feed tr[data-ticket='{ticket}']")).to_be_visible(timeout=10000)
    html = page.content()
    for secret in ("Lalu Rahasia Sekali", "081299998888", "Baiq Rahasia", "081200000000"):
        assert secret not in html
    page.close()


def test_outage_keeps_last_data_warns_and_recovers(new_page, app_server):
    """Stop a PostgreSQL the test owns: the wall keeps its data, says since when, and recovers by itself."""
    with PgInstance() as pg:
        url = pg.create_database("ntbcare_outage")
        engine = make_engine(url)
        dataset.build(engine)
        engine.dispose()
        server = app_server(url, ENV, name="wall-outage", fresh=True)
        page = open_wall(new_page(1920, 1080), server)
        rows_before = page.locator(".w-feed tr").count()
        assert rows_before > 0
        expect(page.locator(".st-key-stale-warning")).to_have_count(0)
        pg.stop()
        warning = page.locator(".st-key-stale-warning")
        expect(warning).to_be_visible(timeout=15000)
        expect(warning).to_contain_text("Basis data tidak dapat dihubungi")
        expect(warning).to_contain_text("WITA")
        count_runs(page)
        wait_runs(page, 8)  # several refreshes of every panel while the database is down
        assert page.locator(".w-feed tr").count() == rows_before  # the last good data stays on screen
        assert page.locator("[data-testid='stException']").count() == 0
        assert "Traceback" not in page.content()
        assert_fits(page, 1920, 1080)  # the warning floats: nothing is pushed off the screen
        page.screenshot(path=str(ARTIFACTS / "wall-outage.png"))
        pg.start()
        expect(page.locator(".st-key-stale-warning")).to_have_count(0, timeout=15000)
        # the rows of the first snapshot after recovery (once, under the suite's load, the list was caught with no
        # rows at the very moment the warning went: waited for, not read at that instant)
        expect(page.locator(".w-feed tr")).to_have_count(rows_before, timeout=15000)
        page.screenshot(path=str(ARTIFACTS / "wall-recovered.png"))
        page.close()
        server.stop()


def test_panels_refresh_in_place_without_blanking(new_page, wall):
    """Over several refresh cycles no panel disappears, no skeleton shows, the data age keeps moving: the page
    checks itself at every frame (a sampler in the page) until the data age has changed twice."""
    _, _, server = wall
    page = open_wall(new_page(1920, 1080), server, query="")  # with Streamlit's chrome, so its status widget is visible
    page.evaluate("""() => {
        window.__wallSamples = {n: 0, ages: new Set(), bad: []};
        const sample = () => {
            const s = {
                feed: document.querySelectorAll('.w-feed tr').length,
                charts: document.querySelectorAll('[data-testid=stPlotlyChart]').length,
                metrics: document.querySelectorAll('[data-testid=stMetric]').length,
                skeletons: document.querySelectorAll('[data-testid=stSkeleton]').length,
                running: [...document.querySelectorAll('[data-testid=stStatusWidget]')].some(e => e.offsetParent !== null)};
            const w = window.__wallSamples;
            w.n += 1;
            w.ages.add((document.querySelector('.w-age') || {}).textContent || '');
            if (!(s.feed > 0 && s.charts === 4 && s.metrics === 7 && s.skeletons === 0 && !s.running)) w.bad.push(s);
            if (w.ages.size < 3) requestAnimationFrame(sample);
        };
        requestAnimationFrame(sample);
    }""")
    page.wait_for_function("() => window.__wallSamples.ages.size >= 3", timeout=8 * FEED_INTERVAL * 1000)
    samples = page.evaluate("() => ({n: window.__wallSamples.n, bad: window.__wallSamples.bad.slice(0, 3)})")
    assert samples["bad"] == [] and samples["n"] > 20
    page.close()


def test_the_wall_empties_its_performance_timeline(new_page, wall):
    """Streamlit marks every run in the page's performance timeline and never clears it; on a wall that runs
    twice a second that was the renderer's growing memory (bench/soak.py). The wall clears it periodically."""
    _, _, server = wall
    page = open_wall(new_page(1920, 1080), server)
    page.wait_for_function("() => performance.getEntriesByType('mark').length > 0", timeout=10000)
    page.evaluate("() => performance.mark('ntbcare-probe')")
    assert page.evaluate("() => performance.getEntriesByName('ntbcare-probe').length") == 1
    page.wait_for_function(
        "() => performance.getEntriesByName('ntbcare-probe').length === 0", timeout=(TRIM_TIMELINE_S + 5) * 1000
    )
    # the runs go on marking after a clear, and the next clear takes those too
    runs = page.evaluate("() => performance.getEntriesByType('mark').length")
    assert runs < 8 * TRIM_TIMELINE_S  # at most one period of marks (about 5 a second with the live panel)
    assert page.locator(".w-feed tr").count() > 0
    page.close()
