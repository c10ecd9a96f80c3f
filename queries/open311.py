"""What the public Open311 GeoReport v2 endpoint reads: the sectors (services) and complaints (service requests).

Never the reporter, never the body; the title only when asked (the caller reads NTBCARE_OPEN311_TITLES).
Each request carries the deadline of its open stage, from the same SLA clock as every other figure.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select

from core.codes import OPEN_STATUSES
from queries._sql import read_frame, utc
from queries.schema import complaint, region, sector
from queries.sla_sql import complaint_sla

RUNNING = ("breached", "at_risk", "on_track")
STAGES = ("dispatch", "response", "completion")


def services(conn) -> pd.DataFrame:
    """Every sector: code, name (sorted by code)."""
    return read_frame(conn, select(sector.c.code, sector.c.name).order_by(sector.c.code))


def service_requests(
    conn,
    now: dt.datetime,
    rules,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    status: tuple[str, ...] = (),
    service_codes: tuple[str, ...] = (),
    tickets: tuple[str, ...] = (),
    limit: int = 1000,
    with_title: bool = False,
) -> pd.DataFrame:
    """Complaints received in [start, end) (or with one of ``tickets``), newest first, at most ``limit``.

    ``status``: "open" (not yet closed: diterima, terdisposisi, diproses, ditunda) and/or "closed" (selesai,
    diarsipkan). Columns: ticket, status, open (bool), sector_code, sector, opd, region, received_at, updated_at,
    deadline (the earliest deadline of a stage still running, a WITA date; None when none runs) and, with
    ``with_title``, title.
    """
    conds: list = []
    if tickets:
        conds.append(complaint.c.ticket.in_(list(tickets)))
    if start is not None:
        conds.append(complaint.c.received_at >= utc(start))
    if end is not None:
        conds.append(complaint.c.received_at < utc(end))
    if set(status) == {"open"}:
        conds.append(complaint.c.status.in_(OPEN_STATUSES))
    elif set(status) == {"closed"}:
        conds.append(complaint.c.status.not_in(OPEN_STATUSES))
    if service_codes:
        conds.append(complaint.c.sector_id.in_(select(sector.c.id).where(sector.c.code.in_(list(service_codes)))))
    # the newest ``limit`` ids first (an index range), then the SLA clock for those rows only, given as values:
    # as a subquery the planner ran the clock's pause search over every event (12 s at a million complaints)
    newest = select(complaint.c.id).where(*conds).order_by(complaint.c.received_at.desc(), complaint.c.id.desc())
    ids = [i for (i,) in conn.execute(newest.limit(int(limit)))]
    sla = complaint_sla(rules, now, [complaint.c.id.in_(ids)], rollup=True, with_deadlines=True).subquery()
    cols = [
        sla.c.ticket,
        sla.c.status,
        sector.c.code.label("sector_code"),
        sector.c.name.label("sector"),
        sla.c.eff_short_name.label("opd"),
        region.c.name.label("region"),
        sla.c.received_at,
        complaint.c.updated_at,
        *(sla.c[f"{s}_state"] for s in STAGES),
        *(sla.c[f"{s}_deadline"] for s in STAGES),
    ]
    if with_title:
        cols.append(complaint.c.title)
    stmt = (
        select(*cols)
        .select_from(
            sla.join(complaint, complaint.c.id == sla.c.id)
            .outerjoin(sector, sector.c.id == complaint.c.sector_id)
            .outerjoin(region, region.c.id == complaint.c.region_id)
        )
        .order_by(sla.c.received_at.desc(), sla.c.ticket.desc())
    )
    df = read_frame(conn, stmt)
    df["open"] = df["status"].isin(OPEN_STATUSES)
    deadlines = pd.concat(
        [pd.to_datetime(df[f"{s}_deadline"]).where(df[f"{s}_state"].isin(RUNNING)) for s in STAGES], axis=1
    ).min(axis=1)
    df["deadline"] = [None if pd.isna(d) or not o else d.date() for d, o in zip(deadlines, df["open"], strict=True)]
    return df.drop(columns=[f"{s}_{part}" for s in STAGES for part in ("state", "deadline")])


def first_dispatch(conn) -> dt.date | None:
    """The WITA date of the first dispatch in the database (the first month the open data covers)."""
    df = read_frame(conn, select(func.min(complaint.c.dispatched_at).label("first_at")))
    first = df["first_at"].iloc[0] if len(df) else None
    return None if first is None or pd.isna(first) else pd.Timestamp(first).tz_convert("Asia/Makassar").date()
