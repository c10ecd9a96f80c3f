"""Showing times to people: always in WITA (Asia/Makassar)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from core.codes import WITA
from core.i18n import t


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def to_wita(ts) -> dt.datetime | None:
    if ts is None or ts is pd.NaT or (isinstance(ts, float) and pd.isna(ts)):
        return None
    ts = pd.Timestamp(ts)
    if ts.tzinfo is None:
        ts = ts.tz_localize("UTC")
    return ts.tz_convert(WITA).to_pydatetime()


def fmt_wita(ts, fmt: str = "%d-%m-%Y %H:%M") -> str:
    local = to_wita(ts)
    return local.strftime(fmt) if local else "–"


def ago(ts, now: dt.datetime | None = None, lang: str = "id") -> str:
    """How long ago, short: '45 dtk', '12 mnt', '3 jam', '2 hari'."""
    local = to_wita(ts)
    if local is None:
        return "–"
    secs = max(0, int(((now or now_utc()) - local).total_seconds()))
    if secs < 60:
        return t("ago.seconds", lang, n=secs)
    if secs < 3600:
        return t("ago.minutes", lang, n=secs // 60)
    if secs < 86400:
        return t("ago.hours", lang, n=secs // 3600)
    return t("ago.days", lang, n=secs // 86400)
