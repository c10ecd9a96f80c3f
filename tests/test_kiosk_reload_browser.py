"""The kiosk's nightly self-reload in chromium: at the configured WITA time the page really reloads (a browser
navigation of type "reload"), the wall comes back and schedules the next one a day later; when the server is
down at that moment, the page is left alone instead of ending on a browser error page."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from playwright.sync_api import expect

from core.codes import WITA
from dashboard.wall.kiosk import RELOAD_ENV
from tests.browser_support import wait_ready

pytestmark = pytest.mark.browser
# The reload is set this far after the servers start: room for starting two servers and loading two walls.
# Both tests' walls are due at the same moment, so the module waits for it once. On a machine so busy that the
# walls are not shown in time, the servers start again with more room (at most three times).
LEAD_S = 45


def scheduled_delay_ms(page) -> int:
    script = page.locator(".st-key-kiosk-reload [data-testid='stHtml']").inner_html()
    return int(re.search(r"const delayMs = (\d+);", script)[1])


def open_kiosk(page, server):
    """The kiosk wall in ``page``, its main-frame navigations, and its reload delay in ms."""
    navigations: list[str] = []
    page.on("framenavigated", lambda f: f == page.main_frame and navigations.append(f.url))
    page.goto(f"{server.url}/monitor?kiosk=1")
    wait_ready(page)
    expect(page.locator(".w-feed")).to_be_visible(timeout=20000)
    delay = scheduled_delay_ms(page)
    page.evaluate("window.__beforeReload = true; window.__firstReloadTimer = window.__ntbcareReload")
    assert len(navigations) == 1
    return page, navigations, delay


def reload_env(lead_s: float) -> dict[str, str]:
    at = dt.datetime.now(WITA) + dt.timedelta(seconds=lead_s)
    return {RELOAD_ENV: at.strftime("%H:%M:%S")}


@pytest.fixture(scope="module")
def kiosks(dataset_url, app_server, browser):
    """Two kiosk walls on two servers, both set to reload at the same time: "up" keeps its server, "down" has
    its server stopped right after its wall is shown. name -> (page, navigations, due (monotonic))."""
    lead = LEAD_S
    for _attempt in range(3):
        started = time.monotonic()
        env = reload_env(lead)
        servers = {
            name: app_server(dataset_url, env, name=f"kiosk-reload-{name}", fresh=True) for name in ("up", "down")
        }
        contexts, walls = [], {}
        for name, server in servers.items():
            contexts.append(browser.new_context(viewport={"width": 1920, "height": 1080}))
            page, navigations, delay = open_kiosk(contexts[-1].new_page(), server)
            walls[name] = (page, navigations, time.monotonic() + delay / 1000, delay)
        servers["down"].stop()
        if all(5000 <= delay <= lead * 1000 for *_, delay in walls.values()):
            break
        # the reload time passed (or nearly) before a wall was shown: again, with more room
        for context in contexts:
            context.close()
        servers["up"].stop()
        lead = max(2 * lead, 2 * (time.monotonic() - started) + 20)
    else:
        pytest.fail("the walls were never shown before their reload time")
    yield {name: wall[:3] for name, wall in walls.items()}
    for context in contexts:
        context.close()


def test_the_kiosk_page_reloads_itself_at_the_configured_time(kiosks):
    page, navigations, due = kiosks["up"]
    # a real reload: the page's JavaScript state is gone and the navigation is of type "reload"
    page.wait_for_function("() => window.__beforeReload === undefined", timeout=(due - time.monotonic() + 60) * 1000)
    wait_ready(page)
    assert page.evaluate("performance.getEntriesByType('navigation')[0].type") == "reload"
    assert len(navigations) == 2 and navigations[1] == navigations[0]
    expect(page.locator(".w-feed")).to_be_visible(timeout=20000)
    expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(4, timeout=20000)
    # and the next reload is due at the same time tomorrow
    assert 23.9 * 3600 * 1000 < scheduled_delay_ms(page) <= 24 * 3600 * 1000


def test_no_reload_onto_an_error_page_while_the_server_is_down(kiosks):
    page, navigations, due = kiosks["down"]  # its server was stopped right after the wall was shown
    # the reload's first attempt: its health check fails and the script arms the next try (a new timer)
    page.wait_for_function(
        "() => window.__ntbcareReload !== window.__firstReloadTimer",
        timeout=(max(0.0, due - time.monotonic()) + 30) * 1000,
    )
    assert page.evaluate("window.__beforeReload") is True  # the same document: no reload happened
    assert len(navigations) == 1
    assert page.locator(".w-feed").count() == 1  # the last wall is still on screen
