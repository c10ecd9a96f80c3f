"""What page `notifikasi` and the wall read about the alert worker, through the alerts package's public API
(``alerts.outbox``, ``alerts.settings``, ``alerts.recipients``), and the page's one write: "Kirim ulang" of a
failed notice (``alerts.outbox.resend``: back to pending, the worker sends it)."""

from __future__ import annotations

import datetime as dt
import html

import streamlit as st

from alerts import outbox
from alerts.recipients import SECTION, AlertsConfigError, Recipients, load_recipients
from alerts.settings import AlertSettings
from core.engine import make_engine
from core.settings import database_url
from core.timefmt import is_missing, now_utc
from dashboard import access
from dashboard.data import Fetched, fetch

STALE_AFTER_S = outbox.STALE_AFTER_S


def heartbeat() -> Fetched:
    return fetch(outbox.worker_heartbeat, fast=True)


def outbox_counts() -> Fetched:
    return fetch(outbox.outbox_counts, fast=True)


def outbox_rows() -> Fetched:
    return fetch(outbox.outbox_rows, fast=True, limit=200)


def failed_count() -> Fetched:
    return fetch(outbox.failed_count, fast=True)


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
        return AlertSettings.defaults(), str(exc)


@st.cache_resource(show_spinner=False)
def _resend_engine():
    """The one engine of the dashboard that may write: only ``alerts.outbox.resend`` uses it (on PostgreSQL
    the dashboard's role may update the outbox's status columns only, deploy/alerts_role.sql)."""
    return make_engine(database_url())


def resend(outbox_id: int) -> bool:
    """An admin's "Kirim ulang" of a failed notice; False when it was no longer failed."""
    with _resend_engine().begin() as conn:
        if conn.dialect.name == "postgresql":  # the dashboard's role reads only by default
            conn.exec_driver_sql("SET TRANSACTION READ WRITE")
        return outbox.resend(conn, outbox_id, now_utc())


def stale_age(hb: Fetched, now: dt.datetime | None = None) -> dt.timedelta | None:
    """How long the newest heartbeat is older than STALE_AFTER_S; None when fresh or no worker ever reported
    (a dashboard without a worker shows no mark)."""
    if not hb.has_data or hb.data.empty:
        return None
    age = (now or now_utc()) - hb.data["beat_at"].max().to_pydatetime()
    return age if age.total_seconds() > STALE_AFTER_S else None


def held_for_skew(hb: Fetched) -> float | None:
    """The active worker's clock skew in seconds when it holds every batch for it (role ``skew``), else None."""
    if not hb.has_data or hb.data.empty or "skew_s" not in hb.data:
        return None
    newest = hb.data.sort_values("beat_at").iloc[-1]
    return float(newest["skew_s"]) if newest["role"] == "skew" and not is_missing(newest["skew_s"]) else None


def worker_mark_html(hb: Fetched, failed: Fetched, loc, now: dt.datetime) -> str:
    """The wall header's small mark (``loc``: the viewer's core.locale.Locale), empty when all is well: a
    worker that reported before and is silent for over two minutes, a worker holding its batches because
    its clock disagrees with the database's, notices that failed for good (``failed``: ``failed_count()``).
    Pure: the caller reads the heartbeat, the failed count and the clock."""
    parts = []
    age = stale_age(hb, now)
    if age is not None:
        parts.append(loc.t("wall.worker_stale", ago=loc.ago(now - age, now)))
    if held_for_skew(hb) is not None:
        parts.append(loc.t("wall.worker_skew"))
    n_failed = int(failed.data) if failed.has_data and failed.data else 0
    if n_failed:
        parts.append(loc.t("wall.worker_failed", n=loc.num(n_failed)))
    if not parts:
        return ""
    text = html.escape(" · ".join(parts))
    return (
        f'<div class="w-worker-stale" title="{text}" style="display:inline-block;margin-top:2px;padding:1px 8px;'
        f'border-radius:9px;background:#8a5a00;color:#fff3d6;font-size:0.8rem">&#9888; {text}</div>'
    )
