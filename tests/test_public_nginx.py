"""The shipped nginx site with the public include files (deploy/nginx/ntbcare-public*.conf), run for real: the
public paths reach the public process through HTTPS with the site's security headers, and a client that asks
too fast gets 429 from nginx."""

from __future__ import annotations

import http.client
import ssl

import pytest

from core.engine import make_engine
from core.settings import SlaRules
from publik.app import PublicConfig, create_app
from tests import dataset
from tests.deploy_support import DEPLOY, Nginx, make_certificate, render_site, substitute
from tests.public_server import PublicServer, free_port

INSTALLED = "/etc/nginx/ntbcare/"  # where docs/public.md installs the two files
PUBLIC_UPSTREAM = "127.0.0.1:8600"
CONFIG = PublicConfig(refresh_s=300, minimum=5, licence="CC BY 4.0", licence_url="https://x", titles=False,
                      jurisdiction="x")  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory, dataset_url):
    engine = make_engine(dataset_url)
    public = PublicServer(create_app(engine, CONFIG, SlaRules(), clock=lambda: dataset.NOW)).start()
    directory = tmp_path_factory.mktemp("nginx-public")
    for name in ("ntbcare-public-zones.conf", "ntbcare-public.conf"):
        text = (DEPLOY / "nginx" / name).read_text()
        if PUBLIC_UPSTREAM in text:
            text = substitute(text, [(PUBLIC_UPSTREAM, f"127.0.0.1:{public.port}", 1)], name)
        (directory / name).write_text(text)
    cert, key = make_certificate(directory)
    https_port, http_port = free_port(), free_port()
    text = render_site([free_port(), free_port()], https_port, http_port, cert, key)
    text = substitute(
        text,
        [
            (INSTALLED + "ntbcare-public-zone[s].conf", str(directory / "ntbcare-public-zones.conf"), 1),
            (INSTALLED + "ntbcare-public.con[f]", str(directory / "ntbcare-public.conf"), 1),
        ],
        "ntbcare-monitor.conf",
    )
    nginx = Nginx(directory / "nginx", text, https_port, http_port).start()
    yield nginx
    nginx.stop()
    public.stop()
    engine.dispose()


def get(site, path: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPSConnection(
        "127.0.0.1", site.https_port, context=ssl._create_unverified_context(), timeout=30
    )
    conn.request("GET", path)
    res = conn.getresponse()
    res.body = res.read()
    conn.close()
    return res


def test_public_paths_reach_the_public_process_with_the_sites_headers(site):
    page = get(site, "/publik/?lang=en")
    assert page.status == 200 and b"<h1>NTB Care: how each OPD handles complaints</h1>" in page.body
    assert "frame-ancestors 'none'" in page.getheader("Content-Security-Policy")
    assert page.getheader("Strict-Transport-Security")
    assert get(site, "/publik").getheader("Location").endswith("/publik/")
    assert get(site, "/open311/v2/services.xml").body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')


def test_a_client_asking_too_fast_gets_429(site):
    """Open311: 2 requests a second with a burst of 10; 30 at once leave most of them refused."""
    statuses = [get(site, "/open311/v2/services.json").status for _ in range(30)]
    assert statuses.count(200) >= 10 and statuses.count(429) >= 10
    assert set(statuses) == {200, 429}
