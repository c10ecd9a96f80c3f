"""The worker's settings: one registry (name, default, meaning), read from the environment.

Shared by the worker (alerts/) and page `notifikasi`. The README lists every entry of ``REGISTRY``
(tests/test_alerts_page.py checks it).
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Mapping

RULES = ("mendesak_baru", "hampir_jatuh_tempo", "terlambat", "ringkasan_harian", "rapor_bulanan")

# (environment variable, default as text, meaning)
REGISTRY: tuple[tuple[str, str, str], ...] = (
    ("NTBCARE_PUBLIC_URL", "http://localhost:8501/", "public address of the dashboard, used in the notices' links"),
    ("NTBCARE_ALERTS_SECRETARIAT", "", "Apprise URLs (comma-separated) of the NTB Care secretariat"),
    ("NTBCARE_ALERTS_ADVISERS", "", "Apprise URLs of the Governor's staff advisers (digest, escalation, rapor)"),
    ("NTBCARE_ALERTS_LEADERS", "", "Apprise URLs of the leaders (escalation after M working days)"),
    ("NTBCARE_ALERTS_OPD_<CODE>", "", "Apprise URLs of one OPD by its code (merged OPDs use their successor's)"),
    ("NTBCARE_ALERTS_LANG_<GROUP>", "id", "language of a group's notices: `id` or `en` (ADVISERS, OPD_D03, ...)"),
    ("NTBCARE_ALERTS_DISABLED", "", "rules switched off, comma-separated (e.g. `ringkasan_harian,rapor_bulanan`)"),
    ("NTBCARE_ALERTS_QUIET_HOURS", "20:00-07:00", "WITA quiet hours: only mendesak_baru is sent; empty: none"),
    ("NTBCARE_ALERTS_BATCH_AT", "07:30", "WITA time of the working-day batch (hampir_jatuh_tempo, terlambat)"),
    ("NTBCARE_ALERTS_DIGEST_AT", "07:30", "WITA time of the advisers' daily digest (working days)"),
    ("NTBCARE_ALERTS_RAPOR_AT", "08:00", "WITA time of the monthly rapor (first working day of the month)"),
    ("NTBCARE_ALERTS_RAPOR_GROUPS", "advisers", "groups that get the whole rapor PDF (each OPD gets its own page)"),
    ("NTBCARE_ALERTS_ESCALATE_ADVISERS_DAYS", "3", "breached by at least N working days: also to the advisers"),
    ("NTBCARE_ALERTS_ESCALATE_LEADERS_DAYS", "10", "breached by at least M working days: also to the leaders"),
    ("NTBCARE_ALERTS_ITEMS_PER_NOTICE", "8", "complaints listed in one batch notice before \"... and N more\""),
    ("NTBCARE_ALERTS_CATCHUP_LIMIT", "5", "more new urgent complaints than this in one cycle (after an outage): one summary notice"),
    ("NTBCARE_ALERTS_POLL_S", "2", "seconds between two evaluation cycles"),
    ("NTBCARE_ALERTS_MAX_ATTEMPTS", "6", "delivery attempts before a notice is marked failed"),
    ("NTBCARE_ALERTS_RETRY_BASE_S", "30", "first retry delay in seconds; doubles per attempt, at most 1 hour"),
    ("NTBCARE_ALERTS_SEND_TIMEOUT_S", "10", "connect/read timeout of one delivery, seconds"),
    ("NTBCARE_ALERTS_STANDBY_POLL_S", "10", "how often a waiting second worker tries to take over, seconds"),
    ("NTBCARE_ALERTS_LEASE_S", "30", "SQLite only: the active worker's lease; a dead worker's lease expires after it"),
    ("NTBCARE_ALERTS_RECENT_MIN", "15", "minutes of complaints re-read each cycle (late-committed rows)"),
    ("NTBCARE_ALERTS_DEMO", "0", "1: notices are marked [DEMO] (set by `python3 dev.py app`)"),
)


def _hhmm(name: str, raw: str) -> dt.time:
    try:
        h, m = raw.strip().split(":")
        return dt.time(int(h), int(m))
    except ValueError:
        raise ValueError(f"{name} harus berbentuk HH:MM, bukan {raw!r}") from None


@dataclass(frozen=True)
class AlertSettings:
    public_url: str = "http://localhost:8501/"
    disabled: frozenset[str] = frozenset()
    quiet_start: dt.time | None = dt.time(20, 0)
    quiet_end: dt.time | None = dt.time(7, 0)
    batch_at: dt.time = dt.time(7, 30)
    digest_at: dt.time = dt.time(7, 30)
    rapor_at: dt.time = dt.time(8, 0)
    rapor_groups: tuple[str, ...] = ("advisers",)
    escalate_advisers_days: int = 3
    escalate_leaders_days: int = 10
    items_per_notice: int = 8
    catchup_limit: int = 5
    poll_s: float = 2.0
    max_attempts: int = 6
    retry_base_s: float = 30.0
    send_timeout_s: float = 10.0
    standby_poll_s: float = 10.0
    lease_s: float = 30.0
    recent_min: int = 15
    demo: bool = False

    def enabled(self, rule: str) -> bool:
        return rule not in self.disabled

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "AlertSettings":
        env = os.environ if env is None else env

        def raw(name: str) -> str:
            default = next(d for n, d, _ in REGISTRY if n == name)
            value = env.get(name)
            return default if value is None or value.strip() == "" and name != "NTBCARE_ALERTS_QUIET_HOURS" else value

        def num(name: str, kind=int, minimum=0):
            text = raw(name)
            try:
                value = kind(text)
            except ValueError:
                raise ValueError(f"{name} harus berupa angka, bukan {text!r}") from None
            if value < minimum:
                raise ValueError(f"{name} harus {minimum} atau lebih")
            return value

        disabled = frozenset(r.strip() for r in raw("NTBCARE_ALERTS_DISABLED").split(",") if r.strip())
        unknown = disabled - set(RULES)
        if unknown:
            raise ValueError(f"NTBCARE_ALERTS_DISABLED: aturan tidak dikenal {', '.join(sorted(unknown))}")
        quiet = raw("NTBCARE_ALERTS_QUIET_HOURS").strip()
        if quiet:
            a, sep, b = quiet.partition("-")
            if not sep:
                raise ValueError("NTBCARE_ALERTS_QUIET_HOURS harus berbentuk HH:MM-HH:MM")
            qs, qe = _hhmm("NTBCARE_ALERTS_QUIET_HOURS", a), _hhmm("NTBCARE_ALERTS_QUIET_HOURS", b)
        else:
            qs = qe = None
        url = raw("NTBCARE_PUBLIC_URL").strip()
        return cls(
            public_url=url if url.endswith("/") else url + "/",
            disabled=disabled, quiet_start=qs, quiet_end=qe,
            batch_at=_hhmm("NTBCARE_ALERTS_BATCH_AT", raw("NTBCARE_ALERTS_BATCH_AT")),
            digest_at=_hhmm("NTBCARE_ALERTS_DIGEST_AT", raw("NTBCARE_ALERTS_DIGEST_AT")),
            rapor_at=_hhmm("NTBCARE_ALERTS_RAPOR_AT", raw("NTBCARE_ALERTS_RAPOR_AT")),
            rapor_groups=tuple(g.strip() for g in raw("NTBCARE_ALERTS_RAPOR_GROUPS").split(",") if g.strip()),
            escalate_advisers_days=num("NTBCARE_ALERTS_ESCALATE_ADVISERS_DAYS", int, 1),
            escalate_leaders_days=num("NTBCARE_ALERTS_ESCALATE_LEADERS_DAYS", int, 1),
            items_per_notice=num("NTBCARE_ALERTS_ITEMS_PER_NOTICE", int, 1),
            catchup_limit=num("NTBCARE_ALERTS_CATCHUP_LIMIT", int, 1),
            poll_s=num("NTBCARE_ALERTS_POLL_S", float, 0.05),
            max_attempts=num("NTBCARE_ALERTS_MAX_ATTEMPTS", int, 1),
            retry_base_s=num("NTBCARE_ALERTS_RETRY_BASE_S", float, 0.01),
            send_timeout_s=num("NTBCARE_ALERTS_SEND_TIMEOUT_S", float, 0.1),
            standby_poll_s=num("NTBCARE_ALERTS_STANDBY_POLL_S", float, 0.05),
            lease_s=num("NTBCARE_ALERTS_LEASE_S", float, 0.5),
            recent_min=num("NTBCARE_ALERTS_RECENT_MIN", int, 0),
            demo=raw("NTBCARE_ALERTS_DEMO").strip() in ("1", "true", "ya"),
        )
