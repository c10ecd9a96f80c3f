"""Settings, read once from the environment with sensible defaults.

Every setting has an environment variable so that operators configure the app without editing code.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = ROOT / "data" / "ntbcare_demo.sqlite"
def database_url() -> str:
    """The SQLAlchemy URL of the complaint database: ``DATABASE_URL`` or the embedded SQLite demo file."""
    url = os.environ.get("DATABASE_URL", "").strip()
    return url or f"sqlite:///{DEFAULT_SQLITE_PATH}"


def int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} harus berupa bilangan bulat, bukan {raw!r}") from exc


@dataclass(frozen=True)
class SlaRules:
    """Deadlines in working days (hari kerja). Defaults follow SP4N-LAPOR! SOP and PermenPAN-RB 62/2018."""

    dispatch_days: int = 3  # verification and dispatch, counted from receipt
    response_days: int = 5  # first OPD follow-up, counted from dispatch
    completion_days: dict[str, int] = field(default_factory=lambda: {
        "aspirasi": 5, "informasi": 5, "pengaduan": 14, "pengaduan_pengawasan": 60,
    })
    completion_anchor: str = "dispatched"  # "dispatched" or "received"
    at_risk_days: int = 1  # an open stage is at risk when this many working days or fewer remain

    @classmethod
    def from_env(cls) -> "SlaRules":
        base = cls()
        completion = {
            k: int_env(f"NTBCARE_SLA_COMPLETION_{k.upper()}", v) for k, v in base.completion_days.items()
        }
        anchor = os.environ.get("NTBCARE_SLA_COMPLETION_ANCHOR", base.completion_anchor).strip().lower()
        if anchor not in ("dispatched", "received"):
            raise ValueError("NTBCARE_SLA_COMPLETION_ANCHOR harus 'dispatched' atau 'received'")
        return cls(
            dispatch_days=int_env("NTBCARE_SLA_DISPATCH_DAYS", base.dispatch_days),
            response_days=int_env("NTBCARE_SLA_RESPONSE_DAYS", base.response_days),
            completion_days=completion,
            completion_anchor=anchor,
            at_risk_days=int_env("NTBCARE_SLA_AT_RISK_DAYS", base.at_risk_days),
        )


@dataclass(frozen=True)
class Settings:
    """Runtime settings of the app."""

    feed_interval_s: int = 2
    panel_interval_s: int = 15
    feed_rows: int = 8
    holiday_overrides: str = ""
    on_time_target_pct: float = 80.0  # the leaders' target for completions on time (ringkasan)
    retry_interval_s: int = 5  # while data is stale or missing, pages rerun themselves this often
    chart_interval_s: int = 60  # the wall's charts (each redraw rebuilds the chart in the browser)
    change_check_s: float = 0.5  # the wall asks the database "anything new?" this often (one tiny shared query)
    urgent_banner_s: int = 30  # how long the wall announces each new mendesak complaint
    quiet_hours: str = "20:00-07:00"  # WITA hours when the wall's chime (?suara=1) stays silent; empty: never

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            feed_interval_s=max(1, int_env("NTBCARE_FEED_INTERVAL", 2)),
            panel_interval_s=max(2, int_env("NTBCARE_PANEL_INTERVAL", 15)),
            feed_rows=max(3, int_env("NTBCARE_FEED_ROWS", 8)),
            holiday_overrides=os.environ.get("NTBCARE_HOLIDAY_OVERRIDES", ""),
            on_time_target_pct=min(100.0, max(0.0, float(int_env("NTBCARE_ON_TIME_TARGET", 80)))),
            retry_interval_s=max(1, int_env("NTBCARE_RETRY_INTERVAL", 5)),
            chart_interval_s=max(5, int_env("NTBCARE_CHART_INTERVAL", 60)),
            change_check_s=min(10.0, max(0.2, int_env("NTBCARE_CHANGE_CHECK_MS", 500) / 1000)),
            urgent_banner_s=max(3, int_env("NTBCARE_URGENT_BANNER_SECONDS", 30)),
            quiet_hours=os.environ.get("NTBCARE_QUIET_HOURS", "20:00-07:00").strip(),
        )
