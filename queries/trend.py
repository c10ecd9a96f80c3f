"""Trends: complaints received and completed per day, week (Monday) or month, in WITA."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func

from queries._sql import count_if, count_per_period
from queries.schema import complaint


def received_vs_completed(conn, start: dt.datetime, end: dt.datetime, grain: str = "day") -> pd.DataFrame:
    """Per period in [start, end): received and completed counts (periods with neither are absent).

    ``period`` is 'YYYY-MM-DD' (the day, or the Monday of the week) or 'YYYY-MM' for months, in WITA.
    """
    rec = count_per_period(conn, complaint.c.received_at, start, end, grain, {"received": func.count()})
    res = count_per_period(
        conn, complaint.c.resolved_at, start, end, grain, {"completed": func.count()}, [complaint.c.status == "selesai"]
    )
    df = rec.merge(res, on="period", how="outer").fillna(0)
    df[["received", "completed"]] = df[["received", "completed"]].astype("int64")
    return df.sort_values("period").reset_index(drop=True)


def received_and_done(conn, start: dt.datetime, end: dt.datetime, grain: str = "month") -> pd.DataFrame:
    """Per WITA period of receipt in [start, end): received, and how many of those are completed now."""
    counts = {"received": func.count(), "done": count_if(complaint.c.status == "selesai")}
    df = count_per_period(conn, complaint.c.received_at, start, end, grain, counts)
    df[["received", "done"]] = df[["received", "done"]].astype("int64")
    df["done_pct"] = (100.0 * df["done"] / df["received"].where(df["received"] > 0)).round(1)
    return df.sort_values("period").reset_index(drop=True)
