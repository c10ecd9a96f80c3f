"""Issue 13 in chromium: the urgent banner, the screens page (admins) and the remote reload of a wall.

One server on PostgreSQL with the hand-built dataset, logging in through the local OIDC provider (the page
`layar` is for admins); the walls are kiosk pages without login. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import re
import time
import uuid

import pytest
from playwright.sync_api import expect

from core.engine import make_engine
from tests import dataset
from tests.browser_support import ARTIFACTS, count_runs, wait_ready, wait_runs
from tests.dataset import insert_now
from tests.oidc_support import LoginApp, login

pytestmark = pytest.mark.browser
ENV = {
    "NTBCARE_FEED_INTERVAL": "2",
    "NTBCARE_PANEL_INTERVAL": "15",
    "NTBCARE_URGENT_BANNER_SECONDS": "6",
    "NTBCARE_QUIET_HOURS": "",
}


@pytest.fixture(scope="module")
def app(db_factory):
    url = db_factory.url("postgresql")
    engine = make_engine(url, must_exist=False)
    dataset.build(engine)
    with LoginApp(url, "screens", extra_env=ENV) as srv:
        yield srv, engine
    engine.dispose()


def open_wall(browser, app, query: str):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{app.url}/monitor?{query}")
    wait_ready(page)
    expect(page.locator(".w-feed")).to_be_visible(timeout=20000)
    return page


def test_a_mendesak_complaint_is_announced_and_a_biasa_one_is_not(app, browser):
    srv, engine = app
    page = open_wall(browser, srv, "kiosk=1&layar=uji-banner")
    banner = page.locator(".st-key-urgent-banner")
    expect(banner).to_have_count(0)
    title = f"<b>Jembatan</b> putus di Sape {uuid.uuid4().hex[:4]}"
    started = time.monotonic()
    ticket = insert_now(engine, title, priority="mendesak", sector="infrastruktur", region="5206")
    expect(banner).to_be_visible(timeout=5000)
    shown = time.monotonic() - started
    expect(banner.locator(".w-alert-title")).to_have_text(title)  # escaped: the tags show as text
    assert banner.locator(".w-alert").get_attribute("data-ticket") == ticket
    assert banner.locator("b").count() == 0
    meta = banner.locator(".w-alert-meta").inner_text()
    assert "Bima" in meta and meta.count("·") == 1  # sector · region
    assert "Baiq Rahasia" not in page.content()  # never a reporter's name
    box = banner.bounding_box()
    assert (
        box["width"] > 1500
        and banner.locator(".w-alert-title").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 40
    )  # across the room
    page.screenshot(path=str(ARTIFACTS / "wall-urgent-banner.png"))
    # it settles into the feed after the configured time (6 s here)
    expect(banner).to_have_count(0, timeout=12000)
    expect(page.locator(f".w-feed tr[data-ticket='{ticket}'].w-urgent")).to_be_visible()
    # a biasa complaint appears in the feed, never in the banner
    plain = insert_now(engine, "Lampu jalan padam", priority="biasa")
    expect(page.locator(f".w-feed tr[data-ticket='{plain}']")).to_be_visible(timeout=5000)
    count_runs(page)
    wait_runs(page, 4)  # the live panel ran again with the new complaint in hand
    expect(banner).to_have_count(0)
    print(f"banner visible {shown:.2f} s after the insert")
    page.close()


def test_the_screens_page_lists_each_wall_and_reloads_the_one_asked(app, browser):
    srv, _ = app
    wall_a = open_wall(browser, srv, "kiosk=1&layar=ruang-staf-ahli")
    wall_b = open_wall(browser, srv, "kiosk=1&layar=lobi")
    # a name that is not one (capitals, spaces) is refused, never rewritten: the wall says so and runs unnamed
    wall_c = browser.new_page(viewport={"width": 1920, "height": 1080})
    wall_c.goto(f"{srv.url}/monitor?kiosk=1&layar=Ruang Staf Ahli")  # the toast is brief: looked for at once
    expect(wall_c.locator("[data-testid='stToast']")).to_contain_text(
        "Parameter URL diabaikan: layar=Ruang Staf Ahli", timeout=20000
    )
    expect(wall_c.locator(".w-feed")).to_be_visible(timeout=20000)
    for w in (wall_a, wall_b):
        w.evaluate("() => { window.__notReloaded = true; }")
        count_runs(w)
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    admin = context.new_page()
    login(admin, srv, "admin")
    admin.goto(f"{srv.url}/layar")
    wait_ready(admin)
    listing = admin.locator(".st-key-screens-list")
    expect(listing).to_contain_text("ruang-staf-ahli", timeout=10000)
    expect(listing).to_contain_text("lobi")
    # the refused name is listed as an unnamed wall (its address as given), never as a wall of that name
    expect(admin.get_by_role("button", name=re.compile(r"^Muat ulang Layar tanpa nama [0-9a-f]{8}$"))).to_have_count(1)
    expect(listing).to_contain_text("layar=Ruang%20Staf%20Ahli")
    expect(admin.get_by_role("button", name=re.compile("Ruang Staf Ahli", re.IGNORECASE))).to_have_count(0)
    expect(listing).to_contain_text("/monitor?kiosk=1&layar=")
    expect(listing).to_contain_text("Aktif")
    # the list reruns every 2 s: like the wall, the page keeps its performance timeline trimmed
    assert admin.evaluate("() => typeof window.__ntbcareTimelineTrim") == "number"
    admin.screenshot(path=str(ARTIFACTS / "screens-page.png"))

    admin.get_by_role("button", name="Muat ulang ruang-staf-ahli").click()
    expect(admin.get_by_text("Permintaan muat ulang terkirim")).to_be_visible(timeout=5000)
    # the wall asked reloads within one change check (plus the health check); the other one does not
    wall_a.wait_for_function("() => window.__notReloaded !== true", timeout=10000)
    expect(wall_a.locator(".w-feed")).to_be_visible(timeout=20000)
    wait_runs(wall_b, 4)  # the other wall kept checking, and was not asked
    assert wall_b.evaluate("() => window.__notReloaded") is True

    # a wall that stops refreshing shows as such
    stopped_before = listing.text_content().count("■ BERHENTI")
    wall_b.close()
    admin.wait_for_function(
        """(n) => (document.querySelector('.st-key-screens-list').textContent.match(/■ BERHENTI/g) || [])
            .length > n""",
        arg=stopped_before,
        timeout=25000,
    )
    assert listing.text_content().count("■ BERHENTI") == stopped_before + 1
    admin.screenshot(path=str(ARTIFACTS / "screens-page-stopped.png"))
    # marked before the click: the reload can come within the next change check (0.5 s)
    wall_a.wait_for_function("() => document.querySelector('.w-feed') !== null", timeout=20000)
    wall_a.evaluate("() => { window.__seenAll = true; }")
    admin.get_by_role("button", name="Muat ulang semua layar").click()
    wall_a.wait_for_function("() => window.__seenAll !== true", timeout=10000)  # reloaded again
    wall_a.close()
    wall_c.close()
    context.close()
