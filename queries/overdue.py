"""Overdue and at-risk complaints by OPD, with merged OPDs rolled up to their successor."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import and_, case, func, select

from queries._sql import opd_rollup, read_frame, reported_as
from queries.schema import complaint, opd
from queries.sla_sql import OPEN_STATUSES, complaint_sla, open_sla


def open_state_counts(o, rules):
    """Aggregates over a grouped ``open_sla`` subquery: open, breached, at-risk counts, breached extremes."""
    breached = o.c.remaining_wd < 0
    at_risk = and_(o.c.remaining_wd >= 0, o.c.remaining_wd <= int(rules.at_risk_days))
    return [
        func.coalesce(func.sum(o.c.n), 0).label("open"),
        func.coalesce(func.sum(case((breached, o.c.n), else_=0)), 0).label("breached"),
        func.coalesce(func.sum(case((at_risk, o.c.n), else_=0)), 0).label("at_risk"),
        func.max(case((breached, o.c.age_wd), else_=None)).label("oldest_breached_wd"),
        func.max(case((breached, -o.c.remaining_wd), else_=None)).label("max_overdue_wd"),
    ]


def overdue_by_opd(conn, now: dt.datetime, rules, rollup: bool = True, limit: int | None = None) -> pd.DataFrame:
    """Per reporting OPD: open, breached and at-risk counts and the age (working days) of the oldest breached.

    Complaints not yet dispatched have no OPD: they form one row with ``opd_id`` NULL.
    Sorted worst first (breached, then at risk).
    """
    o = open_sla(rules, now, grouped=True).subquery()
    eff = opd_rollup(rollup)
    stmt = (
        select(
            eff.c.eff_id.label("opd_id"),
            eff.c.eff_code.label("opd_code"),
            eff.c.eff_short_name.label("opd"),
            *open_state_counts(o, rules),
        )
        .select_from(o.outerjoin(eff, eff.c.opd_id == o.c.opd_id))
        .group_by(eff.c.eff_id, eff.c.eff_code, eff.c.eff_short_name)
    )
    df = read_frame(conn, stmt)
    for col in ("open", "breached", "at_risk"):
        df[col] = df[col].astype("int64")
    df = df.sort_values(
        ["breached", "at_risk", "opd_code"], ascending=[False, False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)
    return df.head(int(limit)) if limit else df


def open_totals(by_opd: pd.DataFrame) -> dict:
    """Open complaints now, and how many of them are breached or at risk: the sums of ``overdue_by_opd``'s rows
    (the unassigned row included), so a page that has the late-OPD table (the wall's shared cache entry)
    needs no second pass over the open complaints."""
    return {col: int(by_opd[col].sum()) for col in ("open", "breached", "at_risk")}


def opd_names(conn, rollup: bool = True) -> pd.DataFrame:
    """The OPD list for pickers: id, code, short name, name, and whether it is merged away."""
    stmt = select(opd.c.id, opd.c.code, opd.c.short_name, opd.c.name, opd.c.successor_id, opd.c.valid_to)
    if rollup:
        stmt = stmt.where(opd.c.successor_id.is_(None))
    return read_frame(conn, stmt.order_by(opd.c.short_name))


def open_complaints(
    conn,
    now: dt.datetime,
    rules,
    opd_id: int | None = None,
    rollup: bool = True,
    only_late: bool = False,
    unassigned: bool = False,
    limit: int = 5000,
) -> pd.DataFrame:
    """Open complaints with their deadlines: of one reporting OPD, of none yet (``unassigned``), or of all.

    Columns: ticket, title, opd, received_at, dispatched_at, status, sla_state, deadline (of the tightest
    open stage), overdue_wd (working days late), age_wd. Worst first. No reporter data.
    """
    inner = [complaint.c.status.in_(OPEN_STATUSES)]
    if unassigned or opd_id is not None:
        inner.append(reported_as(conn, None if unassigned else opd_id, rollup))
    sla = complaint_sla(rules, now, inner, rollup=rollup, with_deadlines=True).subquery()
    conds = []
    if only_late:
        conds.append(sla.c.sla_state.in_(("breached", "at_risk")))
    stmt = (
        select(
            sla.c.id,
            sla.c.ticket,
            complaint.c.title,
            sla.c.eff_id.label("opd_id"),
            sla.c.eff_short_name.label("opd"),
            sla.c.classification,
            sla.c.priority,
            sla.c.received_at,
            sla.c.dispatched_at,
            sla.c.status,
            sla.c.sla_state,
            sla.c.dispatch_state,
            sla.c.response_state,
            sla.c.completion_state,
            sla.c.dispatch_deadline,
            sla.c.response_deadline,
            sla.c.completion_deadline,
            sla.c.overdue_wd,
            sla.c.age_wd,
        )
        .select_from(sla.join(complaint, complaint.c.id == sla.c.id))
        .where(*conds)
        .limit(int(limit))
    )
    df = read_frame(conn, stmt)
    # the deadline that matters now: the earliest deadline of a stage that is still open
    running = ("breached", "at_risk", "on_track")
    stage_deadlines = pd.concat(
        [
            pd.to_datetime(df[f"{s}_deadline"]).where(df[f"{s}_state"].isin(running))
            for s in ("dispatch", "response", "completion")
        ],
        axis=1,
    )
    earliest = stage_deadlines.min(axis=1)
    df["deadline"] = [d.date() if not pd.isna(d) else None for d in earliest]
    order = {"breached": 0, "at_risk": 1, "on_track": 2, "ditunda": 3}
    df["_rank"] = df["sla_state"].map(order).fillna(4)
    df = (
        df.sort_values(["_rank", "overdue_wd", "age_wd", "ticket"], ascending=[True, False, False, True], kind="stable")
        .drop(columns="_rank")
        .reset_index(drop=True)
    )
    return df
