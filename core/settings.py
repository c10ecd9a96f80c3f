"""Every setting in one registry: name, type, default, meaning and validation, read from the environment.

Operators configure the app, the simulator and the alert worker without editing code. ``REGISTRY`` is the
single list: ``docs/configuration.md`` documents exactly it (``tests/test_settings.py`` fails when the two
differ), and code reads a setting only through ``value(NAME)`` or the dataclasses below.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from core.codes import CLASSIFICATIONS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = ROOT / "data" / "ntbcare_demo.sqlite"


class SettingError(ValueError):
    """A setting has a value that cannot be used; the message names the setting and says what is wrong."""


@dataclass(frozen=True)
class Setting:
    """One environment variable. ``kind``: int, float, text, choice. ``clamp``: an out-of-range number is
    brought into range (display intervals) instead of refused (limits that protect the database)."""

    name: str
    kind: str
    default: Any
    meaning: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    clamp: bool = False
    group: str = "app"

    def raw(self, env: Mapping[str, str] | None = None) -> str | None:
        """The variable's text, or None when it is unset."""
        return (os.environ if env is None else env).get(self.name)

    def read(self, env: Mapping[str, str] | None = None):
        """The validated value (the default when unset or empty). Raises SettingError."""
        raw = self.raw(env)
        if raw is None or raw.strip() == "":
            return self.default
        raw = raw.strip()
        if self.kind in ("int", "float"):
            try:
                number = int(raw) if self.kind == "int" else float(raw.replace(",", "."))
            except ValueError:
                what = "bilangan bulat" if self.kind == "int" else "bilangan"
                raise SettingError(f"{self.name} harus berupa {what}, bukan {raw!r}") from None
            if self.minimum is not None and number < self.minimum:
                if not self.clamp:
                    raise SettingError(f"{self.name} harus {self.minimum:g} atau lebih, bukan {number}")
                number = type(number)(self.minimum)
            if self.maximum is not None and number > self.maximum:
                if not self.clamp:
                    raise SettingError(f"{self.name} harus {self.maximum:g} atau kurang, bukan {number}")
                number = type(number)(self.maximum)
            return number
        if self.kind == "choice":
            value = raw.lower()
            if value not in self.choices:
                raise SettingError(f"{self.name} harus salah satu dari {', '.join(self.choices)}, bukan {raw!r}")
            return value
        return raw


_SLA = [
    Setting(
        "NTBCARE_SLA_DISPATCH_DAYS",
        "int",
        3,
        "working days for verification and dispatch, from receipt",
        minimum=0,
        group="sla",
    ),
    Setting(
        "NTBCARE_SLA_RESPONSE_DAYS",
        "int",
        5,
        "working days for the OPD's first response, from dispatch",
        minimum=0,
        group="sla",
    ),
    *(
        Setting(
            f"NTBCARE_SLA_COMPLETION_{c.upper()}",
            "int",
            d,
            f"working days to complete a complaint of classification {c}",
            minimum=0,
            group="sla",
        )
        for c, d in (("aspirasi", 5), ("informasi", 5), ("pengaduan", 14), ("pengaduan_pengawasan", 60))
    ),
    Setting(
        "NTBCARE_SLA_COMPLETION_ANCHOR",
        "choice",
        "dispatched",
        "the completion clock starts at `dispatched` or at `received`",
        choices=("dispatched", "received"),
        group="sla",
    ),
    Setting(
        "NTBCARE_SLA_AT_RISK_DAYS",
        "int",
        1,
        'an open stage is "at risk" when this many working days or fewer remain',
        minimum=0,
        group="sla",
    ),
    Setting(
        "NTBCARE_RAPOR_MIN_DECIDED",
        "int",
        5,
        "a share on time or a grade needs at least this many decided stages (done, or open past the deadline); "
        'below it the rapor says "belum dinilai"',
        minimum=1,
        group="sla",
    ),
    Setting(
        "NTBCARE_HOLIDAY_OVERRIDES",
        "text",
        "",
        "path of a local holiday override CSV (`date,libur,name`); "
        "empty: the bundled `core/holiday_overrides.csv`. Rebuild the calendar after a change "
        "(`python -m data_seed calendar`)",
        group="sla",
    ),
]
_DATABASE = [
    Setting(
        "DATABASE_URL",
        "text",
        "",
        "SQLAlchemy URL of the complaint database (`postgresql://user@host/db` "
        "uses psycopg2); empty: the embedded demo file `data/ntbcare_demo.sqlite`",
        group="database",
    ),
    Setting(
        "NTBCARE_STATEMENT_TIMEOUT_MS",
        "int",
        15000,
        "longest a PostgreSQL statement of the app may run, in ms (0: no limit)",
        minimum=0,
        group="database",
    ),
    Setting(
        "NTBCARE_DB_POOL_SIZE",
        "int",
        5,
        "PostgreSQL connections kept open per server process",
        minimum=1,
        group="database",
    ),
    Setting(
        "NTBCARE_DB_MAX_OVERFLOW",
        "int",
        5,
        "extra PostgreSQL connections per process under load",
        minimum=0,
        group="database",
    ),
    Setting(
        "NTBCARE_SUMMARY_INTERVAL",
        "int",
        300,
        "seconds between two runs of the summary worker (`python -m summaries run`); a stored figure older "
        "than twice this is not used and the page computes it itself",
        minimum=10,
        group="database",
    ),
    Setting(
        "NTBCARE_DB_POOL_TIMEOUT",
        "int",
        10,
        'seconds a query waits for a free connection before "server sibuk"',
        minimum=1,
        group="database",
    ),
]
_APP = [
    Setting(
        "NTBCARE_FEED_INTERVAL", "int", 2, "seconds between refreshes of the wall's live feed", minimum=1, clamp=True
    ),
    Setting(
        "NTBCARE_PANEL_INTERVAL",
        "int",
        15,
        "seconds between refreshes of the wall's slower panels",
        minimum=2,
        clamp=True,
    ),
    Setting("NTBCARE_FEED_ROWS", "int", 8, "rows in the wall's live feed", minimum=3, clamp=True),
    Setting(
        "NTBCARE_ON_TIME_TARGET",
        "int",
        80,
        "target share (%) of completions on time, drawn on `ringkasan`, the wall's figure coloured against it",
        minimum=0,
        maximum=100,
        clamp=True,
    ),
    Setting(
        "NTBCARE_BREACHED_TARGET",
        "int",
        0,
        "target count of open complaints past their deadline; the wall shows the figure red above it",
        minimum=0,
        clamp=True,
    ),
    Setting(
        "NTBCARE_WALL_ROTATE_SECONDS",
        "int",
        20,
        "seconds each of the wall's two views (lists, charts) stays on screen before the other",
        minimum=10,
        clamp=True,
    ),
    Setting(
        "NTBCARE_RETRY_INTERVAL",
        "int",
        5,
        "seconds between automatic retries of a page whose data is stale or missing",
        minimum=1,
        clamp=True,
    ),
    Setting(
        "NTBCARE_CHANGE_CHECK_MS",
        "int",
        500,
        "milliseconds between the wall's checks for new data (one tiny "
        "query shared by every wall); the feed is fetched and redrawn only when it changed",
        minimum=200,
        maximum=10000,
        clamp=True,
    ),
    Setting(
        "NTBCARE_CHART_INTERVAL", "int", 60, "seconds between refreshes of the wall's charts", minimum=5, clamp=True
    ),
    Setting(
        "NTBCARE_URGENT_BANNER_SECONDS",
        "int",
        30,
        "seconds the wall announces each new mendesak complaint",
        minimum=3,
        clamp=True,
    ),
    Setting(
        "NTBCARE_QUIET_HOURS",
        "text",
        "20:00-07:00",
        "WITA hours (`HH:MM-HH:MM`) when the wall's chime "
        "(`?suara=1`) stays silent; empty: never; an invalid value keeps 20:00-07:00",
    ),
    Setting(
        "NTBCARE_KIOSK_RELOAD_AT",
        "text",
        "03:00",
        "WITA time (`HH:MM`) of the kiosk wall's nightly full "
        "page reload; empty: never; an invalid value is logged and 03:00 used",
    ),
]
_ACCESS = [
    Setting(
        "NTBCARE_SECRETS_FILE",
        "text",
        "/etc/ntbcare-monitor/secrets.toml",
        "the secrets.toml of the deployment: the dashboard's units pass it as `--secrets.files`, the alert worker "
        "reads `[ntbcare_alerts]` from it; when it does not exist, the checkout's `.streamlit/secrets.toml`",
        group="access",
    ),
    Setting(
        "NTBCARE_ACCESS_USERS",
        "text",
        "",
        "`e-mail=role, ...` when `[ntbcare_access] users` is not set",
        group="access",
    ),
    Setting(
        "NTBCARE_ACCESS_DOMAINS",
        "text",
        "",
        "`domain=role, ...` when `[ntbcare_access] domains` is not set",
        group="access",
    ),
    Setting("NTBCARE_ACCESS_CLAIM", "text", "", "name of the identity token claim that carries roles", group="access"),
    Setting("NTBCARE_ACCESS_CLAIM_ROLES", "text", "", "`claim-value=role, ...` for that claim", group="access"),
    Setting(
        "NTBCARE_DEMO_ROLE",
        "text",
        "",
        "role of every logged-out viewer on the bundled demo file only (`python3 dev.py app` sets `admin`); "
        "ignored on any other database and whenever `[auth]` or a role mapping is configured",
        group="access",
    ),
]
_PUBLIC = [
    # NTBCARE_RAPOR_MIN_DECIDED (group sla) is the rapor's rule, read by the public page too
    Setting(
        "NTBCARE_PUBLIC_REFRESH_SECONDS",
        "int",
        300,
        "seconds the public page, its open data and its Open311 answers are reused before being computed "
        "again (one computation per interval for every visitor)",
        minimum=30,
        maximum=86400,
        clamp=True,
        group="public",
    ),
    Setting(
        "NTBCARE_OPEN_DATA_LICENSE",
        "text",
        "CC BY 4.0",
        "licence of the open data at `/publik/data/` (name as shown)",
        group="public",
    ),
    Setting(
        "NTBCARE_OPEN_DATA_LICENSE_URL",
        "text",
        "https://creativecommons.org/licenses/by/4.0/",
        "address of the text of that licence",
        group="public",
    ),
    Setting(
        "NTBCARE_OPEN311_TITLES",
        "choice",
        "0",
        "`1`: the Open311 endpoint gives a complaint's title as its `description` (`0`: never; the body and "
        "the reporter are never given)",
        choices=("0", "1"),
        group="public",
    ),
    Setting(
        "NTBCARE_OPEN311_JURISDICTION",
        "text",
        "ntbprov.go.id",
        "the Open311 `jurisdiction_id` this endpoint answers for (another one gets error 404)",
        group="public",
    ),
]
_DEV = [
    Setting(
        "NTBCARE_SIMULATOR",
        "choice",
        "1",
        "`python3 dev.py app` runs the live simulator (`0`: it does not)",
        choices=("0", "1"),
        group="dev",
    ),
    Setting(
        "NTBCARE_SYSTEM_ROOT",
        "text",
        "/",
        "where `python3 dev.py test` looks for chromium, nginx and testssl.sh (an empty directory: a machine "
        "without them)",
        group="dev",
    ),
]

REGISTRY: dict[str, Setting] = {s.name: s for s in (*_SLA, *_DATABASE, *_APP, *_ACCESS, *_PUBLIC, *_DEV)}


def register(*settings: Setting) -> None:
    """Add a feature's settings (the alert worker's, for instance) to the one registry."""
    for s in settings:
        if s.name in REGISTRY and REGISTRY[s.name] != s:
            raise ValueError(f"setting {s.name} registered twice")
        REGISTRY[s.name] = s


def value(name: str, env: Mapping[str, str] | None = None):
    """The validated value of a registered setting (SettingError for a bad value, KeyError if unregistered)."""
    return REGISTRY[name].read(env)


def set_under_prefix(prefix: str, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every non-empty environment variable whose name starts with ``prefix``, registered or not: for the
    fail-closed checks that must notice a misspelt name (a role mapping half configured is still configured)."""
    env = os.environ if env is None else env
    return {k: v for k, v in env.items() if k.startswith(prefix) and str(v).strip()}


def pattern_values(pattern: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The variables of a registered pattern (``NTBCARE_ALERTS_OPD_<CODE>``): ``{CODE: validated value}`` for
    every variable set in the environment whose name fits it (one variable per OPD code)."""
    setting = REGISTRY[pattern]
    prefix = pattern.split("<", 1)[0]
    env = os.environ if env is None else env
    out = {}
    for key in sorted(env):
        rest = key[len(prefix) :]
        if key.startswith(prefix) and rest and not any(key.startswith(p) for p in _longer_prefixes(prefix)):
            out[rest.upper()] = replace(setting, name=key).read(env)
    return out


def _longer_prefixes(prefix: str) -> list[str]:
    """Prefixes of other registered names that start with ``prefix`` (``NTBCARE_ALERTS_OPD_`` must not take
    ``NTBCARE_ALERTS_OPD_LANG...``)."""
    return [n.split("<", 1)[0] for n in REGISTRY if n.startswith(prefix) and n.split("<", 1)[0] != prefix]


def int_env(name: str, default: int | None = None) -> int:
    """A registered integer setting (``default`` is accepted for old callers and must match the registry)."""
    return value(name)


def database_url() -> str:
    """The SQLAlchemy URL of the complaint database: ``DATABASE_URL`` or the embedded SQLite demo file."""
    return value("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _registry_default(name: str, convert=lambda v: v):
    """A dataclass field whose default is the registry's (the one place a default is written)."""
    return field(default_factory=lambda: convert(REGISTRY[name].default))


@dataclass(frozen=True)
class SlaRules:
    """Deadlines in working days (hari kerja), SP4N-LAPOR! SOP and PermenPAN-RB 62/2018; the defaults are the
    registry's (``SlaRules()`` equals ``SlaRules.from_env({})``)."""

    dispatch_days: int = _registry_default("NTBCARE_SLA_DISPATCH_DAYS")  # verification and dispatch, from receipt
    response_days: int = _registry_default("NTBCARE_SLA_RESPONSE_DAYS")  # first OPD follow-up, from dispatch
    completion_days: dict[str, int] = field(
        default_factory=lambda: {c: REGISTRY[f"NTBCARE_SLA_COMPLETION_{c.upper()}"].default for c in CLASSIFICATIONS}
    )
    completion_anchor: str = _registry_default("NTBCARE_SLA_COMPLETION_ANCHOR")  # "dispatched" or "received"
    at_risk_days: int = _registry_default("NTBCARE_SLA_AT_RISK_DAYS")  # at risk when this many working days remain

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SlaRules:
        return cls(
            dispatch_days=value("NTBCARE_SLA_DISPATCH_DAYS", env),
            response_days=value("NTBCARE_SLA_RESPONSE_DAYS", env),
            completion_days={c: value(f"NTBCARE_SLA_COMPLETION_{c.upper()}", env) for c in CLASSIFICATIONS},
            completion_anchor=value("NTBCARE_SLA_COMPLETION_ANCHOR", env),
            at_risk_days=value("NTBCARE_SLA_AT_RISK_DAYS", env),
        )


@dataclass(frozen=True)
class Settings:
    """Runtime settings of the app; the defaults are the registry's (``Settings()`` equals
    ``Settings.from_env({})``)."""

    feed_interval_s: int = _registry_default("NTBCARE_FEED_INTERVAL")
    panel_interval_s: int = _registry_default("NTBCARE_PANEL_INTERVAL")
    feed_rows: int = _registry_default("NTBCARE_FEED_ROWS")
    on_time_target_pct: float = _registry_default("NTBCARE_ON_TIME_TARGET", float)  # completions on time
    breached_target: int = _registry_default("NTBCARE_BREACHED_TARGET")  # open complaints past their deadline
    wall_rotate_s: int = _registry_default("NTBCARE_WALL_ROTATE_SECONDS")  # the wall swaps lists and charts
    retry_interval_s: int = _registry_default("NTBCARE_RETRY_INTERVAL")  # pages rerun while data is stale or missing
    chart_interval_s: int = _registry_default("NTBCARE_CHART_INTERVAL")  # the wall's charts
    change_check_s: float = _registry_default("NTBCARE_CHANGE_CHECK_MS", lambda ms: ms / 1000)  # "anything new?"
    urgent_banner_s: int = _registry_default("NTBCARE_URGENT_BANNER_SECONDS")  # each new mendesak complaint
    quiet_hours: str = _registry_default("NTBCARE_QUIET_HOURS")  # WITA hours the wall's chime stays silent

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        return cls(
            feed_interval_s=value("NTBCARE_FEED_INTERVAL", env),
            panel_interval_s=value("NTBCARE_PANEL_INTERVAL", env),
            feed_rows=value("NTBCARE_FEED_ROWS", env),
            on_time_target_pct=float(value("NTBCARE_ON_TIME_TARGET", env)),
            breached_target=value("NTBCARE_BREACHED_TARGET", env),
            wall_rotate_s=value("NTBCARE_WALL_ROTATE_SECONDS", env),
            retry_interval_s=value("NTBCARE_RETRY_INTERVAL", env),
            chart_interval_s=value("NTBCARE_CHART_INTERVAL", env),
            change_check_s=value("NTBCARE_CHANGE_CHECK_MS", env) / 1000,
            urgent_banner_s=value("NTBCARE_URGENT_BANNER_SECONDS", env),
            quiet_hours=value("NTBCARE_QUIET_HOURS", env),
        )
