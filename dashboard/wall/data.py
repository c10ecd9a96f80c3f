"""What the wall shows, fetched through the shared cache: one function per panel (no layout here)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from core.codes import WITA
from core.timefmt import now_utc
from dashboard.data import SETTINGS, Fetched, fetch, sla_rules
from dashboard.explorer.url import OPEN_ALIAS, code_or_none, explorer_link
from queries import breakdown, feed, headline, overdue, trend

SECTOR_PERIODS = {"today": 0, "7": 7, "30": 30}


def _wita_midnight(days_back: int) -> dt.datetime:
    """Midnight WITA ``days_back`` days ago, in UTC, truncated so the cache key changes once a day."""
    today = dt.datetime.now(WITA).replace(hour=0, minute=0, second=0, microsecond=0)
    return (today - dt.timedelta(days=days_back)).astimezone(dt.UTC)


def change_token() -> Fetched:
    """(newest complaint id, newest event id): the shared change check, read at most twice per check interval
    for all walls together. The live panel fetches and redraws only when it changes (or once per feed interval)."""
    return fetch(feed.latest_change, probe=True)


def new_complaints(version=None) -> Fetched:
    return fetch(feed.new_complaints, now=now_utc(), fast=True, version=version, limit=SETTINGS.feed_rows)


def opd_activity(version=None) -> Fetched:
    return fetch(feed.recent_events, now=now_utc(), fast=True, version=version, limit=8)


def recent_urgent(version=None) -> Fetched:
    """Mendesak complaints of the last hour or so (the urgent banner); the start moves in 10-minute steps so
    that every wall shares one cache entry."""
    now = dt.datetime.now(dt.UTC)
    since = now.replace(minute=now.minute - now.minute % 10, second=0, microsecond=0) - dt.timedelta(hours=1)
    return fetch(feed.recent_urgent, since, now=now, fast=True, version=version, limit=10)


def late_opds() -> Fetched:
    return fetch(overdue.overdue_by_opd, now=now_utc(), rules=sla_rules())


def period_figures() -> Fetched:
    return fetch(headline.period_counts, now=now_utc(), rules=sla_rules())


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
    return fetch(trend.received_vs_completed, start=_wita_midnight(29), end=_wita_midnight(-1), grain="day")
