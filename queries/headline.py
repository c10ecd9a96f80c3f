"""Headline figures for the wall and the summary page."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import and_, func, select

from queries._sql import (
    count_if,
    day_start_utc,
    median_select,
    month_start_utc,
    nonneg,
    period_label,
    read_frame,
    utc,
    wita_date,
    wita_period,
)
from queries.overdue import open_totals, overdue_by_opd
from queries.schema import complaint, work_calendar
from queries.sla_sql import completion_days_expr, stage_pauses


def received_counts(conn, now: dt.datetime, start: dt.datetime | None = None, end: dt.datetime | None = None) -> dict:
    """Received today (up to ``now``) and in the period (default: the current WITA month up to ``now``).

    One range count on ``received_at``: milliseconds at ten million complaints, so the wall reads it at every
    change, and its card "Masuk hari ini" counts each complaint its feed shows (``period_counts`` holds it too).
    """
    now = utc(now)
    start = utc(start) if start else month_start_utc(now)
    end = utc(end) if end else now
    today = day_start_utc(now)
    rec = conn.execute(
        select(
            count_if(and_(complaint.c.received_at >= today, complaint.c.received_at <= now)).label("received_today"),
            count_if(and_(complaint.c.received_at >= start, complaint.c.received_at < end)).label("received_period"),
        ).where(complaint.c.received_at >= min(today, start))
    ).one()
    return {"received_today": int(rec.received_today), "received_period": int(rec.received_period)}


def period_counts(
    conn, now: dt.datetime, rules, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> dict:
    """Received today and in the period; completed (and on time) in the period; median first response.

    The period defaults to the current WITA month up to ``now``. Completion and response use the same
    working-day arithmetic as ``complaint_sla`` (met when the elapsed working days are within the limit).
    """
    now = utc(now)
    start = utc(start) if start else month_start_utc(now)
    end = utc(end) if end else now
    received = received_counts(conn, now, start, end)
    comp = conn.execute(completion_select(rules, start, end, now=now)).one()

    cal_d, cal_f = work_calendar.alias("cal_d"), work_calendar.alias("cal_f")
    in_period = (complaint.c.first_response_at >= start, complaint.c.first_response_at < end)
    pz = stage_pauses(rules, now, in_period)
    resp = (
        select(nonneg(cal_f.c.wd_cum - cal_d.c.wd_cum - func.coalesce(pz.c.response_paused, 0)).label("elapsed"))
        .select_from(
            complaint.join(cal_d, cal_d.c.day == wita_date(complaint.c.dispatched_at))
            .join(cal_f, cal_f.c.day == wita_date(complaint.c.first_response_at))
            .outerjoin(pz, pz.c.complaint_id == complaint.c.id)
        )
        .where(*in_period)
        .subquery()
    )
    med = conn.execute(median_select(resp, "elapsed")).first()
    completed = int(comp.completed)
    return {
        **received,
        "completed": completed,
        "completed_on_time": int(comp.on_time),
        "on_time_share": (int(comp.on_time) / completed) if completed else None,
        "median_response_wd": float(med.median) if med and med.median is not None else None,
    }


def completion_select(
    rules, start: dt.datetime, end: dt.datetime, grain: str | None = None, now: dt.datetime | None = None
):
    """SELECT completed and on-time counts of complaints resolved in [start, end), per WITA ``grain`` if given.

    On time: the working days from the completion anchor to resolution, less the days paused, are within the
    classification's limit (the same arithmetic as ``complaint_sla``). Columns: [period,] completed, on_time.
    ``now`` (default: ``end``) is the day an unresumed pause of a postponed complaint runs to.
    """
    cal_start, cal_s = work_calendar.alias("cal_start"), work_calendar.alias("cal_s")
    start_col = complaint.c.received_at if rules.completion_anchor == "received" else complaint.c.dispatched_at
    started = and_(start_col.is_not(None), cal_start.c.wd_cum.is_not(None))
    in_period = (complaint.c.resolved_at >= utc(start), complaint.c.resolved_at < utc(end))
    pz = stage_pauses(rules, now or end, in_period)
    met = cal_s.c.wd_cum - cal_start.c.wd_cum - func.coalesce(pz.c.completion_paused, 0) <= completion_days_expr(rules)
    period = [wita_period(complaint.c.resolved_at, grain).label("period")] if grain else []
    stmt = (
        select(*period, count_if(started).label("completed"), count_if(and_(started, met)).label("on_time"))
        .select_from(
            complaint.outerjoin(cal_start, cal_start.c.day == wita_date(start_col))
            .outerjoin(cal_s, cal_s.c.day == wita_date(complaint.c.resolved_at))
            .outerjoin(pz, pz.c.complaint_id == complaint.c.id)
        )
        .where(*in_period)
    )
    return stmt.group_by(period[0]) if grain else stmt


def on_time_by_period(conn, start: dt.datetime, end: dt.datetime, rules, grain: str = "month") -> pd.DataFrame:
    """Per WITA period of resolution in [start, end): completed, on_time, on_time_pct (periods with none absent)."""
    df = read_frame(conn, completion_select(rules, start, end, grain))
    df["period"] = df["period"].map(lambda d: period_label(d, grain))
    df[["completed", "on_time"]] = df[["completed", "on_time"]].astype("int64")
    df["on_time_pct"] = (100.0 * df["on_time"] / df["completed"].where(df["completed"] > 0)).round(1)
    return df.sort_values("period").reset_index(drop=True)


def open_counts(conn, now: dt.datetime, rules) -> dict:
    """Open complaints now, and how many of them are breached or at risk (``overdue.open_totals``)."""
    return open_totals(overdue_by_opd(conn, now, rules))


def headline_counts(
    conn, now: dt.datetime, rules, start: dt.datetime | None = None, end: dt.datetime | None = None
) -> pd.DataFrame:
    """One row: ``period_counts`` plus ``open_counts``."""
    period = period_counts(conn, now, rules, start, end)
    live = open_counts(conn, now, rules)
    order = [
        "received_today",
        "received_period",
        "open",
        "breached",
        "at_risk",
        "completed",
        "completed_on_time",
        "on_time_share",
        "median_response_wd",
    ]
    merged = {**period, **live}
    return pd.DataFrame([{k: merged[k] for k in order}])
