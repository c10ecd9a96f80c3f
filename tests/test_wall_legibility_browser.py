"""The wall read from across the room, measured in chromium: the rendered font size of every text on the kiosk
wall (the cards' figures, the feed's titles, the late-OPD table, the charts' SVG labels, everything else) against
the distances the secretariat reads it from, on a 43-inch panel (1080p: 0.5 mm per CSS px; 4K at browser scale 1:
0.25 mm per CSS px)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser_support import MEASURE_TEXTS, open_wall, readable_m, wait_ready

pytestmark = pytest.mark.browser
ENV = {"NTBCARE_FEED_INTERVAL": "2", "NTBCARE_PANEL_INTERVAL": "15"}
# what must be readable from how far (m): figures 8 m, the lists 4 m, every other text and the charts 3 m
DISTANCE_M = {"figures": 8, "lists": 4, "charts": 3, "other": 3}


@pytest.fixture(scope="module")
def server(dataset_url, app_server):
    return app_server(dataset_url, ENV, name="wall-legible")


@pytest.mark.parametrize("width,height,mm_per_px", [(1920, 1080, 0.5), (3840, 2160, 0.25)], ids=["1080p", "4k"])
def test_every_text_on_the_wall_is_readable_from_its_distance(new_page, server, width, height, mm_per_px):
    page = open_wall(new_page(width, height), server)
    if width >= 3000:  # the page asks for charts twice as large (?skala=2) and loads again
        page.wait_for_function("() => new URLSearchParams(location.search).get('skala') === '2'")
        wait_ready(page)
    expect(page.locator("[data-testid='stPlotlyChart'] .gtitle")).to_have_count(4, timeout=20000)
    measured = page.evaluate(MEASURE_TEXTS)
    report = []
    for kind, need in DISTANCE_M.items():
        texts = measured[kind]
        assert texts, kind  # every kind is on the wall
        size, text = min(texts)
        report.append(f"{kind}: {size:g} px ({readable_m(size, mm_per_px):.1f} m, {text!r})")
        too_small = [(s, t) for s, t in texts if readable_m(s, mm_per_px) < need]
        assert not too_small, (kind, need, too_small[:5])
    print(f"{width}x{height} smallest: " + "; ".join(report))
    # the measured kinds hold what they should: seven figures, every feed title, the chart labels
    assert len(measured["figures"]) == 7
    assert len(measured["lists"]) >= page.locator(".w-feed .w-title-text").count() > 0
    chart_texts = " ".join(t for _, t in measured["charts"])
    for part in ("Sektor", "Kanal", "kabupaten/kota", "Masuk vs selesai", "Selesai", "Kota", "Mataram"):
        assert part in chart_texts  # titles, legend and map labels measured, not only ticks


def test_the_two_views_take_turns_in_the_same_place(new_page, server):
    page = open_wall(new_page(1920, 1080), server, query="kiosk=1&rotate=10")
    first = page.evaluate("() => document.documentElement.dataset.wallView")
    assert first in ("lists", "charts")
    other = {"lists": "charts", "charts": "lists"}[first]
    page.wait_for_function("(v) => document.documentElement.dataset.wallView === v", arg=other, timeout=15000)
    lists, charts = page.locator(".st-key-wall-view-lists"), page.locator(".st-key-wall-view-charts")
    shown, hidden = (charts, lists) if other == "charts" else (lists, charts)
    style = "e => [getComputedStyle(e).opacity, getComputedStyle(e).pointerEvents]"
    assert shown.evaluate(style) == ["1", "auto"] and hidden.evaluate(style) == ["0", "none"]
    assert lists.bounding_box()["y"] == charts.bounding_box()["y"]  # one band, two views
    # ?tampilan= pins a view
    pinned = open_wall(new_page(1920, 1080), server, query="kiosk=1&tampilan=grafik")
    assert pinned.evaluate("() => document.documentElement.dataset.wallView") == "charts"
