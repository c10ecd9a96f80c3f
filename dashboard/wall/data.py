"""What the wall shows, fetched through the shared cache: one function per panel (no layout here).

Every function takes ``now`` (the one clock reading of the fragment run that calls it) and passes it on to
its query, so that a page run can be followed from the clock to the SQL. The live panel's figures and lists
come from one ``Snapshot``: one clock reading, one set of queries, so the cards never lag the feed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from core.timefmt import now_utc, to_wita, wita_date, wita_midnight
from dashboard.data import SETTINGS, Fetched, at_once, fetch, sla_rules
from dashboard.explorer.url import OPEN_ALIAS, code_or_none, explorer_link
from queries import breakdown, feed, headline, overdue, trend

SECTOR_PERIODS = {"today": 0, "7": 7, "30": 30}


def days_ago_midnight(now: dt.datetime, days_back: int) -> dt.datetime:
    """Midnight WITA ``days_back`` days before ``now``'s WITA date, in UTC (a cache key that changes once a day)."""
    return wita_midnight(wita_date(now) - dt.timedelta(days=days_back))


def change_token() -> Fetched:
    """(newest complaint id, newest event id): the shared change check, read at most twice per check interval
    for all walls together. The live panel builds a new snapshot only when it changes (or once per panel
    interval)."""
    return fetch(feed.latest_change, probe=True)


# --- The live panel's snapshot ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What the live panel shows. Read at the instant ``now``, at every change: the feed, the OPD activity, the
    urgent complaints and ``received`` (today's and the month's count). ``feed`` holds no complaint received
    after ``now``, so "Masuk hari ini" counts every complaint the feed shows. Read once per panel interval for
    every wall (the shared cache, refreshed in the background): ``late`` (the late-OPD table, whose sums are the
    open, breached and at-risk cards) and ``period`` (completions, on-time share, median response): a changed
    status is in them within one panel interval, and a new complaint does not wait for them."""

    now: dt.datetime
    version: object
    feed: Fetched
    activity: Fetched
    urgent: Fetched
    received: Fetched
    late: Fetched
    period: Fetched

    @property
    def results(self) -> list[Fetched]:
        return [self.feed, self.activity, self.urgent, self.received, self.late, self.period]


# One clock reading per (change token, period), shared by every wall: the first wall that sees a change reads
# the clock, the others reuse its reading, so that every wall asks the cache for the same queries (ten walls
# cost the database the same as one).
@st.cache_data(ttl=max(2.0, 2 * SETTINGS.panel_interval_s), max_entries=16, show_spinner=False)
def snapshot_clock(version, bucket: int) -> dt.datetime:
    return now_utc()


def snapshot_bucket(now: dt.datetime) -> int:
    """The panel interval ``now`` falls in: a new snapshot at least this often (ages, deadlines move on)."""
    return int(now.timestamp() // SETTINGS.panel_interval_s)


def take_snapshot(version, now: dt.datetime) -> Snapshot:
    """The live panel's queries at the instant ``now`` (from ``snapshot_clock``). ``version`` (the change token)
    joins the cache keys of what a new complaint or event changes at once, so a change is read at once; those
    queries take milliseconds at any size. The late OPDs and the period's completions (0.4 s and 0.2 s at ten
    million complaints) are the shared panel-interval cache's: while they sat on this path, with the others
    keyed by the change, a new complaint reached the glass after them (insert-to-glass p95 at 10M 1.14 s,
    against 0.61 s for the code before the snapshot, which refreshed them on the panel's own timer). All run at
    the same time, each on its own pooled connection."""
    rules = sla_rules()
    got = at_once(
        {
            "feed": lambda: fetch(feed.new_complaints, fast=True, version=version, limit=SETTINGS.feed_rows, now=now),
            "activity": lambda: fetch(feed.recent_events, fast=True, version=version, limit=8, now=now),
            "urgent": lambda: fetch(
                feed.recent_urgent, fast=True, version=version, since=urgent_since(now), limit=10, now=now
            ),
            "received": lambda: fetch(headline.received_counts, fast=True, version=version, now=now),
            "late": lambda: fetch(overdue.overdue_by_opd, now=now, rules=rules, rollup=True),  # kepatuhan shares it
            "period": lambda: fetch(headline.period_counts, now=now, rules=rules),
        }
    )
    shown = got["feed"]
    if shown.has_data:  # the feed tolerates clocks a little ahead; the snapshot stops at its own instant
        rows = shown.data
        rows = rows[pd.to_datetime(rows["received_at"], utc=True) <= pd.Timestamp(now)]
        shown = Fetched(rows, shown.fetched_at, shown.error, shown.config_error, shown.cause)
    return Snapshot(now=now, version=version, **{**got, "feed": shown})


def urgent_since(now: dt.datetime) -> dt.datetime:
    """The start of the urgent banner's window: about an hour before ``now``, in 10-minute steps."""
    start = now.replace(minute=now.minute - now.minute % 10, second=0, microsecond=0)
    return start - dt.timedelta(hours=1)


def headline_figures(late: Fetched, period: Fetched, received: Fetched | None = None) -> dict | None:
    """The KPI row: period figures, the received counts of the change's instant (``received``, newer than
    ``period``'s), and open/breached/at-risk summed from the per-OPD table (the late-OPD table's totals are the
    same sums)."""
    parts = [r for r in (period, received) if r is not None and r.has_data]
    if not parts and not late.has_data:
        return None
    out: dict = {}
    for part in parts:
        out.update(part.data)
    if late.has_data:
        df: pd.DataFrame = late.data
        out.update(open=int(df["open"].sum()), breached=int(df["breached"].sum()), at_risk=int(df["at_risk"].sum()))
    return out


# --- The charts -------------------------------------------------------------------------------------------


def first_day(now: dt.datetime, days_back: int) -> dt.date:
    """The WITA date ``days_back`` days before ``now`` (the first day the wall's period charts count)."""
    return wita_date(now) - dt.timedelta(days=days_back)


def sector_days_back(period: str) -> int:
    return max(SECTOR_PERIODS.get(period, 7) - 1, 0)


def sectors(period: str, now: dt.datetime) -> Fetched:
    return fetch(breakdown.count_by, dimension="sector", start=days_ago_midnight(now, sector_days_back(period)))


def sector_links(df: pd.DataFrame, period: str, now: dt.datetime) -> list[str]:
    """Drill-down links of the sector bars: that sector, received since the period's first day."""
    since = first_day(now, sector_days_back(period))
    return [explorer_link(dari=since, sektor=code_or_none(k)) for k in df["key"]]


def channel_links(df: pd.DataFrame, now: dt.datetime) -> list[str]:
    return [explorer_link(dari=first_day(now, 29), kanal=code_or_none(k)) for k in df["key"]]


def region_links(df: pd.DataFrame) -> list[str]:
    """Open complaints of each region (what the map's bubbles count)."""
    return [explorer_link(status=OPEN_ALIAS, wilayah=code_or_none(k)) for k in df["key"]]


def channels(now: dt.datetime) -> Fetched:
    return fetch(breakdown.count_by, dimension="channel", start=days_ago_midnight(now, 29))


def open_by_region() -> Fetched:
    return fetch(breakdown.count_by, dimension="region", only_open=True)


def trend_30d(now: dt.datetime) -> Fetched:
    return fetch(
        trend.received_vs_completed, start=days_ago_midnight(now, 29), end=days_ago_midnight(now, -1), grain="day"
    )


def trend_days(now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The first and last WITA day of the trend chart."""
    return first_day(now, 29), to_wita(now).date()
