"""What page `notifikasi` and the wall read about the alert worker (through queries/alerts.py), and its
configuration (core/alert_settings.py, core/notify.py). The dashboard never writes the worker's tables."""

from __future__ import annotations

import datetime as dt

from core.alert_settings import AlertSettings
from core.notify import SECTION, AlertsConfigError, Recipients, load_recipients
from core.timefmt import now_utc
from dashboard import access
from dashboard.data import Fetched, fetch
from queries import alerts as q

STALE_AFTER_S = 120  # the wall marks a worker silent for longer than this


def heartbeat() -> Fetched:
    return fetch(q.worker_heartbeat, fast=True)


def outbox_counts() -> Fetched:
    return fetch(q.outbox_counts, fast=True)


def outbox_rows() -> Fetched:
    return fetch(q.outbox_rows, fast=True, limit=200)


def recipients() -> tuple[Recipients, str | None]:
    """The configured targets (``[ntbcare_alerts]`` in secrets.toml, else NTBCARE_ALERTS_*), or an error."""
    try:
        return load_recipients(secrets=access._secrets_section(SECTION), read_files=False), None
    except AlertsConfigError as exc:
        return Recipients(), str(exc)


def settings() -> tuple[AlertSettings, str | None]:
    try:
        return AlertSettings.from_env(), None
    except ValueError as exc:
        return AlertSettings(), str(exc)


def stale_age(hb: Fetched, now: dt.datetime | None = None) -> dt.timedelta | None:
    """How long the newest heartbeat is older than STALE_AFTER_S; None when fresh or no worker ever reported
    (a dashboard without a worker shows no mark)."""
    if not hb.has_data or hb.data.empty:
        return None
    age = (now or now_utc()) - hb.data["beat_at"].max().to_pydatetime()
    return age if age.total_seconds() > STALE_AFTER_S else None


def worker_mark_html(hb: Fetched, loc, now: dt.datetime | None = None) -> str:
    """The wall header's small mark (``loc``: the viewer's core.locale.Locale): shown only when a worker has
    reported before and its newest heartbeat is older than two minutes; empty otherwise."""
    import html

    now = now or now_utc()
    age = stale_age(hb, now)
    if age is None:
        return ""
    text = html.escape(loc.t("wall.worker_stale", ago=loc.ago(now - age, now)))
    return (
        f'<div class="w-worker-stale" title="{text}" style="display:inline-block;margin-top:2px;padding:1px 8px;'
        f'border-radius:9px;background:#8a5a00;color:#fff3d6;font-size:0.8rem">&#9888; {text}</div>'
    )
