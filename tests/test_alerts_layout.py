"""The alerts feature's configuration and layout: no import cycle anywhere, settings only through the registry,
recipients from the deployment's secrets file, a worker that refuses to run for no one, secrets scrubbed in
every URL part and in Apprise's own logs, one quiet-hours rule for the wall and the worker."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import subprocess
import sys

import grimp
import pytest

from alerts import secrets
from alerts.recipients import AlertsConfigError, load_recipients
from alerts.settings import AlertSettings
from core.quiet_hours import QuietHours, parse
from core.settings import REGISTRY, SettingError
from dashboard.wall.urgent import parse_quiet_hours
from tests.browser_support import ROOT

PACKAGES = ("core", "queries", "dashboard", "pages", "alerts", "data_seed", "bench", "publik")
TOKEN = "123456789:AAH-bot-token-EXAMPLE-0123456789"


def module_cycles(graph) -> list[list[str]]:
    """Every import cycle between the project's modules (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    modules = sorted(graph.modules)

    def visit(m: str) -> None:
        index[m] = low[m] = len(index)
        stack.append(m)
        on.add(m)
        for n in sorted(graph.find_modules_directly_imported_by(m)):
            if n not in index:
                visit(n)
                low[m] = min(low[m], low[n])
            elif n in on:
                low[m] = min(low[m], index[n])
        if low[m] == index[m]:
            comp = []
            while True:
                n = stack.pop()
                on.discard(n)
                comp.append(n)
                if n == m:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10_000)
    for m in modules:
        if m not in index:
            visit(m)
    return out


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES)


def test_no_import_cycle_between_any_two_modules(graph):
    assert "alerts.worker" in graph.modules and "core.settings" in graph.modules
    assert module_cycles(graph) == []


def test_core_settings_no_longer_imports_the_alerts_settings(graph):
    assert not graph.find_modules_directly_imported_by("core.settings") & {"alerts.settings", "core.alert_settings"}
    assert not any(m.startswith("alerts") for m in graph.find_upstream_modules("core", as_package=True))


ENV_READ = re.compile(r"os\.environ|os\.getenv|getenv\(")


def test_nothing_reads_an_ntbcare_variable_but_the_registry():
    """Only core/settings.py touches the environment for settings; anything else reads ``value(NAME)``."""
    offenders = []
    for folder in ("core", "queries", "dashboard", "pages", "alerts", "data_seed", "publik"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "core" / "settings.py":
                continue
            for n, line in enumerate(path.read_text().splitlines(), 1):
                if ENV_READ.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_a_setting_default_is_written_once():
    """The dataclasses take their defaults from the registry: changing the registry changes them."""
    from dataclasses import replace

    from core.settings import Settings, SlaRules

    original = REGISTRY["NTBCARE_FEED_INTERVAL"]
    REGISTRY["NTBCARE_FEED_INTERVAL"] = replace(original, default=7)
    try:
        assert Settings().feed_interval_s == 7 and Settings() == Settings.from_env({})
    finally:
        REGISTRY["NTBCARE_FEED_INTERVAL"] = original
    assert SlaRules() == SlaRules.from_env({}) and Settings().feed_interval_s == 2


@pytest.mark.parametrize(
    ("env", "secrets_section", "message"),
    [
        ({"NTBCARE_ALERTS_LANG_ADVISERS": "fr"}, None, "NTBCARE_ALERTS_LANG_ADVISERS harus salah satu dari id, en"),
        ({"NTBCARE_ALERTS_LANG_OPD_N02": "jv"}, None, "NTBCARE_ALERTS_LANG_OPD_N02 harus salah satu dari id, en"),
        ({}, {"secretariat": "json://x/y", "lang": {"secretariat": "sasak"}}, r"lang.secretariat harus salah satu"),
    ],
)
def test_an_unknown_language_is_an_error_not_bahasa_indonesia(env, secrets_section, message):
    with pytest.raises(AlertsConfigError, match=message):
        load_recipients(secrets=secrets_section, env=env, read_files=False)


def test_languages_through_the_registry():
    env = {
        "NTBCARE_ALERTS_OPD_N02": "json://127.0.0.1:9/pupr",
        "NTBCARE_ALERTS_LANG_OPD_N02": "EN",
        "NTBCARE_ALERTS_ADVISERS": "json://127.0.0.1:9/a",
    }
    r = load_recipients(env=env, read_files=False)
    assert [(t.name, t.lang) for t in r.targets] == [("advisers-1", "id"), ("opd-N02-1", "en")]


def run_alerts(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NTBCARE_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "alerts", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_recipients_come_from_the_deployment_secrets_file(tmp_path):
    """The worker reads [ntbcare_alerts] from NTBCARE_SECRETS_FILE, the file the dashboard's units pass as
    --secrets.files, and says which file it read."""
    unit = (ROOT / "deploy" / "systemd" / "ntbcare-monitor@.service").read_text()
    assert f"--secrets.files {REGISTRY['NTBCARE_SECRETS_FILE'].default}" in unit
    worker_unit = (ROOT / "deploy" / "systemd" / "ntbcare-alerts.service").read_text()
    assert f"Environment=NTBCARE_SECRETS_FILE={REGISTRY['NTBCARE_SECRETS_FILE'].default}\n" in worker_unit
    path = tmp_path / "secrets.toml"
    path.write_text(f'[auth]\ncookie_secret = "x"\n\n[ntbcare_alerts]\nleaders = "tgram://{TOKEN}/-1001"\n')
    listed = run_alerts("targets", env={"NTBCARE_SECRETS_FILE": str(path)})
    assert listed.returncode == 0, listed.stderr
    header, *rows = listed.stdout.splitlines()
    assert header.startswith(f"# sumber: secrets {path} ")
    assert [r.split("\t")[:3] for r in rows] == [["leaders-1", "leaders", "id"]]
    assert TOKEN not in listed.stdout and TOKEN.split(":")[1] not in listed.stdout


def test_a_production_database_without_recipients_does_not_start(tmp_path):
    db = tmp_path / "produksi.sqlite"
    db.write_bytes(b"")
    missing = tmp_path / "tidak-ada.toml"
    run = run_alerts("run", "--database-url", f"sqlite:///{db}", env={"NTBCARE_SECRETS_FILE": str(missing)})
    assert run.returncode == 3
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith("Tidak ada penerima notifikasi; dicari di: ")
    assert str(missing) in line and ".streamlit/secrets.toml" in line and "NTBCARE_ALERTS_DEMO=1" in line


def test_only_the_bundled_demo_file_or_an_explicit_demo_runs_without_recipients():
    from alerts.__main__ import refusal
    from alerts.recipients import Recipients
    from core.settings import DEFAULT_SQLITE_PATH

    none, s = Recipients(looked_in=("x",)), AlertSettings.defaults()
    assert refusal(f"sqlite:///{DEFAULT_SQLITE_PATH}", none, s) is None
    assert refusal("postgresql://ntbcare_alerts@db/ntbcare", none, s).startswith("Tidak ada penerima")
    demo = AlertSettings.from_env({"NTBCARE_ALERTS_DEMO": "1"})
    assert refusal("postgresql://ntbcare_alerts@db/ntbcare", none, demo) is None


def test_a_bot_token_in_the_host_part_is_scrubbed_and_redacted():
    url = f"tgram://{TOKEN}/-1001234567890"
    assert TOKEN in secrets.secret_parts(url)
    assert secrets.scrub(f"POST https://api.telegram.org/bot{TOKEN}/sendMessage failed", [url]).count("****") == 1
    assert TOKEN not in secrets.redact_url(url) and TOKEN.split(":")[1] not in secrets.redact_url(url)


def test_apprise_own_log_lines_are_scrubbed(caplog):
    bad = "tgram://123456789:bad.token.Rahasia-XYZ/-1001"  # Apprise logs an invalid token in clear
    load_recipients(secrets={"leaders": bad}, read_files=False)
    with caplog.at_level(logging.WARNING, logger="apprise"):
        shown = secrets.redact_url(bad)
        logging.getLogger("apprise").warning(
            "The Telegram Bot Token specified (%s) is invalid.", "bad.token.Rahasia-XYZ"
        )
    assert caplog.records  # Apprise did log
    assert "Rahasia-XYZ" not in caplog.text and "Rahasia-XYZ" not in shown


@pytest.mark.parametrize("raw", ["20:00-07:00", "12:00-13:00", "off", "malam", "25:00-07:00", "20.00-07.00"])
def test_the_wall_and_the_worker_read_quiet_hours_alike(raw):
    def outcome(fn):
        try:
            return fn()
        except SettingError:
            return "error"

    wall = outcome(lambda: parse_quiet_hours(raw))
    worker = outcome(lambda: AlertSettings.from_env({"NTBCARE_ALERTS_QUIET_HOURS": raw}).quiet)
    assert wall == worker == outcome(lambda: parse(raw, "X"))
    if raw == "20:00-07:00":
        assert worker == QuietHours(dt.time(20), dt.time(7)) and worker.contains(
            dt.datetime(2026, 3, 30, 13, tzinfo=dt.UTC)
        )
