"""The leaders' summary (page `ringkasan`): periods, the previous period, changes, rates and drill-down links.

No Streamlit here: plain functions over DataFrames, tested directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from core.locale import Locale
from core.periods import Period
from dashboard.explorer.url import code_or_none, explorer_link

PERIODS = ("bulan_ini", "tahun_ini", "12_bulan", "rentang")
DEFAULT_PERIOD = "bulan_ini"


def _shift_year(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _months_back(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def resolve(choice: str, today: dt.date, start: dt.date | None = None, end: dt.date | None = None) -> Period:
    """The period for a choice; a custom range is ordered and never ends after today."""
    if choice == "tahun_ini":
        return Period(today.replace(month=1, day=1), today)
    if choice == "12_bulan":
        return Period(_months_back(today, 11), today)
    if choice == "rentang" and start and end:
        a, b = sorted((start, end))
        return Period(min(a, today), min(b, today))
    return Period(today.replace(day=1), today)


def previous(choice: str, period: Period) -> Period:
    """The period to compare with: the same dates a month (this month) or a year (this year, 12 months)
    earlier, else the same number of days just before."""
    if choice == "bulan_ini":
        first = _months_back(period.start, 1)
        last_day = (period.start - dt.timedelta(days=1)).day
        return Period(first, first.replace(day=min(period.end.day, last_day)))
    if choice in ("tahun_ini", "12_bulan"):
        return Period(_shift_year(period.start, -1), _shift_year(period.end, -1))
    days = (period.end - period.start).days + 1
    return Period(period.start - dt.timedelta(days=days), period.start - dt.timedelta(days=1))


DAILY_BELOW_DAYS = 21
"""A period shorter than three weeks is drawn day by day (weeks would give one to three points)."""


def grain_for(period: Period) -> str:
    """Days for periods shorter than three weeks, weeks up to about three months, months beyond."""
    days = (period.end - period.start).days + 1
    if days < DAILY_BELOW_DAYS:
        return "day"
    return "week" if days <= 92 else "month"


def period_days(period_label: str, grain: str, within: Period) -> tuple[dt.date, dt.date]:
    """The first and last day of a trend bar ('YYYY-MM' or the Monday 'YYYY-MM-DD'), clipped to ``within``."""
    if grain == "month":
        first = dt.date.fromisoformat(period_label[:7] + "-01")
        last = _months_back(first, -1) - dt.timedelta(days=1)
    else:
        first = dt.date.fromisoformat(period_label[:10])
        last = first + dt.timedelta(days=6 if grain == "week" else 0)
    return max(first, within.start), min(last, within.end)


@dataclass(frozen=True)
class Change:
    """A figure, the same figure in the previous period, and how it changed (None when not comparable)."""

    value: float | None
    before: float | None

    @property
    def delta(self) -> float | None:
        if self.value is None or self.before is None:
            return None
        return self.value - self.before

    @property
    def pct(self) -> float | None:
        if self.delta is None or not self.before:
            return None
        return 100.0 * self.delta / self.before


def count_delta(change: Change, loc: Locale) -> str | None:
    """The change of a count against the previous period for a metric card: ``+66 (+9%)``; None without one."""
    if change.delta is None:
        return None
    pct = f" ({loc.signed(change.pct)}%)" if change.pct is not None else ""
    return loc.signed(change.delta) + pct


def points_delta(share: Change, loc: Locale) -> str | None:
    """The change of a share (0..1) in words a reader knows: ``-6,8 poin persen``; None without one."""
    if share.delta is None:
        return None
    return loc.t("sum.points", n=loc.signed(share.delta * 100, 1))


def changes(now: dict, before: dict) -> dict[str, Change]:
    keys = ("received_period", "completed", "completed_on_time", "on_time_share", "median_response_wd")
    return {k: Change(now.get(k), before.get(k)) for k in keys}


def per_100k(regions: pd.DataFrame) -> pd.DataFrame:
    """Region counts with ``rate`` = complaints per 100,000 inhabitants (NaN without population), sorted."""
    d = regions.copy()
    pop = pd.to_numeric(d["population"], errors="coerce")
    d["rate"] = (100_000.0 * d["count"] / pop.where(pop > 0)).round(1)
    return d.sort_values(["rate", "count"], ascending=False, na_position="last").reset_index(drop=True)


def drill_links(df: pd.DataFrame, param: str, period: Period) -> list[str]:
    """One explorer link per row of a ``count_by`` frame: that category, received in the period."""
    return [explorer_link(dari=period.start, sampai=period.end, **{param: code_or_none(k)}) for k in df["key"]]


def trend_links(df: pd.DataFrame, grain: str, period: Period) -> list[str]:
    """One explorer link per trend bar: complaints received in that week/month (within the period)."""
    out = []
    for label in df["period"]:
        first, last = period_days(str(label), grain, period)
        out.append(explorer_link(dari=first, sampai=last))
    return out


def trend_frame(flow: pd.DataFrame, done: pd.DataFrame) -> pd.DataFrame:
    """Received and completed per period (``received_vs_completed``) with the completion rate of the
    complaints received in it (``received_and_done``)."""
    d = flow.merge(done[["period", "done_pct"]], on="period", how="left") if len(flow) else flow.assign(done_pct=[])
    return d.sort_values("period").reset_index(drop=True)


def every_day(df: pd.DataFrame, period: Period) -> pd.DataFrame:
    """A daily trend with every day of the period, a day without complaints as zero (not a missing bar)."""
    days = [str(period.start + dt.timedelta(days=i)) for i in range((period.end - period.start).days + 1)]
    full = pd.DataFrame({"period": days}).merge(df, on="period", how="left")
    counts = [c for c in ("received", "completed", "done") if c in full.columns]
    full[counts] = full[counts].fillna(0).astype("int64")
    return full


def bar_labels(periods, grain: str, within: Period, loc: Locale) -> list[str]:
    """Readable x labels: the month by name ('Mar 2026'), else the day ('01-11': the first day of a week)."""
    out = []
    for p in periods:
        first, _ = period_days(str(p), grain, within)
        out.append(loc.month(first, "LLL yyyy") if grain == "month" else f"{first:%d-%m}")
    return out


def whole_labels(fig):
    """A summary chart whose labels stay whole on a phone: the x axis takes the room its (possibly turned)
    labels need, and the legend sits above the plot, where turned labels cannot run into it."""
    fig.update_xaxes(automargin=True)
    if fig.layout.showlegend:
        fig.update_layout(legend=dict(orientation="h", x=0, xanchor="left", y=1.02, yanchor="bottom"))
    return fig


def partial_month(today: dt.date, year: int) -> Period | None:
    """The days of the month in progress (1st to today) when ``year`` is this year, else None."""
    return Period(today.replace(day=1), today) if today.year == year else None


def same_days_a_year_before(part: Period) -> Period:
    """The same dates of the month in progress, a year earlier (28 Feb stands in for 29 Feb)."""
    return Period(_shift_year(part.start, -1), _shift_year(part.end, -1))


def year_over_year(
    monthly: pd.DataFrame, year: int, part: Period | None = None, prev_same_days: int | None = None
) -> pd.DataFrame:
    """Received per month number (1-12) for ``year`` and the year before: columns month, <year-1>, <year>,
    partial (True for the month in progress).

    The month in progress (``part``, see ``partial_month``) is compared on the same days: its value a year
    before is ``prev_same_days`` (complaints received on those dates), not the whole month.
    """
    d = monthly.assign(year=monthly["period"].str[:4].astype(int), month=monthly["period"].str[5:7].astype(int))
    d = d[d["year"].isin((year - 1, year))]
    wide = d.pivot_table(index="month", columns="year", values="received", aggfunc="sum")
    wide = wide.reindex(index=range(1, 13), columns=[year - 1, year]).reset_index()
    wide.columns.name = None
    wide["partial"] = False
    if part is not None and part.start.year == year:
        row = wide["month"] == part.start.month
        wide.loc[row, "partial"] = True
        if prev_same_days is not None:
            wide.loc[row, year - 1] = prev_same_days
    return wide
