"""Overdue and at-risk complaints by OPD, with merged OPDs rolled up to their successor."""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import case, func, select

from queries._sql import count_if, read_frame
from queries.schema import complaint, opd
from queries.sla_sql import OPEN_STATUSES, complaint_sla


def overdue_by_opd(conn, now: dt.datetime, rules, rollup: bool = True, limit: int | None = None) -> pd.DataFrame:
    """Per reporting OPD: open, breached and at-risk counts and the age (working days) of the oldest breached.

    Complaints not yet dispatched have no OPD: they form one row with ``opd_id`` NULL.
    Sorted worst first (breached, then at risk).
    """
    sla = complaint_sla(rules, now, [complaint.c.status.in_(OPEN_STATUSES)], rollup=rollup).subquery()
    stmt = (
        select(
            sla.c.eff_id.label("opd_id"), sla.c.eff_code.label("opd_code"),
            sla.c.eff_short_name.label("opd"),
            func.count().label("open"),
            count_if(sla.c.sla_state == "breached").label("breached"),
            count_if(sla.c.sla_state == "at_risk").label("at_risk"),
            func.max(case((sla.c.sla_state == "breached", sla.c.age_wd), else_=None)).label("oldest_breached_wd"),
            func.max(sla.c.overdue_wd).label("max_overdue_wd"),
        )
        .group_by(sla.c.eff_id, sla.c.eff_code, sla.c.eff_short_name)
    )
    df = read_frame(conn, stmt)
    for col in ("open", "breached", "at_risk"):
        df[col] = df[col].astype("int64")
    df = df.sort_values(["breached", "at_risk", "opd_code"], ascending=[False, False, True],
                        na_position="last", kind="stable").reset_index(drop=True)
    return df.head(int(limit)) if limit else df


def opd_names(conn, rollup: bool = True) -> pd.DataFrame:
    """The OPD list for pickers: id, code, short name, name, and whether it is merged away."""
    stmt = select(opd.c.id, opd.c.code, opd.c.short_name, opd.c.name, opd.c.successor_id, opd.c.valid_to)
    if rollup:
        stmt = stmt.where(opd.c.successor_id.is_(None))
    return read_frame(conn, stmt.order_by(opd.c.short_name))
