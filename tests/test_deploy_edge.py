"""nginx's edge rules on deploy/nginx/ntbcare-monitor.conf, for real, in front of a stand-in app (a few lines of
socket code that answers like Streamlit: pages with its own Cache-Control and a cookie, WebSocket upgrades held
open), so that each rule is seen on its own without the whole stack (tests/test_deploy_nginx.py has that):

- TLS checked by Debian's testssl.sh: no finding of MEDIUM or higher but the self-signed certificate's trust;
- WebSockets per client address limited (limit_conn), the login routes rate-limited (limit_req);
- the headers: HSTS two years, COOP/CORP, no-store on pages but not on /static/, every cookie Secure;
- the office-network allow list included from ntbcare-monitor.d/.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.browser_support import ARTIFACTS, free_port
from tests.deploy_support import ALLOW_EXAMPLE, SITE, Nginx, make_certificate, render_site

TESTSSL = os.environ.get("NTBCARE_TESTSSL", "/usr/bin/testssl")
STREAM_LIMIT = int(re.search(r"limit_conn ntbcare_stream (\d+);", SITE.read_text()).group(1))
LOGIN_BURST = int(re.search(r"limit_req zone=ntbcare_login burst=(\d+)", SITE.read_text()).group(1))
# The findings a self-signed test certificate must have: nobody vouches for it, and no CA publishes its revocation.
SELF_SIGNED = {"cert_chain_of_trust", "cert_revocation"}


class StandIn:
    """The app's side of nginx: ``/_stcore/stream`` upgrades are answered 101 and held open (counted in
    ``held``); anything else gets a small page with ``Cache-Control: max-age=3600`` and a cookie."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(4096)
            if not chunk:
                conn.close()
                return
            data += chunk
        if data.startswith(b"GET /_stcore/stream"):
            conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
            with self.lock:
                self.held.append(conn)
            return
        body = b"<html>stand-in</html>"
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nCache-Control: max-age=3600\r\n"
            b"Set-Cookie: _streamlit_xsrf=abc; Path=/\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
            % (len(body), body)
        )
        conn.close()

    def close(self):
        self.sock.close()
        with self.lock:
            for conn in self.held:
                conn.close()


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    directory = tmp_path_factory.mktemp("edge")
    cert, key = make_certificate(directory)
    app = StandIn()
    https_port, http_port = free_port(), free_port()
    nginx = Nginx(directory / "nginx", render_site([app.port], https_port, http_port, cert, key), https_port, http_port)
    with nginx:
        nginx.cafile = cert
        yield nginx
    app.close()


def get(edge, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    ctx = ssl.create_default_context(cafile=str(edge.cafile))
    conn = http.client.HTTPSConnection("127.0.0.1", edge.https_port, context=ctx, timeout=10)
    conn.request("GET", path, headers=headers or {})
    res = conn.getresponse()
    res.read()
    conn.close()
    return res


def test_headers_hsts_coop_corp_no_store_and_secure_cookies(edge):
    page = get(edge, "/monitor?kiosk=1")
    assert page.status == 200
    assert page.getheader("strict-transport-security") == "max-age=63072000"
    assert page.getheader("cross-origin-opener-policy") == "same-origin"
    assert page.getheader("cross-origin-resource-policy") == "same-origin"
    assert page.msg.get_all("Cache-Control") == ["no-store"]  # the app's max-age replaced
    cookies = page.msg.get_all("Set-Cookie")
    assert {c.split("=")[0] for c in cookies} == {"_streamlit_xsrf", "ntbcare_route"}
    assert all("secure" in c.lower() for c in cookies), cookies  # the app's cookie too (proxy_cookie_flags)
    static = get(edge, "/static/js/index.abc123.js")
    assert static.msg.get_all("Cache-Control") == ["max-age=3600"]  # hashed assets keep the app's caching
    assert static.getheader("strict-transport-security") == "max-age=63072000"


def test_websockets_per_client_address_are_limited(edge):
    """One address holds at most STREAM_LIMIT WebSockets at once; the next is refused (503), and one is
    accepted again as soon as one closes."""
    ctx = ssl.create_default_context(cafile=str(edge.cafile))
    opened = []

    def upgrade() -> int:
        raw = socket.create_connection(("127.0.0.1", edge.https_port), timeout=10)
        tls = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
        tls.sendall(
            b"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = tls.recv(4096)
            if not chunk:
                break
            head += chunk
        opened.append(tls)
        return int(head.split(b" ", 2)[1])

    try:
        statuses = [upgrade() for _ in range(STREAM_LIMIT)]
        assert statuses == [101] * STREAM_LIMIT
        assert upgrade() == 503
        opened.pop(0).close()
        deadline = time.monotonic() + 10  # nginx notices the closed connection on its next event
        while (status := upgrade()) != 101 and time.monotonic() < deadline:
            opened.pop().close()
        assert status == 101
    finally:
        for tls in opened:
            tls.close()


def test_the_login_routes_are_rate_limited(edge):
    """A burst of LOGIN_BURST is answered; beyond it, within the same minute, nginx answers 429 itself."""
    started = time.monotonic()
    statuses = [get(edge, "/auth/login?provider=default").status for _ in range(LOGIN_BURST + 10)]
    refilled = int((time.monotonic() - started) / 3) + 1  # 20 a minute: one more slot every 3 s
    assert statuses[: LOGIN_BURST + 1] == [200] * (LOGIN_BURST + 1)  # the burst plus the rate's own slot
    assert statuses.count(200) <= LOGIN_BURST + 1 + refilled and 429 in statuses
    assert set(statuses) == {200, 429}
    assert 429 in [get(edge, "/oauth2callback?code=x").status for _ in range(3)]  # the same zone
    assert get(edge, "/monitor").status == 200  # the pages are not limited


def test_the_office_allow_list_is_included(tmp_path):
    """deploy/nginx/allow-office.conf.example's rules, in ntbcare-monitor.d/, decide who may connect."""
    cert, key = make_certificate(tmp_path)
    assert "deny all;" in ALLOW_EXAMPLE.read_text()
    for allow, status in ((ALLOW_EXAMPLE.read_text(), 403), ("allow 127.0.0.1;\ndeny all;\n", 502)):
        https_port, http_port = free_port(), free_port()
        site = render_site([free_port()], https_port, http_port, cert, key)  # no app behind: 502 when allowed
        with Nginx(tmp_path / f"n{status}", site, https_port, http_port, allow=allow) as nginx:
            nginx.cafile = cert
            assert get(nginx, "/monitor").status == status


def test_testssl_finds_nothing_of_medium_or_higher_but_the_self_signed_certificate(edge):
    """Debian's testssl.sh: protocols, cipher categories, forward secrecy, server preferences, certificate,
    headers and vulnerabilities (--fast: the first preferred cipher only). Its summary is kept in test-artifacts/."""
    assert os.access(TESTSSL, os.X_OK), f"{TESTSSL} missing: python3 dev.py test installs testssl.sh"
    Path(ARTIFACTS).mkdir(exist_ok=True)
    out = Path(ARTIFACTS) / "testssl.json"
    out.unlink(missing_ok=True)
    res = subprocess.run(
        [TESTSSL, "-p", "-s", "-f", "-P", "-S", "-h", "-U", "--fast", "--quiet", "--color", "0", "--warnings", "off"]
        + ["--severity", "MEDIUM", "--ip", "one", "--jsonfile", str(out), f"127.0.0.1:{edge.https_port}"],
        check=False,  # its exit code counts findings; the JSON says which
        capture_output=True,
        text=True,
        timeout=900,
    )
    (Path(ARTIFACTS) / "testssl.txt").write_text(res.stdout)
    findings = json.loads(out.read_text())
    serious = [f for f in findings if f["severity"] in ("MEDIUM", "HIGH", "CRITICAL") and f["id"] not in SELF_SIGNED]
    assert serious == [], serious
    assert {f["id"] for f in findings if f["severity"] == "CRITICAL"} == {"cert_chain_of_trust"}
