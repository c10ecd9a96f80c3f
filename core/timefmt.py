"""Times for people: always in WITA (Asia/Makassar). Words such as "3 mnt lalu" come from core.locale."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.codes import WITA


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


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
