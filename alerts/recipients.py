"""Who gets the notices: the targets, from ``[ntbcare_alerts]`` of the deployment's secrets.toml (the same file
as the dashboard's ``[auth]``, ``NTBCARE_SECRETS_FILE``) or, when no file has that section, the environment
(``NTBCARE_ALERTS_SECRETARIAT``, ``_ADVISERS``, ``_LEADERS``, ``_OPD_<CODE>``: comma-separated Apprise URLs,
read through the settings registry).

Each URL is one *target*, named ``<group>-<n>`` (``secretariat-1``, ``opd-D03-2``); the name is what the outbox,
the logs and the page show. The URL is a secret: it is shown only through ``Target.redacted`` and errors go
through ``alerts.secrets.scrub`` before they are stored or logged.

Language: Bahasa Indonesia unless the group is configured otherwise (``lang = {advisers = "en"}`` in the
section, or ``NTBCARE_ALERTS_LANG_ADVISERS=en``); an unknown language is an error, never silently ``id``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alerts.secrets import redact_url, remember
from alerts.settings import LANGS
from core.settings import ROOT, SettingError, pattern_values, value

SECTION = "ntbcare_alerts"
GROUPS = ("secretariat", "advisers", "leaders")
DEV_SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"


class AlertsConfigError(ValueError):
    """The recipients' configuration is malformed (the message names the key)."""


@dataclass(frozen=True)
class Target:
    name: str  # secretariat-1, opd-D03-1: what is shown and logged
    group: str  # secretariat, advisers, leaders, opd:D03
    url: str = field(repr=False)  # the secret
    lang: str = "id"

    @property
    def redacted(self) -> str:
        return redact_url(self.url)


@dataclass(frozen=True)
class Recipients:
    targets: tuple[Target, ...] = ()
    source: str = "none"  # "secrets <path>" | "env" | "none"
    looked_in: tuple[str, ...] = ()  # where the configuration was looked for (said when none is found)

    @property
    def configured(self) -> bool:
        return bool(self.targets)

    def of(self, group: str) -> list[Target]:
        return [t for t in self.targets if t.group == group]

    def opd_codes(self) -> set[str]:
        return {t.group.split(":", 1)[1] for t in self.targets if t.group.startswith("opd:")}

    def find(self, name: str) -> list[Target]:
        """Targets by name (``secretariat-1``) or a whole group (``secretariat``, ``opd-D03``)."""
        exact = [t for t in self.targets if t.name == name]
        if exact:
            return exact
        group = "opd:" + name[4:] if name.startswith("opd-") else name
        return self.of(group)


def secrets_files(env: Mapping[str, str] | None = None) -> tuple[Path, ...]:
    """Where ``[ntbcare_alerts]`` is looked for: ``NTBCARE_SECRETS_FILE`` (the deployment's file, which the
    dashboard's units pass as ``--secrets.files``), then the checkout's ``.streamlit/secrets.toml``."""
    return (Path(value("NTBCARE_SECRETS_FILE", env)), DEV_SECRETS_FILE)


def _urls(raw: Any, where: str) -> list[str]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        items = raw.split(",")
    elif isinstance(raw, (list, tuple)):
        items = [str(v) for v in raw]
    else:
        raise AlertsConfigError(f"{where}: harus berupa teks (URL dipisah koma) atau daftar URL")
    out = [i.strip() for i in items if i.strip()]
    for u in out:
        if "://" not in u:
            raise AlertsConfigError(f"{where}: '{redact_url(u)}' bukan URL Apprise (skema://...)")
    return out


def _lang(raw: Any, where: str) -> str:
    lang = str(raw).strip().lower()
    if lang not in LANGS:
        raise AlertsConfigError(f"{where} harus salah satu dari {', '.join(LANGS)}, bukan {raw!r}")
    return lang


def _group_name(group: str) -> str:
    return "opd-" + group[4:] if group.startswith("opd:") else group


def _build(groups: dict[str, list[str]], langs: dict[str, str], source: str, looked_in) -> Recipients:
    targets = []
    for group, urls in groups.items():
        for n, url in enumerate(urls, start=1):
            targets.append(Target(f"{_group_name(group)}-{n}", group, url, langs.get(group, "id")))
    remember(t.url for t in targets)
    return Recipients(tuple(targets), source if targets else "none", tuple(looked_in))


def read_secrets_section(paths) -> tuple[Mapping[str, Any] | None, Path | None]:
    """The ``[ntbcare_alerts]`` section of the first file of ``paths`` that has one, and that file."""
    for path in paths:
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise AlertsConfigError(f"{path}: TOML tidak valid ({exc})") from None
            except OSError as exc:
                raise AlertsConfigError(f"{path}: tidak dapat dibaca ({exc.strerror})") from None
            if SECTION in data:
                return data[SECTION], path
    return None, None


def _from_secrets(secrets: Mapping[str, Any]) -> tuple[dict[str, list[str]], dict[str, str]]:
    groups: dict[str, list[str]] = {}
    langs: dict[str, str] = {}
    for g in GROUPS:
        groups[g] = _urls(secrets.get(g), f"[{SECTION}] {g}")
    opd = secrets.get("opd") or {}
    if not isinstance(opd, Mapping):
        raise AlertsConfigError(f"[{SECTION}.opd] harus berupa tabel KODE = URL")
    for code, raw in opd.items():
        groups[f"opd:{str(code).strip().upper()}"] = _urls(raw, f"[{SECTION}.opd] {code}")
    raw_langs = secrets.get("lang") or {}
    if not isinstance(raw_langs, Mapping):
        raise AlertsConfigError(f'[{SECTION}] lang harus berupa tabel grup = "id"|"en"')
    for k, v in raw_langs.items():
        k = str(k).strip()
        key = "opd:" + k[4:].upper() if k.lower().startswith("opd-") else k.lower()
        langs[key] = _lang(v, f"[{SECTION}] lang.{k}")
    return groups, langs


def _from_env(env: Mapping[str, str] | None) -> tuple[dict[str, list[str]], dict[str, str]]:
    groups: dict[str, list[str]] = {}
    langs: dict[str, str] = {}
    try:
        for g in GROUPS:
            name = f"NTBCARE_ALERTS_{g.upper()}"
            groups[g] = _urls(value(name, env), name)
            langs[g] = value(f"NTBCARE_ALERTS_LANG_{g.upper()}", env)
        for code, raw in pattern_values("NTBCARE_ALERTS_OPD_<CODE>", env).items():
            groups[f"opd:{code}"] = _urls(raw, f"NTBCARE_ALERTS_OPD_{code}")
        for code, lang in pattern_values("NTBCARE_ALERTS_LANG_OPD_<CODE>", env).items():
            langs[f"opd:{code}"] = lang
    except SettingError as exc:
        raise AlertsConfigError(str(exc)) from None
    return groups, langs


def load_recipients(
    secrets: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    read_files: bool = True,
    paths=None,
) -> Recipients:
    """Recipients from the secrets section (given, or read from ``secrets_files()``) or else from the
    ``NTBCARE_ALERTS_*`` settings. ``Recipients.source`` names the file read."""
    looked_in: list[str] = []
    source = "secrets"
    if secrets is None and read_files:
        files = secrets_files(env) if paths is None else tuple(paths)
        looked_in = [f"[{SECTION}] di {p}" for p in files]
        secrets, path = read_secrets_section(files)
        source = f"secrets {path}" if path else source
    if secrets is not None:
        groups, langs = _from_secrets(secrets)
        return _build(groups, langs, source, looked_in)
    groups, langs = _from_env(env)
    return _build(groups, langs, "env", [*looked_in, "NTBCARE_ALERTS_SECRETARIAT/_ADVISERS/_LEADERS/_OPD_<KODE>"])
