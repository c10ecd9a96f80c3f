"""The figures of the public page, computed through the advisers' own functions (so they ARE their figures).

``opd_table`` is ``core.rapor.with_grades(queries.scorecard.opd_scorecard(...))`` for the period, with every
current OPD listed (those without a complaint show 0) and the shares and grade of an OPD with fewer than the
minimum of decided stages left out (``assessed`` False): a public ranking must not crown an OPD that handled one
complaint.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from core.codes import WITA
from core.periods import Period, previous_month, resolve_period
from core.rapor import distinct_names, with_grades
from queries import breakdown, headline, lookup, overdue, scorecard, trend

TREND_MONTHS = 12
PUBLIC_COLUMNS = ["opd_code", "opd", "dispatched", "response_on_time_pct", "completion_on_time_pct",
                  "median_response_wd", "grade", "assessed"]  # fmt: skip


@dataclass(frozen=True)
class PublicFigures:
    """One snapshot of everything the page shows, computed once per interval for every visitor."""

    computed_at: dt.datetime
    month: Period
    year: Period
    month_table: pd.DataFrame
    year_table: pd.DataFrame
    trend: pd.DataFrame  # period 'YYYY-MM', received, completed, on_time_pct
    regions: pd.DataFrame  # key (BPS code), label, count, population, rate (per 100,000) for ``month``
    minimum: int


def periods(today: dt.date) -> tuple[Period, Period]:
    """The last complete month and the year so far: the advisers' "Bulan lalu" and "Tahun ini"."""
    return previous_month(today), resolve_period("tahun_ini", today)


def rapor(conn, period: Period, now: dt.datetime, rules) -> pd.DataFrame:
    """The advisers' rapor of ``period`` (reporting units after the 2026 reorganisation), with its grades."""
    start, end = period.bounds()
    return with_grades(scorecard.opd_scorecard(conn, start, end, now, rules, rollup=True))


def opd_table(rapor_df: pd.DataFrame, current: pd.DataFrame, minimum: int) -> pd.DataFrame:
    """Every current OPD (``current``: id, code, short_name) with its rapor figures, sorted by name;
    shares, median and grade blanked where fewer than ``minimum`` stages were decided."""
    rows = current.rename(columns={"id": "opd_id", "code": "opd_code", "short_name": "opd"})[
        ["opd_id", "opd_code", "opd"]
    ]
    figures = rapor_df[rapor_df["opd_id"].notna()].drop(columns=["opd_code", "opd"])
    figures = figures.astype({"opd_id": "int64"})
    df = rows.astype({"opd_id": "int64"}).merge(figures, on="opd_id", how="left")
    df["dispatched"] = df["dispatched"].fillna(0).astype("int64")
    # the rapor's own judgement (core.rapor.with_grades: enough decided stages), and the volume the page promises
    df["assessed"] = (df["dispatched"] >= int(minimum)) & df["graded"].fillna(False).astype(bool)
    for col in ("response_on_time_pct", "completion_on_time_pct"):
        df[col] = df[col].where(df["assessed"])
    df["grade"] = df["grade"].where(df["assessed"] & df["grade"].notna(), None)
    df = df.sort_values(["opd", "opd_code"], key=lambda s: s.str.lower(), kind="stable").reset_index(drop=True)
    df["opd"] = distinct_names(df["opd"], df["opd_code"])  # two offices named alike: a citizen tells them apart
    return df[PUBLIC_COLUMNS]


def monthly_trend(conn, today: dt.date, rules) -> pd.DataFrame:
    """The last ``TREND_MONTHS`` complete months: complaints received and completed, and the share completed on
    time (``ringkasan``'s figures: ``queries.trend`` and ``queries.headline``), months without data as 0."""
    last = previous_month(today)
    first = last.start
    for _ in range(TREND_MONTHS - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    start, end = Period(first, last.end).bounds()
    flow = trend.received_vs_completed(conn, start, end, grain="month")
    done = headline.on_time_by_period(conn, start, end, rules, grain="month")[["period", "on_time_pct"]]
    months = []
    day = first
    while day <= last.start:
        months.append(f"{day:%Y-%m}")
        day = (day + dt.timedelta(days=32)).replace(day=1)
    df = pd.DataFrame({"period": months}).merge(flow, on="period", how="left").merge(done, on="period", how="left")
    df[["received", "completed"]] = df[["received", "completed"]].fillna(0).astype("int64")
    return df


def region_counts(conn, period: Period) -> pd.DataFrame:
    """Complaints received in ``period`` per kabupaten/kota (``ringkasan``'s count, every one of the 10 listed:
    0 where none came), with the rate per 100,000 inhabitants."""
    start, end = period.bounds()
    counts = breakdown.count_by(conn, "region", start, end)
    names = lookup.reference_codes(conn)
    names = names[names["kind"] == "region"].rename(columns={"code": "key", "name": "label"})[["key", "label"]]
    df = names.merge(counts[counts["key"].notna()].drop(columns="label"), on="key", how="left")
    df["count"] = df["count"].fillna(0).astype("int64")
    pop = pd.to_numeric(df["population"], errors="coerce")
    df["rate"] = (100_000.0 * df["count"] / pop.where(pop > 0)).round(1).where(df["count"] > 0, 0.0)
    return df.sort_values("key").reset_index(drop=True)


def compute(conn, now: dt.datetime, rules, minimum: int) -> PublicFigures:
    """Everything the page shows, as of ``now``."""
    today = now.astimezone(WITA).date()
    month, year = periods(today)
    current = overdue.opd_names(conn, rollup=True)
    return PublicFigures(
        computed_at=now,
        month=month,
        year=year,
        month_table=opd_table(rapor(conn, month, now, rules), current, minimum),
        year_table=opd_table(rapor(conn, year, now, rules), current, minimum),
        trend=monthly_trend(conn, today, rules),
        regions=region_counts(conn, month),
        minimum=int(minimum),
    )
