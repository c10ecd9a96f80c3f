"""deploy/ checked without a browser: the systemd units pass ``systemd-analyze verify`` (with the install paths of
docs/deployment.md mapped to this checkout), their commands are the ones the docs promise (the app unit's command
serves the app for real in tests/test_deploy_nginx.py), and the nginx site passes ``nginx -t`` while a typo in it does not.

In a container without systemd as PID 1, ``systemd-analyze verify`` still loads each unit in an offline manager
and reports unknown keys, bad values and missing executables; it prints those as warnings and exits 0, so the
test requires an empty output. What it cannot do here is run the unit: the sandboxing options (ProtectSystem=...)
take effect only under a real systemd, which this machine does not have.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from tests.browser_support import CHROMIUM, ROOT, free_port
from tests.deploy_support import (
    ALERTS_UNIT,
    APP_UNIT,
    ETC,
    INSTALL_DIR,
    INSTALL_PYTHON,
    KIOSK_UNIT,
    SITE,
    SUMMARIES_UNIT,
    DeployFileError,
    Nginx,
    environment_file,
    make_certificate,
    render_site,
    systemd_verify,
    unit_command,
    unit_environment,
    unit_value,
)

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


@pytest.fixture
def workdir():
    d = Path(tempfile.mkdtemp(prefix="ntbcare-units-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


def as_installed_here(unit: Path, workdir: Path) -> str:
    """The unit with docs/deployment.md's install paths pointing at this checkout and the test's files."""
    text = unit.read_text().replace(INSTALL_PYTHON, sys.executable).replace(INSTALL_DIR, str(ROOT))
    for name in ("monitor.env", "alerts.env", "secrets.toml"):
        (workdir / name).write_text("")
        text = text.replace(f"{ETC}/{name}", str(workdir / name))
    return text


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze missing")
@pytest.mark.parametrize(
    "unit,name,user",
    [
        (APP_UNIT, "ntbcare-monitor@8501.service", False),
        (ALERTS_UNIT, "ntbcare-alerts.service", False),
        (SUMMARIES_UNIT, "ntbcare-summaries.service", False),
        (KIOSK_UNIT, "ntbcare-kiosk.service", True),
    ],
)
def test_systemd_analyze_verify(workdir, unit, name, user):
    text = as_installed_here(unit, workdir)
    if unit == KIOSK_UNIT:
        text = text.replace("/usr/bin/chromium", CHROMIUM)
    res = systemd_verify(text, name, workdir, user=user)
    assert res.returncode == 0 and (res.stdout + res.stderr).strip() == "", res.stdout + res.stderr
    # the check is real: a misspelt value and a misspelt key are reported
    bad = systemd_verify(text.replace("Restart=always", "Restart=allways\nRestrat=always"), name, workdir, user=user)
    assert "allways" in bad.stderr and "Unknown key 'Restrat'" in bad.stderr, bad.stderr


def test_every_unit_restarts_always_and_reads_its_secrets_from_outside_the_repository():
    for unit in (APP_UNIT, ALERTS_UNIT, SUMMARIES_UNIT, KIOSK_UNIT):
        assert unit_value(unit, "Restart") == "always"
    for unit, env_file in (
        (APP_UNIT, f"{ETC}/monitor.env"),
        (ALERTS_UNIT, f"{ETC}/alerts.env"),
        (SUMMARIES_UNIT, f"{ETC}/summaries.env"),
    ):
        assert unit_value(unit, "EnvironmentFile") == env_file
        assert unit_value(unit, "User") == "ntbcare" and unit_value(unit, "WorkingDirectory") == INSTALL_DIR
    assert unit_command(ALERTS_UNIT, {}) == [INSTALL_PYTHON, "-m", "alerts", "run"]
    assert unit_command(SUMMARIES_UNIT, {}) == [INSTALL_PYTHON, "-m", "summaries", "run"]
    app = unit_command(APP_UNIT, {}, instance="8502")
    assert app == [
        INSTALL_PYTHON,
        "-m",
        "dashboard.serve",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        "8502",
        "--secrets.files",
        f"{ETC}/secrets.toml",
    ]
    # the examples are templates with placeholders, never secrets
    for example in ("monitor.env.example", "alerts.env.example"):
        env = environment_file(ROOT / "deploy" / example)
        assert "CHANGE-ME" in env["DATABASE_URL"]
    assert environment_file(ROOT / "deploy" / "monitor.env.example")["STREAMLIT_SERVER_COOKIE_SECRET"] == "CHANGE-ME"
    kiosk = unit_command(KIOSK_UNIT, unit_environment(KIOSK_UNIT))  # no kiosk.env: the unit's defaults
    assert kiosk == [
        "/usr/bin/chromium",
        "--kiosk",
        "--noerrdialogs",
        "--disable-session-crashed-bubble",
        "--incognito",
        "--no-first-run",
        "--disable-translate",
        "--check-for-update-interval=31536000",
        "https://monitor.ntbprov.go.id/monitor?kiosk=1",
    ]
    four_k = unit_command(KIOSK_UNIT, {**unit_environment(KIOSK_UNIT), "KIOSK_FLAGS": "--force-device-scale-factor=2"})
    assert four_k[-2:] == ["--force-device-scale-factor=2", "https://monitor.ntbprov.go.id/monitor?kiosk=1"]


def test_nginx_accepts_the_site_and_rejects_a_typo(workdir):
    cert, key = make_certificate(workdir)
    good = render_site([free_port(), free_port(), free_port()], free_port(), free_port(), cert, key)
    assert good.count("max_fails=0;") == 3  # three processes: the server line is the pattern
    nginx = Nginx(workdir / "ok", good, 1, 2)
    assert "test is successful" in nginx.check()
    for broken, expected in (
        (
            good.replace("proxy_pass http://ntbcare_monitor;", "proxy_pass http://ntbcare_monitr;", 1),
            "host not found in upstream",
        ),
        (good.replace("proxy_read_timeout 1d;", "proxy_read_timeout 1d", 1), "invalid number of arguments"),
        (good.replace("hash $ntbcare_route", "hash $ntbcare_rout", 1), "unknown"),
    ):
        with pytest.raises(DeployFileError, match=expected):
            Nginx(workdir / "bad", broken, 1, 2).check()
    with pytest.raises(DeployFileError, match="expected 1 x 'listen 443 ssl http2;'"):
        render_site([1, 2], 3, 4, cert, key, site=_copy_with(workdir, "listen 443 ssl http2;", "listen 443 ssl;"))


def _copy_with(workdir: Path, old: str, new: str) -> Path:
    path = workdir / "site.conf"
    path.write_text(SITE.read_text().replace(old, new))
    return path


def test_the_app_unit_refuses_to_start_without_database_url_and_never_hands_out_the_demo_role():
    """Fail closed: ExecStartPre, run as systemd would (its own command line), stops the unit when the environment
    file lacks DATABASE_URL; UnsetEnvironment drops NTBCARE_DEMO_ROLE whatever the environment file says."""
    import subprocess

    argv = unit_command(APP_UNIT, {}, instance="8501", key="ExecStartPre")
    refused = subprocess.run(argv, env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "DATABASE_URL missing in /etc/ntbcare-monitor/monitor.env: not starting on the demo database"
    )
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": "postgresql://ntbcare_dashboard@db/ntbcare"}
    assert subprocess.run(argv, env=env, capture_output=True, check=False).returncode == 0
    assert unit_value(APP_UNIT, "UnsetEnvironment").split() == ["NTBCARE_DEMO_ROLE"]
