"""Headline figures for the wall and the summary page."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import and_, func, select

from queries._sql import count_if, day_start_utc, median_select, month_start_utc, read_frame, utc
from queries.schema import complaint
from queries.sla_sql import OPEN_STATUSES, complaint_sla


def headline_counts(conn, now: dt.datetime, rules, start: dt.datetime | None = None,
                    end: dt.datetime | None = None) -> pd.DataFrame:
    """One row: received today and in the period, open / breached / at risk now, completions in the period.

    The period defaults to the current WITA month up to ``now``.
    """
    now = utc(now)
    start = utc(start) if start else month_start_utc(now)
    end = utc(end) if end else now
    today = day_start_utc(now)
    rec = conn.execute(select(
        count_if(and_(complaint.c.received_at >= today, complaint.c.received_at <= now)).label("received_today"),
        count_if(and_(complaint.c.received_at >= start, complaint.c.received_at < end)).label("received_period"),
    ).where(complaint.c.received_at >= min(today, start))).one()

    sla = complaint_sla(rules, now, [complaint.c.status.in_(OPEN_STATUSES)]).subquery()
    live = conn.execute(select(
        func.count().label("open"),
        count_if(sla.c.sla_state == "breached").label("breached"),
        count_if(sla.c.sla_state == "at_risk").label("at_risk"),
    )).one()

    done = complaint_sla(rules, now, [complaint.c.resolved_at >= start,
                                      complaint.c.resolved_at < end]).subquery()
    comp = conn.execute(select(
        func.count().label("completed"),
        count_if(done.c.completion_state == "met").label("completed_on_time"),
    )).one()

    resp = complaint_sla(rules, now, [complaint.c.first_response_at >= start,
                                      complaint.c.first_response_at < end]).subquery()
    med = conn.execute(median_select(resp, "response_elapsed")).first()

    completed = int(comp.completed)
    return pd.DataFrame([{
        "received_today": int(rec.received_today), "received_period": int(rec.received_period),
        "open": int(live.open), "breached": int(live.breached), "at_risk": int(live.at_risk),
        "completed": completed, "completed_on_time": int(comp.completed_on_time),
        "on_time_share": (int(comp.completed_on_time) / completed) if completed else None,
        "median_response_wd": float(med.median) if med and med.median is not None else None,
    }])
