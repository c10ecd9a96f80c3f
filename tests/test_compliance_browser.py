"""The compliance page in chromium: the rapor, a click on a row drills down, a link opens the complaint."""

import pytest
from playwright.sync_api import expect

from core.engine import make_engine
from tests import dataset
from tests.browser_support import ARTIFACTS, wait_ready

pytestmark = pytest.mark.browser
MARCH = "periode=rentang&dari=2026-03-01&sampai=2026-03-31"


@pytest.fixture(scope="module")
def server(db_factory, app_server):
    url = db_factory.url("postgresql")
    engine = make_engine(url, must_exist=False)
    dataset.build(engine)
    engine.dispose()
    return app_server(url, login=True, name="kepatuhan")  # the page is for advisers: a real login


def test_rapor_drill_down_and_detail(server, browse):
    page = browse(server, "adviser", "kepatuhan", MARCH + "&opd=D11", width=1600, height=1000)
    expect(page.locator("[data-testid='stMain']").get_by_text("Kepatuhan OPD")).to_be_visible()
    expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible(timeout=20000)
    # ?opd=D11 preselects Dishub: its one open complaint is listed
    expect(page.get_by_text("Aduan belum selesai — Dishub")).to_be_visible(timeout=20000)
    page.screenshot(path=str(ARTIFACTS / "kepatuhan-dishub.png"), full_page=True)
    # choose another OPD in the picker: the drill-down follows and the URL records it
    page.locator(".st-key-kep-opd").click()
    page.get_by_role("option", name="PUPR-PKP").click()
    expect(page.get_by_text("Aduan belum selesai — PUPR-PKP")).to_be_visible(timeout=20000)
    assert "opd=N02" in page.url
    page.screenshot(path=str(ARTIFACTS / "kepatuhan-pupr-pkp.png"), full_page=True)
    # the complaint's detail page by ticket
    page.goto(f"{server.url}/aduan?tiket=T06")
    wait_ready(page)
    expect(page.get_by_text("Aduan T06")).to_be_visible(timeout=20000)
    expect(page.get_by_text("Jembatan putus di Praya").first).to_be_visible()
    # an adviser sees the reporter, in the "Pelapor" table (who sees it: tests/test_access.py)
    expect(page.locator("[data-testid='stDataFrame']").filter(has_text="Kontak")).to_contain_text("Baiq Rahasia")
    page.screenshot(path=str(ARTIFACTS / "aduan-T06.png"), full_page=True)


GRID = "[data-testid='stDataFrame'] .dvn-scroller"


def test_rapor_fits_1440_without_horizontal_scroll(server, browse):
    """At 1440x900 every column that explains a grade is visible: the rapor's grid does not scroll sideways."""
    page = browse(server, "adviser", "kepatuhan", MARCH, width=1440, height=900)
    expect(page.get_by_text("dihitung terpisah")).to_be_visible(timeout=20000)
    grid = page.locator(GRID).first
    expect(grid).to_be_visible(timeout=20000)
    scroll, client = grid.evaluate("s => [s.scrollWidth, s.clientWidth]")
    assert 0 < client and scroll <= client, (scroll, client)
    page.screenshot(path=str(ARTIFACTS / "kepatuhan-1440x900.png"))
