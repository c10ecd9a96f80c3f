"""The deployment for real (tests/deploy_stack.py): nginx on deploy/nginx/ntbcare-monitor.conf with TLS in front of
two app processes started from deploy/systemd/ntbcare-monitor@.service, reading a hot standby of the primary.

- over https: security headers, HTTP/2, the affinity cookie, the plain-HTTP redirect;
- the kiosk browser exactly as deploy/systemd/ntbcare-kiosk.service starts it: the wall through https, live
  (a complaint inserted on the PRIMARY reaches the wall through the standby);
- the login round trip through the local OIDC provider comes back to the https:// address, and survives the loss
  of the app process that served it (the same cookie secret on every process);
- losing the app process that serves a wall: the wall is live again within 15 s, without an error page, and
  starting the process again changes nothing for that wall;
- ten walls spread over both processes, and the database load follows the processes, not the walls.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from tests.browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, free_port, wait_ready
from tests.dataset import insert_now
from tests.deploy_stack import DATABASE, DeployStack
from tests.deploy_support import KIOSK_UNIT, client_connections, unit_command, unit_environment
from tests.oidc_support import login

FEED, PANEL = 3, 6
ENV = {"NTBCARE_FEED_INTERVAL": str(FEED), "NTBCARE_PANEL_INTERVAL": str(PANEL), "NTBCARE_KIOSK_RELOAD_AT": "03:00"}
WALL_ARGS = [
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
SECURITY_HEADERS = {
    "strict-transport-security": "max-age=63072000",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}
# Records, in the page, whatever a viewer would take for trouble: Streamlit's connection error, an exception
# block, a traceback, a CSP violation.
WATCH = """() => {
    window.__trouble = [];
    document.addEventListener('securitypolicyviolation',
        e => window.__trouble.push('csp ' + e.violatedDirective + ' ' + e.blockedURI));
    const check = () => {
        const t = document.body.innerText;
        for (const bad of ['Connection error', 'Traceback', 'Is Streamlit still running'])
            if (t.includes(bad) && !window.__trouble.includes(bad)) window.__trouble.push(bad);
        if (document.querySelector('[data-testid=stException]')) window.__trouble.push('stException');
    };
    new MutationObserver(check).observe(document.body, {subtree: true, childList: true, characterData: true});
    check();
}"""


@pytest.fixture(scope="module")
def stack():
    with DeployStack(env=ENV) as s:
        yield s


@pytest.fixture(scope="module")
def primary(stack):
    engine = stack.owner_engine()
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def browser(playwright_session):
    """Chromium as the kiosk runs it (WALL_ARGS), from the run's one Playwright (tests/conftest.py)."""
    b = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + WALL_ARGS, headless=True)
    yield b
    b.close()


def https_get(stack, path: str, cookie: str | None = None) -> http.client.HTTPResponse:
    ctx = ssl.create_default_context(cafile=str(stack.tmp / "fullchain.pem"))
    conn = http.client.HTTPSConnection("127.0.0.1", stack.https_port, context=ctx, timeout=10)
    conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    res = conn.getresponse()
    res.read()
    conn.close()
    return res


def serving(stack) -> dict[int, int]:
    """Open client connections per app process: one per WebSocket (a page's other requests close at once)."""
    return {port: client_connections(port) for port in stack.ports}


def wait_serving(stack, total: int, timeout: float = 15) -> dict[int, int]:
    deadline = time.monotonic() + timeout
    while True:
        got = serving(stack)
        if sum(got.values()) == total or time.monotonic() > deadline:
            return got
        time.sleep(0.2)


def open_wall(browser, stack, width=1920, height=1080):
    context = browser.new_context(viewport={"width": width, "height": height}, ignore_https_errors=True)
    page = context.new_page()
    page.goto(f"{stack.url}/monitor?kiosk=1")
    wait_ready(page)
    expect(page.locator(".w-feed")).to_be_visible(timeout=20000)
    page.evaluate(WATCH)
    return context, page


def test_https_headers_http2_cookie_and_redirect(stack):
    res = https_get(stack, "/monitor?kiosk=1")
    assert res.status == 200
    headers = {k.lower(): v for k, v in res.getheaders()}
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp
    assert headers["server"] == "nginx"  # server_tokens off: no version
    route = [c for c in res.msg.get_all("Set-Cookie") if c.startswith("ntbcare_route=")]
    assert len(route) == 1, res.msg.get_all("Set-Cookie")  # beside Streamlit's own (_streamlit_xsrf)
    name_value, *attrs = [part.strip() for part in route[0].split(";")]
    assert name_value.startswith("ntbcare_route=") and len(name_value.split("=")[1]) == 32
    assert set(attrs) == {"Path=/", "Secure", "HttpOnly", "SameSite=Lax"}
    again = https_get(stack, "/_stcore/health", cookie=name_value)  # the browser has it: not set again
    assert again.status == 200
    assert not [c for c in again.msg.get_all("Set-Cookie") or [] if c.startswith("ntbcare_route=")]
    assert again.getheader("strict-transport-security") == "max-age=63072000"  # every response, not just pages
    assert all("secure" in c.lower() for c in res.msg.get_all("Set-Cookie")), res.msg.get_all("Set-Cookie")
    missing = https_get(stack, "/no-such-file.js")
    assert missing.getheader("x-content-type-options") == "nosniff"

    ctx = ssl.create_default_context(cafile=str(stack.tmp / "fullchain.pem"))
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection(("127.0.0.1", stack.https_port), timeout=5) as raw,
        ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        assert tls.selected_alpn_protocol() == "h2"
        assert tls.version() in ("TLSv1.2", "TLSv1.3")

    conn = http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=10)
    conn.request("GET", "/monitor?kiosk=1")
    plain = conn.getresponse()
    assert plain.status == 301 and plain.getheader("location") == "https://127.0.0.1/monitor?kiosk=1"
    conn.close()


@pytest.mark.browser
def test_the_kiosk_unit_shows_the_wall_through_https_and_it_updates_live(stack, primary, playwright_session):
    """chromium started with deploy/systemd/ntbcare-kiosk.service's own command line (plus headless and a
    debugging port for the test, and --ignore-certificate-errors for the certificate made here)."""
    env = unit_environment(KIOSK_UNIT)
    env["WALL_URL"] = f"{stack.url}/monitor?kiosk=1"  # what ~/.config/ntbcare-kiosk.env sets
    argv = unit_command(KIOSK_UNIT, env, paths={"/usr/bin/chromium": CHROMIUM})
    assert argv[0] == CHROMIUM and argv[-1] == env["WALL_URL"]
    assert {"--kiosk", "--noerrdialogs", "--disable-session-crashed-bubble", "--incognito"} <= set(argv)
    cdp = free_port()
    profile = tempfile.mkdtemp(prefix="ntbcare-kiosk-")
    argv = [
        argv[0],
        *CHROMIUM_ARGS,
        f"--remote-debugging-port={cdp}",
        f"--user-data-dir={profile}",
        "--ignore-certificate-errors",
        *argv[1:],
    ]
    with (ARTIFACTS / "deploy-kiosk-chromium.log").open("w") as log:
        kiosk = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        p = playwright_session  # the run's one Playwright: a second sync_playwright() cannot start
        deadline = time.monotonic() + 30
        while True:
            try:
                b = p.chromium.connect_over_cdp(f"http://127.0.0.1:{cdp}")
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        page = next(pg for c in b.contexts for pg in c.pages if pg.url.startswith(stack.url))
        page.set_viewport_size({"width": 1920, "height": 1080})
        wait_ready(page)
        expect(page.locator(".w-feed tr")).to_have_count(8, timeout=20000)
        expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(4, timeout=20000)
        page.evaluate(WATCH)
        nav = page.evaluate("() => performance.getEntriesByType('navigation')[0].nextHopProtocol")
        assert nav == "h2"  # the page over HTTP/2; the WebSocket then works over HTTP/1.1 (below)
        assert page.evaluate("() => typeof window.__ntbcareReload") == "number"  # the CSP lets it run
        assert page.locator("[data-testid='stSidebar']").count() == 0
        # live: inserted on the PRIMARY, read by the app from the STANDBY, shown through nginx
        title = "Lampu jalan padam di Cakranegara (uji TLS)"
        ticket = insert_now(primary, title, priority="mendesak")
        row = page.locator(f".w-feed tr[data-ticket='{ticket}']")
        expect(row).to_be_visible(timeout=(3 * FEED + 4) * 1000)
        assert page.locator(".w-feed tr").first.get_attribute("data-ticket") == ticket
        assert page.evaluate("window.__trouble") == []
        page.screenshot(path=str(ARTIFACTS / "deploy-wall-https-1920x1080.png"))
        b.close()
    finally:
        os.killpg(kiosk.pid, signal.SIGKILL)
        kiosk.wait(10)


@pytest.mark.browser
def test_login_comes_back_to_https_and_survives_losing_its_process(stack, browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, ignore_https_errors=True)
    page = context.new_page()
    app = SimpleNamespace(url=stack.url, idp_url=stack.idp_url)
    login(page, app, "adviser")  # "Masuk" -> the provider -> back at the app
    assert page.url.startswith(f"{stack.url}/")  # https://, nginx's port: not the app process's http:// address
    page.goto(f"{stack.url}/kepatuhan?periode=rentang&dari=2026-03-01&sampai=2026-03-31")
    wait_ready(page)
    expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible(timeout=30000)
    page.evaluate(WATCH)
    held = wait_serving(stack, 1)
    assert sorted(held.values()) == [0, 1], held
    lost = next(port for port, n in held.items() if n == 1)
    other = next(port for port in stack.ports if port != lost)
    page.screenshot(path=str(ARTIFACTS / "deploy-login-https.png"))

    stack.kill(lost)  # the page reconnects to the other process, which must accept the same login cookie
    try:
        assert wait_serving(stack, 1, timeout=20) == {lost: 0, other: 1}
        wait_ready(page)
        expect(page.locator("[data-testid='stSidebar']").get_by_role("button", name="Keluar")).to_be_visible(
            timeout=20000
        )
        expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible(timeout=30000)
        expect(page.get_by_text("Silakan masuk")).to_have_count(0)
        assert page.url.startswith(f"{stack.url}/kepatuhan")
        assert page.evaluate("window.__trouble") == []
    finally:
        stack.restart(lost)
    context.close()


@pytest.mark.browser
def test_losing_the_process_of_a_wall_it_is_back_live_within_15_s(stack, primary, browser):
    context, page = open_wall(browser, stack)
    navigations = []
    page.on("framenavigated", lambda f: f == page.main_frame and navigations.append(f.url))
    held = wait_serving(stack, 1)
    assert sorted(held.values()) == [0, 1], held
    lost = next(port for port, n in held.items() if n == 1)
    other = next(port for port in stack.ports if port != lost)

    stack.kill(lost)
    killed = time.monotonic()
    ticket = insert_now(primary, "Banjir rob di Tanjung Luar (uji failover)")
    # live again = the complaint inserted after the loss is on the wall, fetched by the other process
    expect(page.locator(f".w-feed tr[data-ticket='{ticket}']")).to_be_visible(timeout=15000)
    back_s = time.monotonic() - killed
    assert serving(stack) == {lost: 0, other: 1}
    expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(4, timeout=10000)
    assert page.evaluate("window.__trouble") == []
    assert navigations == []  # Streamlit reconnected in place: no reload, no error page
    page.screenshot(path=str(ARTIFACTS / "deploy-wall-after-failover.png"))
    print(f"wall live again {back_s:.1f} s after its app process was killed")

    stack.restart(lost)  # systemd's Restart=always: the process is back (healthy); the wall stays where it is
    ticket2 = insert_now(primary, "Jembatan retak di Sumbawa (setelah pemulihan)")
    expect(page.locator(f".w-feed tr[data-ticket='{ticket2}']")).to_be_visible(timeout=(3 * FEED + 4) * 1000)
    assert serving(stack) == {lost: 0, other: 1}  # refreshed after the restart, still on the other process
    assert page.evaluate("window.__trouble") == [] and navigations == []
    assert page.locator(".w-feed tr").first.get_attribute("data-ticket") == ticket2
    context.close()


def transactions(stack) -> int:
    """Committed + rolled-back transactions of the app's database on the standby (the app's only database)."""
    engine = create_engine(stack.standby.url("postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    text("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = :d"), {"d": DATABASE}
                ).scalar_one()
            )
    finally:
        engine.dispose()


def per_minute(stack, seconds: float) -> float:
    before, t0 = transactions(stack), time.monotonic()
    time.sleep(seconds)
    return (transactions(stack) - before) * 60 / (time.monotonic() - t0)


@pytest.mark.browser
def test_ten_walls_spread_over_both_processes_and_the_database_load_follows_the_processes(stack, browser):
    """The app caches every query for all its viewers: the feed for half the feed interval, the panels for the
    panel interval. One wall alone hits each cache once per refresh (L1); any number of walls on a process hit it
    at most once per ttl, i.e. at most about 2 x L1. So two processes cost between L1 and 4 x L1 whatever the
    number of walls; ten walls each querying for themselves would cost about 10 x L1. (bench/deployment.py
    measures 10 walls on one and on two processes.)"""
    window = 2 * PANEL
    walls = [open_wall(browser, stack, 640, 360)]
    assert sum(wait_serving(stack, 1).values()) == 1
    one = per_minute(stack, window)
    started = time.monotonic()
    for _ in range(9):  # opened at once; small screens: the browser's work is not what is measured
        context = browser.new_context(viewport={"width": 640, "height": 360}, ignore_https_errors=True)
        page = context.new_page()
        page.goto(f"{stack.url}/monitor?kiosk=1", wait_until="commit")
        walls.append((context, page))
    spread = wait_serving(stack, 10, timeout=120)
    opened_s = time.monotonic() - started
    for _, page in walls:
        expect(page.locator(".w-feed")).to_be_visible(timeout=60000)
    ten = per_minute(stack, window)
    print(
        f"walls per process {spread} (9 more opened in {opened_s:.0f} s, load {os.getloadavg()[0]:.0f}); database "
        f"transactions/min: 1 wall {one:.0f}, 10 walls {ten:.0f} ({ten / one:.2f}x)"
    )
    assert sum(spread.values()) == 10
    assert all(n >= 1 for n in spread.values()), spread  # both processes serve walls
    assert 1.5 * one < ten < 4.6 * one, (one, ten)  # two processes' worth; far from ten walls' worth
    for context, _ in walls:
        context.close()
