"""Real logins in chromium against a local OpenID Connect provider (oidc-provider-mock), for every role:
the navigation each one sees, the pages and fields it can open, URLs typed by hand, and logging out.
Roles come from tests/oidc_support.ACCESS (an e-mail, a group claim and a domain rule)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright

from dashboard import access
from core.engine import make_engine
from tests import dataset
from tests.browser_support import ARTIFACTS, ROOT, StreamlitServer, launch_browser, wait_ready
from tests.oidc_support import ACCOUNTS, LoginApp, login

pytestmark = pytest.mark.browser
MARCH = "periode=rentang&dari=2026-03-01&sampai=2026-03-31"
SECRET = ("Baiq Rahasia", "081200000000")  # the reporter of every case in tests/dataset.py


@pytest.fixture(scope="module")
def db_url(db_factory):
    url = db_factory.url("sqlite")
    engine = make_engine(url, must_exist=False)
    dataset.build(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def app(db_url):
    with LoginApp(db_url, "login") as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = launch_browser(p)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # its own cookies: logged out
    yield context.new_page()
    context.close()


def open_page(page, url: str) -> str:
    """Open ``url`` like a typed address and return the main area's text."""
    page.goto(url)
    wait_ready(page)
    main = page.locator("[data-testid='stMain']")
    expect(main).to_be_visible()
    return main.inner_text()


def nav_paths(page) -> list[str]:
    """The URL paths of the links in the sidebar navigation, top to bottom."""
    links = page.locator("a[data-testid='stSidebarNavLink']")
    return [links.nth(i).get_attribute("href").split("?")[0].rsplit("/", 1)[1] for i in range(links.count())]


def _exists(url_path: str) -> bool:
    spec = next(s for s in access.PAGES if s.url_path == url_path)
    return (ROOT / spec.file).exists()


def assert_page(page, app, role: str, url_path: str, query: str = "") -> None:
    """Open ``url_path`` by hand and check that the role sees the page, or nothing of it."""
    text = open_page(page, f"{app.url}/{url_path}{'?' + query if query else ''}")
    html = page.content()
    if access.may_open(role, url_path):
        if url_path == "kepatuhan":
            expect(page.get_by_text("Aduan belum selesai — ", exact=False).first).to_be_visible(timeout=20000)
            assert "Kepatuhan OPD" in text
        elif url_path == "ringkasan":
            assert "Ringkasan" in text
        elif url_path == "aduan":
            expect(page.get_by_text("Aduan T05")).to_be_visible(timeout=20000)
            expect(page.get_by_text("Tambang ilegal di sungai").first).to_be_visible()
        assert "Silakan masuk" not in text and "tidak tersedia" not in text
    else:
        refusal = {"wall": "belum diberi peran"}.get(role, "tidak tersedia untuk peran")
        assert refusal in text, text
        assert page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").count() == 0
        assert "Tambang ilegal" not in html and "DPMPTSP" not in html
    personal = url_path == "aduan" and access.may_see_personal(role)
    if personal:
        expect(page.get_by_text("Pelapor", exact=True)).to_be_visible()
        table = page.locator("[data-testid='stDataFrame']").filter(has_text="Kontak")
        expect(table).to_contain_text(SECRET[0])
        expect(table).to_contain_text(SECRET[1])
    else:
        assert not any(s in html for s in SECRET)


def test_a_logged_out_viewer_reaches_nothing_but_the_wall(app, page):
    open_page(page, f"{app.url}/monitor")
    expect(page.locator("[data-testid='stMetric']")).to_have_count(7)
    assert nav_paths(page) == []  # one page: no navigation at all
    expect(page.locator("[data-testid='stSidebar']").get_by_role("button", name="Masuk")).to_be_visible()
    assert not any(s in page.content() for s in SECRET)
    page.screenshot(path=str(ARTIFACTS / "login-anonymous-monitor.png"))
    for url_path, query in (("kepatuhan", MARCH + "&opd=D11"), ("ringkasan", ""), ("aduan", "tiket=T05")):
        text = open_page(page, f"{app.url}/{url_path}?{query}")
        assert "Silakan masuk" in text, (url_path, text)
        html = page.content()
        assert page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").count() == 0
        assert page.locator("[data-testid='stMain'] [data-testid='stMetric']").count() == 0
        assert not any(s in html for s in (*SECRET, "Tambang ilegal", "DPMPTSP", "Dishub", "Aduan T05")), url_path
        expect(page.locator("[data-testid='stMain']").get_by_role("button", name="Masuk")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "login-anonymous-aduan.png"))


@pytest.mark.parametrize("account,role", [("leader", "leader"), ("adviser", "adviser"), ("admin", "admin"),
                                          ("unmapped", "wall")])
def test_each_role_sees_exactly_its_pages_and_fields(app, page, account, role):
    login(page, app, account)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_text(ACCOUNTS[account]["name"], exact=True)).to_be_visible()
    expect(sidebar.get_by_role("button", name="Keluar")).to_be_visible()
    visible = [p for p in access.pages_for(role) if _exists(p)]
    assert nav_paths(page) == (visible if len(visible) > 1 else [])
    if role == "wall":
        expect(sidebar.get_by_text("belum diberi peran", exact=False)).to_be_visible()
    for url_path, query in (("kepatuhan", MARCH + "&opd=D11"), ("ringkasan", ""), ("aduan", "tiket=T05")):
        assert_page(page, app, role, url_path, query)
        page.screenshot(path=str(ARTIFACTS / f"login-{account}-{url_path}.png"), full_page=True)


def test_logout_ends_access(app, page):
    login(page, app, "adviser")
    assert "Kepatuhan OPD" in open_page(page, f"{app.url}/kepatuhan?{MARCH}")
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{app.idp_url}/**")  # the provider's end-session page
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{app.url}/**")
    wait_ready(page)
    expect(page.locator("[data-testid='stSidebar']").get_by_role("button", name="Masuk")).to_be_visible()
    assert "Silakan masuk" in open_page(page, f"{app.url}/kepatuhan?{MARCH}")
    assert "Silakan masuk" in open_page(page, f"{app.url}/aduan?tiket=T05")
    assert not any(s in page.content() for s in SECRET)


def test_page_scripts_are_not_reachable_by_file_name(db_url, browser):
    """The first visit of a fresh server, by a page script's file name, reaches no page (dashboard.serve)."""
    with StreamlitServer(db_url, {}, ARTIFACTS / "login-first-visit.log") as server:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        # each page's own words (the wall that Streamlit falls back to shows complaint titles and OPDs)
        for path, words in (("compliance?" + MARCH, ("Cara menilai", "Kepatuhan OPD")),
                            ("complaint?tiket=T05", ("Nomor tiket", "Aduan T05", "Tahap dan tenggat", *SECRET)),
                            ("summary", ("Ringkasan",))):
            text = open_page(page, f"{server.url}/{path}")
            assert not any(w in text for w in words), (path, text[:300])
            assert not any(s in page.content() for s in SECRET)
        context.close()
