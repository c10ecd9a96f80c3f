"""Hostile and odd data in a real browser (Debian's chromium): every page shows it as literal text, runs
none of it, and survives SQL fragments in the URL. Screenshots go to test-artifacts/hostile-*.png."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from core.engine import make_engine
from queries import quality
from queries.schema import complaint, complaint_event
from tests import hostile
from tests.browser_support import ARTIFACTS, wait_ready
from tests.hostile import CASES

pytestmark = pytest.mark.browser
# what an injection would leave in the page: elements from citizen text or from the URL
# (an st.text element holds one span with nothing but text in it)
# The app's own scripts are the wall's: the kiosk's nightly reload, the screen-size probe, the rotation of its two
# views, the remote reload and the chime (dashboard/wall/kiosk.py, containers "kiosk-reload", "wall-scale",
# "wall-rotate", "wall-reload", "wall-sound") and the timeline trim of pages that rerun by themselves
# (dashboard/components.py, container "page-timeline"); any other script is injected.
OWN_SCRIPTS = "".join(
    f":not(.st-key-{key} script)"
    for key in ("kiosk-reload", "wall-scale", "wall-rotate", "wall-reload", "wall-sound", "page-timeline")
)
INJECTED = (
    "[data-testid='stMain'] :is(img[src='x'], img[src^='http://x'], iframe, "
    f"script{OWN_SCRIPTS}, a[href^='javascript'], [onerror], [onmouseover]), "
    "[data-testid='stMain'] [data-testid='stText'] :not(span), [data-testid='stMain'] [data-testid='stText'] span *"
)


@pytest.fixture(scope="module")
def app(db_factory, app_server):
    url = db_factory.url("sqlite")
    engine = make_engine(url, must_exist=False)
    hostile.build(engine)
    yield engine, app_server(url, {"NTBCARE_FEED_INTERVAL": "2"}, login=True, name="hostile")  # admin: every page
    engine.dispose()


def counts(engine) -> tuple[int, int]:
    with engine.connect() as c:
        return (
            c.execute(select(func.count()).select_from(complaint)).scalar_one(),
            c.execute(select(func.count()).select_from(complaint_event)).scalar_one(),
        )


def test_hostile_data_is_shown_as_text_on_every_page(app, browse):
    engine, server = app
    before = counts(engine)
    dialogs: list[str] = []
    page = browse(server, "admin", None, width=1920, height=1080)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    def visit(path: str, query: dict | None = None, shot: str | None = None):
        page.goto(f"{server.url}/{path}" + (f"?{urlencode(query)}" if query else ""))
        wait_ready(page)
        expect(page.locator("[data-testid='stMain']")).to_be_visible()
        assert page.locator("[data-testid='stException']").count() == 0, path
        assert "Traceback" not in page.content()
        assert page.locator(INJECTED).count() == 0, (path, query)
        if shot:
            page.screenshot(path=str(ARTIFACTS / f"hostile-{shot}.png"))

    # the wall: titles escaped, the 1,000-character title cut by the layout, nothing scrolls sideways
    visit("monitor", {"kiosk": "1"})
    for ticket in ("H01", "H02", "H22"):
        cell = page.locator(f".w-feed tr[data-ticket='{ticket}'] .w-title-text")
        expect(cell).to_have_text(CASES[ticket]["title"], timeout=10000)
    assert page.evaluate("() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth") == 0
    expect(page.locator(".w-feed tr[data-ticket='H09']")).to_have_count(0)  # dated 2030: not on the wall
    page.screenshot(path=str(ARTIFACTS / "hostile-monitor.png"))

    # one complaint per page: the title (and body) exactly as written, markdown and HTML not interpreted
    for ticket in ("H01", "H02", "H04", "H19", "H-23/#&+ <b>?x=1"):
        visit("aduan", {"tiket": ticket}, shot=None if ticket != "H02" else "aduan-markdown")
        title = page.locator("[data-testid='stMain']").get_by_test_id("stText").first
        assert title.text_content() == CASES[ticket]["title"].strip()
    visit("aduan", {"tiket": "H03"}, shot="aduan-100kb")
    # the body is one text element holding all of it (the facts above it are text elements too)
    body = page.locator("[data-testid='stMain']").get_by_test_id("stText").filter(has_text="AKHIR-ISI")
    expect(body).to_have_count(1)
    assert len(body.text_content()) == 100_000 and body.text_content().endswith("AKHIR-ISI")
    assert page.evaluate("() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth") == 0
    stages = page.get_by_role("heading", name="Tahap dan tenggat")
    expect(stages).to_be_visible()  # the page goes on after the body, which scrolls in its own box
    assert stages.bounding_box()["y"] < 1500
    expect(page.locator(".st-key-aduan-fields [data-testid='stText']")).to_have_count(10)  # the facts, as texts
    expect(page.locator("[data-testid='stDataFrame']")).to_have_count(3)  # Pelapor (admin), stages, timeline

    # URL values are text: a note or "not found", never markup, an icon, or SQL
    visit("aduan", {"tiket": "**x** :material/warning: <b>y</b> ' OR '1'='1"})
    note = page.locator("[data-testid='stAlert']")
    expect(note).to_contain_text("tidak ditemukan")
    expect(note).to_contain_text("**x** :material/warning: <b>y</b> ' OR '1'='1")
    assert note.locator("strong, b, [role='img']").count() == 0
    visit("kepatuhan", {"opd": "1;DROP TABLE complaint--", "periode": "' OR 1=1--"}, shot="kepatuhan")
    expect(page.get_by_text("Parameter URL diabaikan: opd=1;DROP TABLE complaint--")).to_be_visible()
    expect(page.get_by_text("Parameter URL diabaikan: periode=' OR 1=1--")).to_be_visible()

    visit("kualitas-data", shot="kualitas-data")
    expect(page.get_by_test_id("stMetric")).to_contain_text(f"/ {len(quality.CHECKS)}")  # every check is listed
    assert dialogs == []
    assert counts(engine) == before
