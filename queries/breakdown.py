"""Counts of complaints by one dimension (sector, channel, region, classification, priority, status, OPD)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import FromClause, func, select

from queries._sql import opd_rollup, read_frame, utc
from queries.schema import channel, complaint, region, sector
from queries.sla_sql import OPEN_STATUSES

DIMENSIONS = ("sector", "channel", "region", "classification", "priority", "status", "opd")
_LOOKUPS = {
    "sector": (sector, complaint.c.sector_id),
    "channel": (channel, complaint.c.channel_id),
    "region": (region, complaint.c.region_id),
}


def count_by(
    conn,
    dimension: str,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    only_open: bool = False,
    rollup: bool = True,
) -> pd.DataFrame:
    """Complaints received in [start, end) (or open now) per value of ``dimension``.

    Columns: key (code, or NULL for complaints without one), label, count; regions add population.
    Sorted by count descending, then key.
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    conds = []
    if start is not None:
        conds.append(complaint.c.received_at >= utc(start))
    if end is not None:
        conds.append(complaint.c.received_at < utc(end))
    if only_open:
        conds.append(complaint.c.status.in_(OPEN_STATUSES))
    extra = []
    src: FromClause
    if dimension in _LOOKUPS:
        table, fk = _LOOKUPS[dimension]
        key, label = table.c.code, table.c.name
        src = complaint.outerjoin(table, table.c.id == fk)
        if dimension == "region":
            extra = [
                func.max(region.c.population).label("population"),
                func.max(region.c.lat).label("lat"),
                func.max(region.c.lon).label("lon"),
            ]
    elif dimension == "opd":
        eff = opd_rollup(rollup)
        key, label = eff.c.eff_code, eff.c.eff_short_name
        src = complaint.outerjoin(eff, eff.c.opd_id == complaint.c.opd_id)
    else:
        key = label = complaint.c[dimension]
        src = complaint
    stmt = (
        select(key.label("key"), label.label("label"), func.count().label("count"), *extra)
        .select_from(src)
        .where(*conds)
        .group_by(key, label)
    )
    df = read_frame(conn, stmt)
    df["count"] = df["count"].astype("int64")
    return df.sort_values(["count", "key"], ascending=[False, True], na_position="last", kind="stable").reset_index(
        drop=True
    )
