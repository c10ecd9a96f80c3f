"""Trends: complaints received and completed per day, week (Monday) or month, in WITA."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select

from queries._sql import count_if, read_frame, utc, wita_period
from queries.schema import complaint


def received_vs_completed(conn, start: dt.datetime, end: dt.datetime, grain: str = "day") -> pd.DataFrame:
    """Per period in [start, end): received and completed counts (periods with neither are absent).

    ``period`` is 'YYYY-MM-DD' (the day, or the Monday of the week) or 'YYYY-MM' for months, in WITA.
    """
    start, end = utc(start), utc(end)
    rec_p = wita_period(complaint.c.received_at, grain)
    res_p = wita_period(complaint.c.resolved_at, grain)
    rec = read_frame(
        conn,
        select(rec_p.label("period"), func.count().label("received"))
        .where(complaint.c.received_at >= start, complaint.c.received_at < end)
        .group_by(rec_p),
    )
    res = read_frame(
        conn,
        select(res_p.label("period"), func.count().label("completed"))
        .where(complaint.c.resolved_at >= start, complaint.c.resolved_at < end, complaint.c.status == "selesai")
        .group_by(res_p),
    )
    df = rec.merge(res, on="period", how="outer").fillna(0)
    df[["received", "completed"]] = df[["received", "completed"]].astype("int64")
    df["period"] = df["period"].map(lambda d: str(d)[: 7 if grain == "month" else 10])
    return df.sort_values("period").reset_index(drop=True)


def received_and_done(conn, start: dt.datetime, end: dt.datetime, grain: str = "month") -> pd.DataFrame:
    """Per WITA period of receipt in [start, end): received, and how many of those are completed now."""
    p = wita_period(complaint.c.received_at, grain)
    df = read_frame(
        conn,
        select(
            p.label("period"), func.count().label("received"), count_if(complaint.c.status == "selesai").label("done")
        )
        .where(complaint.c.received_at >= utc(start), complaint.c.received_at < utc(end))
        .group_by(p),
    )
    df[["received", "done"]] = df[["received", "done"]].astype("int64")
    df["period"] = df["period"].map(lambda d: str(d)[: 7 if grain == "month" else 10])
    df["done_pct"] = (100.0 * df["done"] / df["received"].where(df["received"] > 0)).round(1)
    return df.sort_values("period").reset_index(drop=True)
