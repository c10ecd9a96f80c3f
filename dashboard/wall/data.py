"""What the wall shows, fetched through the shared cache: one function per panel (no layout here)."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.data import SETTINGS, Fetched, fetch
from dashboard.explorer.url import OPEN_ALIAS, code_or_none, explorer_link
from core.codes import WITA
from queries import breakdown, feed, headline, overdue, trend

SECTOR_PERIODS = {"today": 0, "7": 7, "30": 30}


def _wita_midnight(days_back: int) -> dt.datetime:
    """Midnight WITA ``days_back`` days ago, in UTC, truncated so the cache key changes once a day."""
    today = dt.datetime.now(WITA).replace(hour=0, minute=0, second=0, microsecond=0)
    return (today - dt.timedelta(days=days_back)).astimezone(dt.timezone.utc)


def new_complaints() -> Fetched:
    return fetch(feed.new_complaints, fast=True, limit=SETTINGS.feed_rows)


def opd_activity() -> Fetched:
    return fetch(feed.recent_events, fast=True, limit=8)


def late_opds() -> Fetched:
    return fetch(overdue.overdue_by_opd)


def period_figures() -> Fetched:
    return fetch(headline.period_counts)


def headline_figures(late: Fetched, period: Fetched) -> dict | None:
    """The KPI row: period figures plus open/breached/at-risk summed from the per-OPD table."""
    if not period.has_data and not late.has_data:
        return None
    out = dict(period.data) if period.has_data else {}
    if late.has_data:
        df: pd.DataFrame = late.data
        out.update(open=int(df["open"].sum()), breached=int(df["breached"].sum()), at_risk=int(df["at_risk"].sum()))
    return out


def first_day(days_back: int) -> dt.date:
    """The WITA date ``days_back`` days ago (the first day the wall's period charts count)."""
    return _wita_midnight(days_back).astimezone(WITA).date()


def sector_days_back(period: str) -> int:
    return max(SECTOR_PERIODS.get(period, 7) - 1, 0)


def sectors(period: str) -> Fetched:
    return fetch(breakdown.count_by, dimension="sector", start=_wita_midnight(sector_days_back(period)))


def sector_links(df: pd.DataFrame, period: str) -> list[str]:
    """Drill-down links of the sector bars: that sector, received since the period's first day."""
    since = first_day(sector_days_back(period))
    return [explorer_link(dari=since, sektor=code_or_none(k)) for k in df["key"]]


def channel_links(df: pd.DataFrame) -> list[str]:
    return [explorer_link(dari=first_day(29), kanal=code_or_none(k)) for k in df["key"]]


def region_links(df: pd.DataFrame) -> list[str]:
    """Open complaints of each region (what the map's bubbles count)."""
    return [explorer_link(status=OPEN_ALIAS, wilayah=code_or_none(k)) for k in df["key"]]


def channels() -> Fetched:
    return fetch(breakdown.count_by, dimension="channel", start=_wita_midnight(29))


def open_by_region() -> Fetched:
    return fetch(breakdown.count_by, dimension="region", only_open=True)


def trend_30d() -> Fetched:
    return fetch(trend.received_vs_completed, start=_wita_midnight(29),
                 end=_wita_midnight(-1), grain="day")

