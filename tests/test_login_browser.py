"""Real logins in chromium against a local OpenID Connect provider (oidc-provider-mock): what only a browser
shows. Each role's login and the navigation it is given; URLs typed by hand for one role (a leader: one page
refused, two shown); logging out; and a fresh server's first visit by a page file's name.
Roles come from tests/oidc_support.ACCESS (an e-mail, a group claim and a domain rule).

Every role on every page, typed URLs and fields included, is checked once, in AppTest:
tests/test_access.py::test_each_role_sees_exactly_its_pages_and_fields and
::test_no_restricted_page_script_runs_for_a_role_without_it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard import access
from tests.browser_support import ARTIFACTS, ROOT, main_text, nav_paths, open_page, wait_ready
from tests.oidc_support import ACCOUNTS

pytestmark = pytest.mark.browser
MARCH = "periode=rentang&dari=2026-03-01&sampai=2026-03-31"
SECRET = ("Baiq Rahasia", "081200000000")  # the reporter of every case in tests/dataset.py
TYPED = (("kepatuhan", MARCH + "&opd=D11"), ("ringkasan", ""), ("aduan", "tiket=T05"))


@pytest.fixture(scope="module")
def app(dataset_url, app_server):
    return app_server(dataset_url, login=True, name="login")


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


@pytest.mark.parametrize(
    "account,role", [("leader", "leader"), ("adviser", "adviser"), ("admin", "admin"), ("unmapped", "wall")]
)
def test_each_role_logs_in_and_gets_exactly_its_navigation(app, browse, account, role):
    page = browse(app, account, None)  # the login ends on the wall
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_text(ACCOUNTS[account]["name"], exact=True)).to_be_visible()
    expect(sidebar.get_by_role("button", name="Keluar")).to_be_visible()
    visible = [p for p in access.pages_for(role) if _exists(p)]
    assert nav_paths(page) == (visible if len(visible) > 1 else [])
    if role == "wall":
        expect(sidebar.get_by_text("belum diberi peran", exact=False)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / f"login-{account}-monitor.png"))


def test_urls_typed_by_hand_after_a_real_login(app, browse):
    """One role, a leader: kepatuhan is refused, ringkasan and aduan (without the reporter) are shown."""
    page = browse(app, "leader", None)
    for url_path, query in TYPED:
        assert_page(page, app, "leader", url_path, query)
        page.screenshot(path=str(ARTIFACTS / f"login-leader-{url_path}.png"), full_page=True)


def test_logout_ends_access(app, browse):
    page = browse(app, "adviser", "kepatuhan", MARCH)
    assert "Kepatuhan OPD" in main_text(page)
    page.locator("[data-testid='stSidebar']").get_by_role("button", name="Keluar").click()
    page.wait_for_url(f"{app.idp_url}/**")  # the provider's end-session page
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{app.url}/**")
    wait_ready(page)
    expect(page.locator("[data-testid='stSidebar']").get_by_role("button", name="Masuk")).to_be_visible()
    assert "Silakan masuk" in open_page(page, f"{app.url}/kepatuhan?{MARCH}")
    assert "Silakan masuk" in open_page(page, f"{app.url}/aduan?tiket=T05")
    assert not any(s in page.content() for s in SECRET)
    # logged out again: one page, so no navigation at all, and the way back in on the refused page itself
    assert nav_paths(page) == []
    expect(page.locator("[data-testid='stMain']").get_by_role("button", name="Masuk")).to_be_visible()
    assert page.locator("[data-testid='stMain'] [data-testid='stDataFrame']").count() == 0
    page.screenshot(path=str(ARTIFACTS / "login-anonymous-aduan.png"))


def test_page_scripts_are_not_reachable_by_file_name(dataset_url, app_server, new_page):
    """The first visit of a fresh server, by a page script's file name, reaches no page (dashboard.serve)."""
    server = app_server(dataset_url, name="login-first-visit", fresh=True)
    page = new_page()
    # each page's own words (the wall that Streamlit falls back to shows complaint titles and OPDs)
    for path, words in (
        ("compliance?" + MARCH, ("Cara menilai", "Kepatuhan OPD")),
        ("complaint?tiket=T05", ("Nomor tiket", "Aduan T05", "Tahap dan tenggat", *SECRET)),
        ("summary", ("Ringkasan",)),
    ):
        text = open_page(page, f"{server.url}/{path}")
        assert not any(w in text for w in words), (path, text[:300])
        assert not any(s in page.content() for s in SECRET)
    server.stop()
