"""What the alert worker watches in the contract's tables (read-only SQL, like every query): the newest
complaint id, urgent complaints (new, late-committed or raised to mendesak later) and the late stages. The
worker's own tables are in alerts/tables.py."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select

from queries._sql import read_frame


def max_complaint_id(conn) -> int:
    from queries.schema import complaint

    return int(conn.execute(select(func.coalesce(func.max(complaint.c.id), 0))).scalar_one())


def open_urgent_ids(conn, floor_id: int) -> list[int]:
    """Ids of the open complaints with priority mendesak newer than ``floor_id`` (the worker's first start):
    the worker compares them with what it announced, so a complaint raised to mendesak at any time after its
    receipt is found (through the partial index of open complaints)."""
    from queries.schema import complaint
    from queries.sla_sql import OPEN_STATUSES

    stmt = select(complaint.c.id).where(
        complaint.c.status.in_(OPEN_STATUSES), complaint.c.priority == "mendesak", complaint.c.id > int(floor_id)
    )
    return [int(i) for (i,) in conn.execute(stmt)]


def new_urgent(
    conn, after_id: int, recent_since: dt.datetime, floor_id: int, limit: int = 500, also_ids=()
) -> pd.DataFrame:
    """Complaints with priority mendesak newer than the cursor (``id > after_id``) or received since
    ``recent_since`` (a transaction that committed late, with a lower id), or among ``also_ids`` (raised to
    mendesak later), but never older than ``floor_id``.
    Columns: id, ticket, title, body, received_at, classification, status, opd_code, opd, sector, region,
    channel. No reporter data."""
    from sqlalchemy import union

    from queries._sql import opd_rollup, utc
    from queries.schema import channel, complaint, region, sector

    eff = opd_rollup(True)
    # two index range scans (primary key, received_at) instead of one OR that a planner may read as a full scan
    candidates = union(
        select(complaint.c.id).where(complaint.c.id > int(max(after_id, floor_id))),
        select(complaint.c.id).where(complaint.c.received_at >= utc(recent_since), complaint.c.id > int(floor_id)),
        *(
            [
                select(complaint.c.id).where(
                    complaint.c.id.in_([int(i) for i in also_ids]), complaint.c.id > int(floor_id)
                )
            ]
            if len(also_ids)
            else []
        ),
    ).subquery("candidates")
    candidate_ids = select(candidates.c.id)
    stmt = (
        select(
            complaint.c.id,
            complaint.c.ticket,
            complaint.c.title,
            complaint.c.body,
            complaint.c.received_at,
            complaint.c.classification,
            complaint.c.status,
            eff.c.eff_code.label("opd_code"),
            eff.c.eff_short_name.label("opd"),
            sector.c.name.label("sector"),
            region.c.name.label("region"),
            channel.c.name.label("channel"),
        )
        .select_from(
            complaint.outerjoin(eff, eff.c.opd_id == complaint.c.opd_id)
            .outerjoin(sector, sector.c.id == complaint.c.sector_id)
            .outerjoin(region, region.c.id == complaint.c.region_id)
            .outerjoin(channel, channel.c.id == complaint.c.channel_id)
        )
        .where(complaint.c.id.in_(candidate_ids), complaint.c.priority == "mendesak")
        .order_by(complaint.c.id)
        .limit(int(limit))
    )
    return read_frame(conn, stmt)


STAGES = ("dispatch", "response", "completion")


def late_stages(conn, now: dt.datetime, rules) -> pd.DataFrame:
    """Every running stage of an open complaint that is at risk or breached now, one row per stage.

    Columns: id, ticket, title, opd_code, opd (reporting OPD: merged units under their successor; NULL
    when not dispatched), priority, stage, state (at_risk | breached), deadline, late_wd."""
    from queries.schema import complaint
    from queries.sla_sql import OPEN_STATUSES, complaint_sla

    sla = complaint_sla(
        rules, now, [complaint.c.status.in_(OPEN_STATUSES)], rollup=True, with_deadlines=True
    ).subquery()
    cols = [
        sla.c.id,
        sla.c.ticket,
        complaint.c.title,
        sla.c.eff_code.label("opd_code"),
        sla.c.eff_short_name.label("opd"),
        sla.c.priority,
    ]
    for s in STAGES:
        cols += [sla.c[f"{s}_state"], sla.c[f"{s}_late_by"], sla.c[f"{s}_deadline"]]
    df = read_frame(
        conn,
        select(*cols)
        .select_from(sla.join(complaint, complaint.c.id == sla.c.id))
        .where(sla.c.sla_state.in_(("at_risk", "breached"))),
    )
    parts = []
    for s in STAGES:
        part = df[df[f"{s}_state"].isin(("at_risk", "breached"))]
        parts.append(
            pd.DataFrame(
                {
                    "id": part["id"],
                    "ticket": part["ticket"],
                    "title": part["title"],
                    "opd_code": part["opd_code"],
                    "opd": part["opd"],
                    "priority": part["priority"],
                    "stage": s,
                    "state": part[f"{s}_state"],
                    "deadline": part[f"{s}_deadline"],
                    "late_wd": part[f"{s}_late_by"],
                }
            )
        )
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return out.sort_values(
        ["opd_code", "late_wd", "ticket"], ascending=[True, False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)
