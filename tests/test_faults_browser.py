"""A real server as the read-only role (tests/readonly.py): the wall works, and a database that is down when
the app starts gives a clear message and then comes back on screen by itself, without anyone touching
the page. (AppTest never fires timers; only a real server shows the recovery happening by itself.)
"""

import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests import dataset
from tests.browser_support import ARTIFACTS, assert_fits, open_wall, wait_ready
from tests.readonly import ROLE, fingerprint

pytestmark = pytest.mark.browser
RETRY = 2
ENV = {"NTBCARE_FEED_INTERVAL": "2", "NTBCARE_PANEL_INTERVAL": "15", "NTBCARE_RETRY_INTERVAL": str(RETRY)}
MARCH = "periode=rentang&dari=2026-03-01&sampai=2026-03-31"
COUNT_RUNS = """() => {  // counts the page's script runs from now on (window.__runs)
    window.__runs = 0;
    const app = document.querySelector('[data-testid=stApp]');
    (window.__runObserver || {disconnect() {}}).disconnect();
    window.__runObserver = new MutationObserver(() => {
        if (app.getAttribute('data-test-script-state') === 'running') window.__runs++; });
    window.__runObserver.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


@pytest.fixture
def owner(readonly_db):
    """The owner's engine; asserts at the end that nothing was written."""
    engine = readonly_db.owner_engine()
    before = fingerprint(engine)
    yield engine
    readonly_db.pg.start()
    assert fingerprint(engine) == before
    engine.dispose()


def assert_no_traceback(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in page.content()


def test_the_wall_runs_as_the_read_only_role(new_page, app_server, readonly_db, owner):
    server = app_server(readonly_db.ro_url, ENV, name="wall-readonly")
    page = open_wall(new_page(1920, 1080), server)
    newest = sorted(dataset.CASES, key=lambda k: dataset.CASES[k]["received_at"], reverse=True)[:8]
    tickets = [row.get_attribute("data-ticket") for row in page.locator(".w-feed tr").all()]
    assert tickets == newest
    expect(page.locator("[data-testid='stMetric']")).to_have_count(7)
    expect(page.locator(".st-key-stale-warning")).to_have_count(0)
    assert_fits(page, 1920, 1080)
    assert_no_traceback(page)
    with owner.connect() as conn:  # the server's connections really are the role's
        users = (
            conn.execute(
                text(
                    "SELECT DISTINCT usename FROM pg_stat_activity "
                    "WHERE application_name = 'ntbcare-monitor' AND pid <> pg_backend_pid()"
                )
            )
            .scalars()
            .all()
        )
    assert users == [ROLE]
    page.screenshot(path=str(ARTIFACTS / "wall-readonly-role.png"))
    page.close()
    server.stop()


def test_database_down_at_start_recovers_by_itself(new_page, browse, app_server, readonly_db, owner):
    pg = readonly_db.pg
    pg.stop()
    env = {**ENV, "NTBCARE_PANEL_INTERVAL": "4"}  # the wall's slower panels retry sooner
    server = app_server(readonly_db.ro_url, env, login=True, name="faults-down-at-start", fresh=True)
    try:
        # kepatuhan is an adviser's page: a real login (tests/oidc_support.py)
        kep = browse(server, "adviser", "kepatuhan", MARCH, width=1600, height=1000)
        expect(kep.locator(".st-key-stale-warning p")).to_have_text(
            "Basis data tidak dapat dihubungi. Data belum tersedia; mencoba lagi otomatis.", timeout=20000
        )
        wall = new_page(1920, 1080)
        wall.goto(f"{server.url}/monitor?kiosk=1")
        wait_ready(wall)
        expect(wall.locator(".st-key-stale-warning")).to_contain_text("Basis data tidak dapat dihubungi", timeout=20000)
        # the kiosk's warning floats between the title and the clock: the time stays readable during the outage
        warning, clock = (wall.locator(sel).bounding_box() for sel in (".st-key-stale-warning", ".w-now"))
        assert warning and clock and warning["x"] + warning["width"] <= clock["x"], (warning, clock)
        kep.evaluate(COUNT_RUNS)
        # the page retries by itself against the dead database: a run comes within a few retry intervals
        kep.wait_for_function("window.__runs > 0", timeout=(4 * RETRY + 5) * 1000)
        for page in (kep, wall):
            assert_no_traceback(page)
        assert kep.locator("[data-testid='stDataFrame']").count() == 0
        kep.screenshot(path=str(ARTIFACTS / "kepatuhan-down-at-start.png"))
        wall.screenshot(path=str(ARTIFACTS / "wall-down-at-start.png"))

        pg.start()  # nobody touches the pages from here on
        expect(kep.locator("[data-testid='stDataFrame']").first).to_be_visible(timeout=20000)
        expect(kep.locator(".st-key-stale-warning")).to_have_count(0)
        expect(kep.get_by_text("01-03-2026 s.d. 31-03-2026", exact=False)).to_be_visible()
        expect(wall.locator(".w-feed tr")).to_have_count(8, timeout=20000)
        expect(wall.locator(".st-key-stale-warning")).to_have_count(0, timeout=20000)
        for page in (kep, wall):
            assert_no_traceback(page)
        wait_ready(kep)
        kep.evaluate(COUNT_RUNS)
        time.sleep(2 * RETRY + 1)  # the passing of time is what is tested: no retry run in two intervals
        assert kep.evaluate("window.__runs") == 0  # data back: the retries stopped
        kep.screenshot(path=str(ARTIFACTS / "kepatuhan-recovered.png"))
        kep.close()
        wall.close()
    finally:
        server.close()  # a fresh server for this test: its first start saw the database down
