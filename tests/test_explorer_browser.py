"""Drill-down in chromium: a click on a ringkasan bar or a wall count opens the explorer on exactly the
complaints it counted; the summary and the explorer fit a phone (390 px) without horizontal scrolling."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser_support import ARTIFACTS, wait_ready
from tests.oidc_support import login

pytestmark = pytest.mark.browser
COUNT = re.compile(r"^([\d.]+) aduan cocok$")


@pytest.fixture(scope="module")
def server(db_factory, app_server):
    url = db_factory.generated("sqlite", complaints=3000, seed=5)
    return app_server(url, login=True, name="explorer")  # ringkasan, aduan and kepatuhan need a login


@pytest.fixture(scope="module")
def adviser(server, browser):
    """A browser context logged in (once, for the module) as an adviser, who may open every page here: new
    pages share the cookie."""
    context = browser.new_context()
    first = context.new_page()
    login(first, server, "adviser")
    first.close()
    yield context
    context.close()


def wait_for_path(page, path: str, needle: str) -> None:
    """Streamlit switches pages in place (history.pushState): wait for the address, not for a page load."""
    page.wait_for_function(
        "([p, n]) => location.pathname.endsWith(p) && location.search.includes(n)", arg=[path, needle], timeout=30000
    )


def explorer_count(page) -> int:
    heading = page.get_by_text(COUNT)
    expect(heading).to_be_visible(timeout=30000)
    return int(COUNT.match(heading.inner_text().strip()).group(1).replace(".", ""))


CHARTS_STATE = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(c => ({
    shown: c.offsetParent !== null, drawn: !!c.querySelector('.js-plotly-plot .main-svg'),
    top: Math.round(c.getBoundingClientRect().top)}))"""


def wait_charts_drawn(page) -> None:
    """Charts draw after the script has finished: wait until every shown plotly chart has its svg (a chart
    hidden by the page's CSS, such as the map on a phone, never draws)."""
    try:
        page.wait_for_function(f"() => ({CHARTS_STATE})().every(c => !c.shown || c.drawn)", timeout=60000)
    except Exception as exc:
        raise AssertionError(f"charts not drawn: {page.evaluate(CHARTS_STATE)}") from exc


def assert_summary_reads_on_a_phone(page) -> None:
    """ringkasan at 390 px: no map (its ten labels crowd a phone), the ranked bars' labels at 12 px or more, and
    every month label of the year chart whole inside its chart (not cut to "Jar, Fel, Ma")."""
    expect(page.locator(".st-key-sum-region-map-box")).to_be_hidden()
    sizes = page.locator(".st-key-sum-region-bar g.ytick text").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    bars = page.locator(".st-key-sum-region-bar g.trace.bars g.point").count()
    assert bars > 0 and len(sizes) == bars and min(sizes) >= 12, (bars, sizes)  # every bar named, readable
    chart = page.locator(".st-key-sum-yoy")
    chart.scroll_into_view_if_needed()
    ticks = chart.locator("g.xtick text")
    expect(ticks).to_have_count(12)
    box = chart.bounding_box()
    assert ticks.evaluate_all("els => els.map(e => e.textContent)") == [
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Mei",
        "Jun",
        "Jul",
        "Agu",
        "Sep",
        "Okt",
        "Nov",
        "Des*",
    ]
    for rect in ticks.evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())"):
        assert box["y"] <= rect["top"] and rect["bottom"] <= box["y"] + box["height"] + 0.5, (rect, box)


def test_one_click_on_a_row_opens_the_ticket_in_the_same_tab(server, adviser):
    page = adviser.new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{server.url}/aduan?sla=breached")
    wait_ready(page)
    grid = page.locator("[data-testid='stDataFrame']")
    expect(grid).to_be_visible(timeout=30000)
    assert grid.bounding_box()["y"] < 900 - 200  # the list starts above the fold
    box, tabs = grid.bounding_box(), len(adviser.pages)
    page.mouse.click(box["x"] + 200, box["y"] + 35 + 17)  # the first row, one click on a cell
    wait_for_path(page, "/aduan", "tiket=")
    wait_ready(page)
    expect(page.get_by_text(re.compile(r"^Aduan NTB-"))).to_be_visible(timeout=30000)
    assert len(adviser.pages) == tabs and "sla=breached" in page.url  # same tab; the way back keeps the filters
    page.screenshot(path=str(ARTIFACTS / "aduan-detail-1440x900.png"))
    page.close()


def test_click_on_a_summary_bar_opens_its_complaints(server, adviser):
    page = adviser.new_page()
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.goto(f"{server.url}/ringkasan?periode=12_bulan")
    wait_ready(page)
    chart = page.locator(".st-key-sum-sector")
    expect(chart.locator("g.point").first).to_be_visible(timeout=30000)
    bars = chart.locator("g.trace.bars g.point")
    top = bars.count() - 1  # the chart lists the biggest sector on top: the last point drawn
    shown = int(bars.nth(top).locator("text").text_content().replace(".", ""))
    label = chart.locator("g.ytick text").nth(top).text_content()
    bars.nth(top).scroll_into_view_if_needed()
    box = bars.nth(top).locator("path").bounding_box()  # plotly's drag layer takes the pointer: click there
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_for_path(page, "/aduan", "sektor=")
    wait_ready(page)
    assert explorer_count(page) == shown > 0
    # the filter it was opened with is a chip above the list, literally
    expect(page.locator(".st-key-exp-chip-sektor button").first).to_have_text(re.compile(f"Sektor: {re.escape(label)}"))
    page.screenshot(path=str(ARTIFACTS / "explorer-from-sector-bar.png"))
    page.close()


def test_click_on_a_wall_count_opens_its_complaints(server, adviser):
    page = adviser.new_page()
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server.url}/monitor")
    wait_ready(page)
    link = page.locator("table.w-late td.w-breached a.w-link").first
    expect(link).to_be_visible(timeout=30000)
    shown = int(link.inner_text())
    link.click()
    wait_for_path(page, "/aduan", "sla=breached")
    wait_ready(page)
    assert explorer_count(page) == shown > 0
    page.close()


@pytest.mark.parametrize("path", ["ringkasan", "aduan", "aduan?sla=breached&urut=opd", "kepatuhan"])
def test_pages_fit_a_phone_and_a_desktop(server, adviser, path):
    name = re.sub(r"[^a-z0-9]+", "-", path).strip("-")
    for label, viewport in (("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1920, "height": 1080})):
        page = adviser.new_page()
        page.set_viewport_size(viewport)
        outside = []  # no internet at run time: every request stays on the dashboard's own server
        page.on(
            "request",
            lambda r, outside=outside: (
                outside.append(r.url) if not r.url.startswith((server.url, "data:", "blob:")) else None
            ),
        )
        page.goto(f"{server.url}/{path}")
        wait_ready(page)
        expect(page.locator("[data-testid='stMain']")).to_be_visible()
        wait_charts_drawn(page)
        widths = page.evaluate("""() => [...document.querySelectorAll('*')].filter(e => e.closest(
            '[data-testid="stMain"]') && !e.closest('[data-testid="stDataFrame"]')).map(e => e.getBoundingClientRect())
            .filter(r => r.width > 0).reduce((m, r) => Math.max(m, r.right), 0)""")
        overflow = page.evaluate("() => document.scrollingElement.scrollWidth - window.innerWidth")
        page.screenshot(path=str(ARTIFACTS / f"{name}-{label}.png"))
        assert overflow <= 0, (path, label, overflow)
        assert widths <= viewport["width"] + 1, (path, label, widths)  # nothing sticks out to the right
        assert "Traceback" not in page.content()
        assert outside == [], outside
        if path == "ringkasan" and label == "phone":
            assert_summary_reads_on_a_phone(page)
        page.close()
