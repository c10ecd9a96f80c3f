"""What an operator installs for the public process, run for real: the shipped nginx site with the public
include files (deploy/nginx/ntbcare-public*.conf): the public paths reach the public process through HTTPS with
the site's security headers, and a client that asks too fast gets 429 from nginx; and the systemd unit
(deploy/systemd/ntbcare-public.service): it verifies, and its own command serves the page."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import ssl
import subprocess
import sys
import time

import pytest

from core.engine import make_engine
from core.settings import SlaRules
from publik.app import PublicConfig, create_app
from tests import dataset
from tests.deploy_support import (
    DEPLOY,
    ETC,
    INSTALL_DIR,
    INSTALL_PYTHON,
    ROOT,
    Nginx,
    make_certificate,
    render_site,
    substitute,
    systemd_verify,
    unit_command,
    unit_value,
)
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


PUBLIC_UNIT = DEPLOY / "systemd" / "ntbcare-public.service"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
def test_the_unit_verifies_and_its_own_command_serves_the_public_page(tmp_path, dataset_url):
    """systemd-analyze finds nothing to say about deploy/systemd/ntbcare-public.service, and its ExecStart (the
    install paths pointing at this checkout, another port) serves /publik/ on the database it is given."""
    text = PUBLIC_UNIT.read_text().replace(INSTALL_PYTHON, sys.executable).replace(INSTALL_DIR, str(ROOT))
    text = text.replace(f"{ETC}/monitor.env", str(tmp_path / "monitor.env"))
    (tmp_path / "monitor.env").write_text("")
    res = systemd_verify(text, "ntbcare-public.service", tmp_path)
    assert res.returncode == 0 and (res.stdout + res.stderr).strip() == "", res.stdout + res.stderr
    port = free_port()
    env = {**os.environ, "DATABASE_URL": dataset_url, "PYTHONUNBUFFERED": "1"}
    argv = unit_command(PUBLIC_UNIT, env, paths={INSTALL_PYTHON: sys.executable, "8600": str(port)})
    assert unit_value(PUBLIC_UNIT, "WorkingDirectory") == INSTALL_DIR
    log = (tmp_path / "public.log").open("w")
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp_path / "public.log").read_text()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", "/publik/?lang=en")
                res = conn.getresponse()
                if res.status == 200:
                    assert b"<h1>NTB Care: how each OPD handles complaints</h1>" in res.read()
                    break
            except OSError:
                assert time.monotonic() < deadline, "the unit's command did not serve /publik/"
                time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(15)
        log.close()
