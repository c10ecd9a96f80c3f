"""The alert worker's settings, registered in the one settings registry (core/settings.py, group "alerts").

Shared by the worker and page `notifikasi`; docs/configuration.md lists them with the others and
docs/alerts.md explains them. ``AlertSettings`` is built from the registry only (its defaults are the
registry's: ``AlertSettings.from_env({})``). Recipients (Apprise URLs) are secrets: see alerts/recipients.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from core.i18n import LANGS
from core.quiet_hours import QuietHours, parse, parse_hhmm
from core.settings import Setting, SettingError, register

RULES = ("mendesak_baru", "hampir_jatuh_tempo", "terlambat", "ringkasan_harian", "rapor_bulanan")


def _s(name, kind, default, meaning, **kw) -> Setting:
    return Setting(name, kind, default, meaning, group="alerts", **kw)


SETTINGS: tuple[Setting, ...] = (
    _s(
        "NTBCARE_PUBLIC_URL",
        "text",
        "http://localhost:8501/",
        "public address of the dashboard, used in the notices' links (`aduan?tiket=...`)",
    ),
    _s(
        "NTBCARE_ALERTS_SECRETARIAT",
        "text",
        "",
        "Apprise URLs (comma-separated) of the NTB Care secretariat, when `[ntbcare_alerts]` in secrets.toml is absent",
    ),
    _s(
        "NTBCARE_ALERTS_ADVISERS",
        "text",
        "",
        "Apprise URLs of the Governor's staff advisers (digest, escalation, rapor)",
    ),
    _s("NTBCARE_ALERTS_LEADERS", "text", "", "Apprise URLs of the leaders (escalation after M working days)"),
    _s(
        "NTBCARE_ALERTS_OPD_<CODE>",
        "text",
        "",
        "Apprise URLs of one OPD by its code (merged OPDs use their successor's)",
    ),
    _s("NTBCARE_ALERTS_LANG_SECRETARIAT", "choice", "id", "language of the secretariat's notices", choices=LANGS),
    _s("NTBCARE_ALERTS_LANG_ADVISERS", "choice", "id", "language of the advisers' notices", choices=LANGS),
    _s("NTBCARE_ALERTS_LANG_LEADERS", "choice", "id", "language of the leaders' notices", choices=LANGS),
    _s("NTBCARE_ALERTS_LANG_OPD_<CODE>", "choice", "id", "language of one OPD's notices", choices=LANGS),
    _s("NTBCARE_ALERTS_DISABLED", "text", "", "rules switched off, comma-separated (`ringkasan_harian,rapor_bulanan`)"),
    _s(
        "NTBCARE_ALERTS_QUIET_HOURS",
        "text",
        "20:00-07:00",
        "WITA quiet hours (`HH:MM-HH:MM`): only mendesak_baru is sent; `off`: none",
    ),
    _s(
        "NTBCARE_ALERTS_BATCH_AT", "text", "07:30", "WITA time of the working-day batch (hampir_jatuh_tempo, terlambat)"
    ),
    _s("NTBCARE_ALERTS_DIGEST_AT", "text", "07:30", "WITA time of the advisers' daily digest (working days)"),
    _s("NTBCARE_ALERTS_RAPOR_AT", "text", "08:00", "WITA time of the monthly rapor (first working day of the month)"),
    _s(
        "NTBCARE_ALERTS_RAPOR_GROUPS",
        "text",
        "advisers",
        "groups that get the whole rapor PDF (each OPD gets its own page)",
    ),
    _s(
        "NTBCARE_ALERTS_ESCALATE_ADVISERS_DAYS",
        "int",
        3,
        "breached by at least N working days: also to the advisers",
        minimum=1,
    ),
    _s(
        "NTBCARE_ALERTS_ESCALATE_LEADERS_DAYS",
        "int",
        10,
        "breached by at least M working days: also to the leaders",
        minimum=1,
    ),
    _s(
        "NTBCARE_ALERTS_ITEMS_PER_NOTICE",
        "int",
        8,
        'complaints listed in one batch notice before "... dan N lainnya"',
        minimum=1,
    ),
    _s(
        "NTBCARE_ALERTS_CATCHUP_LIMIT",
        "int",
        5,
        "more new urgent complaints than this for a target in one cycle (after an outage): one summary notice",
        minimum=1,
    ),
    _s("NTBCARE_ALERTS_POLL_S", "float", 2, "seconds between two evaluation cycles", minimum=0.05),
    _s(
        "NTBCARE_ALERTS_RETRY_FOR_H",
        "float",
        48,
        "hours a notice is retried (from its first failed attempt) before it is marked failed",
        minimum=0.001,
    ),
    _s(
        "NTBCARE_ALERTS_RETRY_BASE_S",
        "float",
        30,
        "first retry delay in seconds; doubles per attempt up to the cap",
        minimum=0.01,
    ),
    _s("NTBCARE_ALERTS_RETRY_CAP_S", "float", 300, "longest delay between two retries, seconds", minimum=0.01),
    _s(
        "NTBCARE_ALERTS_RETRY_CAP_URGENT_S",
        "float",
        60,
        "longest delay between two retries of a mendesak_baru notice, seconds",
        minimum=0.01,
    ),
    _s(
        "NTBCARE_ALERTS_MAX_SKEW_S",
        "float",
        30,
        "the worker holds every batch while its clock and the database's `now()` differ by more, seconds",
        minimum=0.5,
    ),
    _s(
        "NTBCARE_ALERTS_LOCK_IDLE_S",
        "int",
        45,
        "PostgreSQL ends the lock session of a worker silent for this long (a partition), seconds",
        minimum=5,
    ),
    _s(
        "NTBCARE_ALERTS_RAISED_SCAN_S",
        "float",
        60,
        "how often the worker looks for complaints raised to mendesak after receipt, seconds",
        minimum=0.05,
    ),
    _s("NTBCARE_ALERTS_SEND_TIMEOUT_S", "float", 10, "connect and read timeout of one delivery, seconds", minimum=0.1),
    _s(
        "NTBCARE_ALERTS_STANDBY_POLL_S",
        "float",
        10,
        "how often a waiting second worker tries to take over, seconds",
        minimum=0.05,
    ),
    _s(
        "NTBCARE_ALERTS_LEASE_S",
        "float",
        30,
        "SQLite only: the active worker's lease, seconds; a dead worker's lease expires after it",
        minimum=0.5,
    ),
    _s(
        "NTBCARE_ALERTS_RECENT_MIN",
        "int",
        15,
        "minutes of urgent complaints re-read each cycle (rows committed late)",
        minimum=0,
    ),
    _s(
        "NTBCARE_ALERTS_DEMO",
        "choice",
        "0",
        "`1`: notices are marked [DEMO] (`python3 dev.py app` sets it)",
        choices=("0", "1"),
    ),
    Setting(
        "NTBCARE_ALERTS_WORKER",
        "choice",
        "1",
        "`python3 dev.py app` runs the alert worker on the demo database (`0`: it does not)",
        choices=("0", "1"),
        group="dev",
    ),
)
register(*SETTINGS)
REGISTRY = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class AlertSettings:
    """The worker's validated settings; no defaults here (``from_env({})`` gives the registry's)."""

    public_url: str
    disabled: frozenset[str]
    quiet: QuietHours | None
    batch_at: dt.time
    digest_at: dt.time
    rapor_at: dt.time
    rapor_groups: tuple[str, ...]
    escalate_advisers_days: int
    escalate_leaders_days: int
    items_per_notice: int
    catchup_limit: int
    poll_s: float
    retry_for_s: float
    retry_base_s: float
    retry_cap_s: float
    retry_cap_urgent_s: float
    max_skew_s: float
    lock_idle_s: int
    raised_scan_s: float
    send_timeout_s: float
    standby_poll_s: float
    lease_s: float
    recent_min: int
    demo: bool

    def enabled(self, rule: str) -> bool:
        return rule not in self.disabled

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> AlertSettings:
        """Read and validate (SettingError names the setting)."""

        def v(name):
            return REGISTRY[name].read(env)

        disabled = frozenset(r.strip() for r in v("NTBCARE_ALERTS_DISABLED").split(",") if r.strip())
        unknown = disabled - set(RULES)
        if unknown:
            raise SettingError(f"NTBCARE_ALERTS_DISABLED: aturan tidak dikenal {', '.join(sorted(unknown))}")
        url = v("NTBCARE_PUBLIC_URL").strip()
        return cls(
            public_url=url if url.endswith("/") else url + "/",
            disabled=disabled,
            quiet=parse(v("NTBCARE_ALERTS_QUIET_HOURS"), "NTBCARE_ALERTS_QUIET_HOURS"),
            batch_at=parse_hhmm(v("NTBCARE_ALERTS_BATCH_AT"), "NTBCARE_ALERTS_BATCH_AT"),
            digest_at=parse_hhmm(v("NTBCARE_ALERTS_DIGEST_AT"), "NTBCARE_ALERTS_DIGEST_AT"),
            rapor_at=parse_hhmm(v("NTBCARE_ALERTS_RAPOR_AT"), "NTBCARE_ALERTS_RAPOR_AT"),
            rapor_groups=tuple(g.strip() for g in v("NTBCARE_ALERTS_RAPOR_GROUPS").split(",") if g.strip()),
            escalate_advisers_days=v("NTBCARE_ALERTS_ESCALATE_ADVISERS_DAYS"),
            escalate_leaders_days=v("NTBCARE_ALERTS_ESCALATE_LEADERS_DAYS"),
            items_per_notice=v("NTBCARE_ALERTS_ITEMS_PER_NOTICE"),
            catchup_limit=v("NTBCARE_ALERTS_CATCHUP_LIMIT"),
            poll_s=float(v("NTBCARE_ALERTS_POLL_S")),
            retry_for_s=float(v("NTBCARE_ALERTS_RETRY_FOR_H")) * 3600,
            retry_base_s=float(v("NTBCARE_ALERTS_RETRY_BASE_S")),
            retry_cap_s=float(v("NTBCARE_ALERTS_RETRY_CAP_S")),
            retry_cap_urgent_s=float(v("NTBCARE_ALERTS_RETRY_CAP_URGENT_S")),
            max_skew_s=float(v("NTBCARE_ALERTS_MAX_SKEW_S")),
            lock_idle_s=v("NTBCARE_ALERTS_LOCK_IDLE_S"),
            raised_scan_s=float(v("NTBCARE_ALERTS_RAISED_SCAN_S")),
            send_timeout_s=float(v("NTBCARE_ALERTS_SEND_TIMEOUT_S")),
            standby_poll_s=float(v("NTBCARE_ALERTS_STANDBY_POLL_S")),
            lease_s=float(v("NTBCARE_ALERTS_LEASE_S")),
            recent_min=v("NTBCARE_ALERTS_RECENT_MIN"),
            demo=v("NTBCARE_ALERTS_DEMO") == "1",
        )

    @classmethod
    def defaults(cls) -> AlertSettings:
        """The registry's defaults, whatever the environment says (tests, the page when a value is bad)."""
        return cls.from_env({})
