"""Notification targets and delivery through Apprise, shared by the alert worker and the `notifikasi` page.

Recipients are configured in one place: ``[ntbcare_alerts]`` in ``.streamlit/secrets.toml`` or, when that
section is absent, the environment (``NTBCARE_ALERTS_SECRETARIAT``, ``NTBCARE_ALERTS_ADVISERS``,
``NTBCARE_ALERTS_LEADERS``, ``NTBCARE_ALERTS_OPD_<CODE>``: comma-separated Apprise URLs). Each URL is one
*target*, named ``<group>-<n>`` (``secretariat-1``, ``opd-D03-2``); the name is what the outbox, the logs and
the page show. The URL is a secret (passwords, bot tokens): it is shown only through ``Target.redacted``
(Apprise's own privacy rendering) and errors are passed through ``scrub`` before they are stored or logged.

Language: Bahasa Indonesia unless the target's group is configured otherwise (``lang = {advisers = "en"}``
in the secrets section, or ``NTBCARE_ALERTS_LANG_ADVISERS=en``, ``NTBCARE_ALERTS_LANG_OPD_<CODE>=en``).
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from core.i18n import normalise_lang
from core.settings import ROOT

SECTION = "ntbcare_alerts"
ENV_PREFIX = "NTBCARE_ALERTS_"
GROUPS = ("secretariat", "advisers", "leaders")
SECRETS_FILES = (ROOT / ".streamlit" / "secrets.toml", Path.home() / ".streamlit" / "secrets.toml")
log = logging.getLogger("ntbcare.notify")
logging.getLogger("apprise").setLevel(logging.WARNING)  # Apprise's debug lines would print recipients


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
    source: str = "none"  # secrets | env | none

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


def _urls(value: Any, where: str) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    else:
        raise AlertsConfigError(f"{where}: harus berupa teks (URL dipisah koma) atau daftar URL")
    out = [i.strip() for i in items if i.strip()]
    for u in out:
        if "://" not in u:
            raise AlertsConfigError(f"{where}: '{redact_url(u)}' bukan URL Apprise (skema://...)")
    return out


def _group_name(group: str) -> str:
    return "opd-" + group[4:] if group.startswith("opd:") else group


def _build(groups: dict[str, list[str]], langs: dict[str, str], source: str) -> Recipients:
    targets = []
    for group, urls in groups.items():
        for n, url in enumerate(urls, start=1):
            targets.append(Target(f"{_group_name(group)}-{n}", group, url, normalise_lang(langs.get(group))))
    return Recipients(tuple(targets), source if targets else "none")


def read_secrets_section(paths=SECRETS_FILES) -> Mapping[str, Any] | None:
    """The ``[ntbcare_alerts]`` section of the first secrets.toml that has one (None: none has it)."""
    for path in paths:
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise AlertsConfigError(f"{path}: TOML tidak valid ({exc})") from None
            if SECTION in data:
                return data[SECTION]
    return None


def load_recipients(
    secrets: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None, read_files: bool = True
) -> Recipients:
    """Recipients from the secrets section (when present) or else from ``NTBCARE_ALERTS_*`` variables."""
    env = os.environ if env is None else env
    if secrets is None and read_files:
        secrets = read_secrets_section()
    groups: dict[str, list[str]] = {}
    langs: dict[str, str] = {}
    if secrets is not None:
        for g in GROUPS:
            groups[g] = _urls(secrets.get(g), f"[{SECTION}] {g}")
        opd = secrets.get("opd") or {}
        if not isinstance(opd, Mapping):
            raise AlertsConfigError(f"[{SECTION}.opd] harus berupa tabel KODE = URL")
        for code, value in opd.items():
            groups[f"opd:{str(code).strip().upper()}"] = _urls(value, f"[{SECTION}.opd] {code}")
        raw_langs = secrets.get("lang") or {}
        if not isinstance(raw_langs, Mapping):
            raise AlertsConfigError(f'[{SECTION}] lang harus berupa tabel grup = "id"|"en"')
        for k, v in raw_langs.items():
            k = str(k).strip()
            langs["opd:" + k[4:].upper() if k.lower().startswith("opd-") else k.lower()] = str(v)
        return _build(groups, langs, "secrets")
    for g in GROUPS:
        groups[g] = _urls(env.get(ENV_PREFIX + g.upper()), ENV_PREFIX + g.upper())
        if env.get(f"{ENV_PREFIX}LANG_{g.upper()}"):
            langs[g] = env[f"{ENV_PREFIX}LANG_{g.upper()}"]
    for key, value in sorted(env.items()):
        if key.startswith(ENV_PREFIX + "OPD_"):
            code = key[len(ENV_PREFIX + "OPD_") :].upper()
            groups[f"opd:{code}"] = _urls(value, key)
        elif key.startswith(ENV_PREFIX + "LANG_OPD_"):
            langs["opd:" + key[len(ENV_PREFIX + "LANG_OPD_") :].upper()] = value
    return _build(groups, langs, "env")


# --- secrets never shown -----------------------------------------------------------------------------------
def redact_url(url: str) -> str:
    """The URL as Apprise shows it with ``privacy=True`` (passwords and tokens masked); for a URL Apprise
    cannot read, only its scheme."""
    try:
        import apprise

        plugin = apprise.Apprise.instantiate(url, suppress_exceptions=True)
        if plugin:
            return plugin.url(privacy=True)
    except Exception:  # noqa: BLE001 - a bad URL is shown as its scheme only
        pass
    scheme = url.split("://", 1)[0] if "://" in url else "?"
    return f"{scheme}://****"


_SECRET_KEYS = ("pass", "password", "pwd", "token", "key", "apikey", "secret", "user")


def secret_parts(url: str) -> list[str]:
    """Pieces of ``url`` that must never appear in a log or on a page."""
    parts = {url}
    try:
        s = urlsplit(url)
        for piece in (s.password, s.username, s.netloc if "@" in s.netloc else None):
            if piece:
                parts.add(unquote(piece))
        for seg in s.path.split("/"):
            if len(seg) >= 8:
                parts.add(unquote(seg))
        for k, v in parse_qsl(s.query):
            if any(x in k.lower() for x in _SECRET_KEYS) and v:
                parts.add(v)
    except ValueError:
        pass
    return sorted((p for p in parts if len(p) >= 4), key=len, reverse=True)


def scrub(text: str, targets) -> str:
    """``text`` with every secret piece of the targets' URLs replaced by ``****``."""
    out = str(text)
    for t in targets:
        for piece in secret_parts(t.url):
            out = out.replace(piece, "****")
    return out


# --- delivery -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SendResult:
    ok: bool
    error: str | None = None


_ERRLINE = re.compile(r"(WARNING|ERROR) - (.*)")


def send(
    target: Target, title: str, body: str, attachment: tuple[str, bytes] | None = None, timeout_s: float = 10.0
) -> SendResult:
    """Send one notice through Apprise as plain text; never raises. The error text is scrubbed of secrets."""
    import apprise

    try:
        plugin = apprise.Apprise.instantiate(target.url, suppress_exceptions=True)
        if not plugin:
            return SendResult(False, "URL Apprise tidak dikenali")
        for attr in ("socket_connect_timeout", "socket_read_timeout"):
            if hasattr(plugin, attr):
                setattr(plugin, attr, float(timeout_s))
        obj = apprise.Apprise()
        obj.add(plugin)
        with tempfile.TemporaryDirectory(prefix="ntbcare-alert-") as tmp:
            attach = None
            if attachment is not None:
                path = Path(tmp) / attachment[0]
                path.write_bytes(attachment[1])
                attach = apprise.AppriseAttachment(str(path))
            with apprise.LogCapture(level=logging.WARNING) as captured:
                ok = obj.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT, attach=attach)
                logs = captured.getvalue()
        if ok:
            return SendResult(True)
        lines = [m.group(2).strip() for m in _ERRLINE.finditer(logs)]
        return SendResult(False, scrub("; ".join(lines[-3:]) or "pengiriman gagal", [target])[:500])
    except Exception as exc:  # noqa: BLE001 - one bad target never stops the worker
        return SendResult(False, scrub(f"{exc.__class__.__name__}: {exc}", [target])[:500])


def test_notice(loc, target_name: str, now) -> tuple[str, str]:
    """The "kirim uji" notice (page notifikasi and ``python -m alerts test``), in the target's ``loc``."""
    return (
        f"{loc.t('alert.prefix')} {loc.t('alert.test.subject')}",
        loc.t("alert.test.body", target=target_name, time=loc.datetime(now)),
    )
