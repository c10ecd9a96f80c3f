"""The kiosk's nightly self-reload in chromium: at the configured WITA time the page really reloads (a browser
navigation of type "reload"), the wall comes back and schedules the next one a day later; when the server is
down at that moment, the page is left alone instead of ending on a browser error page."""
from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from playwright.sync_api import expect, sync_playwright

from core.codes import WITA
from core.engine import make_engine
from dashboard.wall.kiosk import RELOAD_ENV
from tests import dataset
from tests.browser_support import ARTIFACTS, StreamlitServer, launch_browser, wait_ready

pytestmark = pytest.mark.browser
LEAD_S = 50  # the reload is set this far after the server starts: room for the first page load


@pytest.fixture(scope="module")
def db_url(db_factory):
    url = db_factory.url("sqlite")
    engine = make_engine(url, must_exist=False)
    dataset.build(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = launch_browser(p)
        yield b
        b.close()


def scheduled_delay_ms(page) -> int:
    script = page.locator(".st-key-kiosk-reload [data-testid='stHtml']").inner_html()
    return int(re.search(r"const delayMs = (\d+);", script)[1])


def open_kiosk(browser, server):
    """The kiosk wall, its main-frame navigations, and the moment (monotonic) its reload is due."""
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    navigations: list[str] = []
    page.on("framenavigated", lambda f: f == page.main_frame and navigations.append(f.url))
    page.goto(f"{server.url}/monitor?kiosk=1")
    wait_ready(page)
    expect(page.locator(".w-feed")).to_be_visible(timeout=20000)
    delay = scheduled_delay_ms(page)
    if delay < 5000:
        pytest.fail(f"the first page load took longer than {LEAD_S} s; the reload time passed before it was shown")
    page.evaluate("window.__beforeReload = true")
    return page, navigations, time.monotonic() + delay / 1000


def reload_env() -> dict[str, str]:
    at = dt.datetime.now(WITA) + dt.timedelta(seconds=LEAD_S)
    return {RELOAD_ENV: at.strftime("%H:%M:%S")}


def test_the_kiosk_page_reloads_itself_at_the_configured_time(browser, db_url):
    with StreamlitServer(db_url, reload_env(), ARTIFACTS / "kiosk-reload.log") as server:
        page, navigations, due = open_kiosk(browser, server)
        assert len(navigations) == 1
        # a real reload: the page's JavaScript state is gone and the navigation is of type "reload"
        page.wait_for_function("() => window.__beforeReload === undefined", timeout=(due - time.monotonic() + 60) * 1000)
        wait_ready(page)
        assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "reload"
        assert len(navigations) == 2 and navigations[1] == navigations[0]
        expect(page.locator(".w-feed")).to_be_visible(timeout=20000)
        expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(4, timeout=20000)
        # and the next reload is due at the same time tomorrow
        assert 23.9 * 3600 * 1000 < scheduled_delay_ms(page) <= 24 * 3600 * 1000
        page.close()


def test_no_reload_onto_an_error_page_while_the_server_is_down(browser, db_url):
    with StreamlitServer(db_url, reload_env(), ARTIFACTS / "kiosk-reload-down.log") as server:
        page, navigations, due = open_kiosk(browser, server)
        server.stop()
        # let the reload time pass (plus room for the health check to fail)
        page.wait_for_timeout(max(0.0, due - time.monotonic()) * 1000 + 5000)
        assert page.evaluate("window.__beforeReload") is True  # the same document: no reload happened
        assert len(navigations) == 1
        assert page.locator(".w-feed").count() == 1  # the last wall is still on screen
        page.close()
