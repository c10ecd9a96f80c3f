"""The settings registry is the one list of settings: the docs list exactly it, the code reads nothing else."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import alerts.settings  # noqa: F401 - registers the alert worker's settings in the one registry
from core import settings
from core.settings import REGISTRY, SettingError

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("core", "queries", "dashboard", "pages", "data_seed", "alerts", "bench", "publik")
DYNAMIC_PREFIXES = ("NTBCARE_ALERTS_OPD_",)  # one variable per OPD code: documented as a pattern


def documented() -> dict[str, str]:
    """``{name: default cell}`` of every table row in docs/configuration.md."""
    doc = (ROOT / "docs" / "configuration.md").read_text()
    rows = re.findall(r"^\| `([A-Z][A-Z0-9_<>]+)` \| ([^|]+) \|", doc, re.MULTILINE)
    names = [n for n, _ in rows]
    assert len(names) == len(set(names)), "a setting is documented twice"
    return {n: d.strip() for n, d in rows}


def shown_default(setting) -> str:
    return "(empty)" if setting.default == "" else f"`{setting.default}`"


def test_configuration_doc_lists_exactly_the_registry_with_its_defaults():
    doc = documented()
    assert set(doc) == set(REGISTRY)
    assert doc == {n: shown_default(s) for n, s in REGISTRY.items()}


def test_code_reads_only_registered_settings():
    used: set[str] = set()
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py") if (ROOT / folder).exists() else ():
            used |= set(re.findall(r"\bNTBCARE_[A-Z0-9_]*[A-Z0-9]\b", path.read_text()))
    used |= set(re.findall(r"\bNTBCARE_[A-Z0-9_]*[A-Z0-9]\b", (ROOT / "dev.py").read_text()))
    prefixes = {n for n in used if any(r.startswith(n + "_") for r in REGISTRY)}  # e.g. NTBCARE_ACCESS, built
    unregistered = {n for n in used - prefixes - set(REGISTRY) if not n.startswith(DYNAMIC_PREFIXES)}
    assert unregistered == set()
    assert "NTBCARE_HOLIDAY_OVERRIDES" in used and "NTBCARE_FEED_ROWS" in used


def test_values_are_validated_with_the_setting_named():
    env = {
        "NTBCARE_DB_POOL_SIZE": "0",
        "NTBCARE_SLA_COMPLETION_ANCHOR": "kemarin",
        "NTBCARE_FEED_INTERVAL": "0",
        "NTBCARE_ON_TIME_TARGET": "250",
        "NTBCARE_SLA_AT_RISK_DAYS": "dua",
    }
    with pytest.raises(SettingError, match="NTBCARE_DB_POOL_SIZE harus 1 atau lebih, bukan 0"):
        settings.value("NTBCARE_DB_POOL_SIZE", env)
    with pytest.raises(SettingError, match="NTBCARE_SLA_COMPLETION_ANCHOR harus salah satu dari dispatched, received"):
        settings.value("NTBCARE_SLA_COMPLETION_ANCHOR", env)
    with pytest.raises(SettingError, match="NTBCARE_SLA_AT_RISK_DAYS harus berupa bilangan bulat, bukan 'dua'"):
        settings.value("NTBCARE_SLA_AT_RISK_DAYS", env)
    assert settings.value("NTBCARE_FEED_INTERVAL", env) == 1  # display intervals are brought into range
    assert settings.value("NTBCARE_ON_TIME_TARGET", env) == 100
    assert (
        settings.value("NTBCARE_DB_POOL_SIZE", {}) == 5
        and settings.value("NTBCARE_DB_POOL_SIZE", {"NTBCARE_DB_POOL_SIZE": " "}) == 5
    )


def test_holiday_override_file_from_the_setting_changes_the_calendar(tmp_path, monkeypatch):
    from core import sla

    override = tmp_path / "libur.csv"
    override.write_text("date,libur,name\n2026-03-17,1,Hari jadi lokal\n")  # a Tuesday
    monkeypatch.setenv("NTBCARE_HOLIDAY_OVERRIDES", str(override))
    assert sla.load_overrides() == {dt.date(2026, 3, 17): "Hari jadi lokal"}
    monkeypatch.delenv("NTBCARE_HOLIDAY_OVERRIDES")
    assert dt.date(2026, 3, 17) not in sla.load_overrides()


def test_test_files_import_no_other_test_file():
    """Shared helpers live in conftest.py and the support modules (browser_support, dataset, ...), never in a test."""
    offenders = {
        p.name: m
        for p in (ROOT / "tests").glob("test_*.py")
        for m in re.findall(
            r"^\s*(?:from tests\.test_\w+|from tests import test_\w+|import tests\.test_\w+)",
            p.read_text(),
            re.MULTILINE,
        )
    }
    assert offenders == {}
