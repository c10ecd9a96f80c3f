"""Times for people: always in WITA (Asia/Makassar). Words such as "3 mnt lalu" come from core.locale."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.codes import WITA

MISSING = "–"
"""The mark for a missing value, in every page, export and notice (the one definition)."""


def is_missing(value) -> bool:
    """Whether ``value`` is absent: None, NaN, NaT or pandas' NA."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other containers are values, not missing
        return False


def wita_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in WITA, as an aware UTC instant: the one place WITA day bounds are computed."""
    return dt.datetime.combine(day, dt.time(), WITA).astimezone(dt.UTC)


def wita_date(now: dt.datetime) -> dt.date:
    """The WITA calendar date of an aware instant (naive values are read as UTC)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now.astimezone(WITA).date()


def wita_day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` in UTC covering the WITA days ``first`` to ``last`` inclusive."""
    return wita_midnight(first), wita_midnight(last + dt.timedelta(days=1))


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
    return local.strftime(fmt) if local else MISSING
