"""Live feeds for the wall: newest complaints and the newest OPD actions. No personal data."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import func, select

from queries._sql import FUTURE_TOLERANCE, opd_rollup, read_frame, utc
from queries.schema import channel, complaint, complaint_event, region, sector

OPD_ACTIVITY_KINDS = ("didisposisikan", "dialihkan", "ditanggapi", "diselesaikan")


def new_complaints(conn, limit: int = 15, rollup: bool = True, now: dt.datetime | None = None) -> pd.DataFrame:
    """The ``limit`` newest complaints: ticket, times, title, channel, sector, region, OPD, priority, status.

    With ``now``, complaints received after it (beyond ``FUTURE_TOLERANCE``, i.e. with a wrong clock or date)
    are left out, so that they cannot hold the top of the feed; the data-quality page counts them."""
    eff = opd_rollup(rollup)
    stmt = (
        select(
            complaint.c.id,
            complaint.c.ticket,
            complaint.c.received_at,
            complaint.c.title,
            channel.c.name.label("channel"),
            sector.c.name.label("sector"),
            region.c.name.label("region"),
            eff.c.eff_short_name.label("opd"),
            complaint.c.classification,
            complaint.c.priority,
            complaint.c.status,
        )
        .select_from(
            complaint.outerjoin(channel, channel.c.id == complaint.c.channel_id)
            .outerjoin(sector, sector.c.id == complaint.c.sector_id)
            .outerjoin(region, region.c.id == complaint.c.region_id)
            .outerjoin(eff, eff.c.opd_id == complaint.c.opd_id)
        )
        .order_by(complaint.c.received_at.desc(), complaint.c.id.desc())
        .limit(int(limit))
    )
    if now is not None:
        stmt = stmt.where(complaint.c.received_at <= utc(now) + FUTURE_TOLERANCE)
    return read_frame(conn, stmt)


def recent_events(
    conn,
    limit: int = 15,
    kinds: tuple[str, ...] = OPD_ACTIVITY_KINDS,
    rollup: bool = True,
    now: dt.datetime | None = None,
) -> pd.DataFrame:
    """The ``limit`` newest timeline events of the given kinds, with ticket and OPD (with ``now``: none dated
    after it, as in ``new_complaints``)."""
    eff = opd_rollup(rollup)
    stmt = (
        select(
            complaint_event.c.id,
            complaint_event.c.occurred_at,
            complaint_event.c.kind,
            complaint.c.ticket,
            complaint.c.title,
            eff.c.eff_short_name.label("opd"),
        )
        .select_from(
            complaint_event.join(complaint, complaint.c.id == complaint_event.c.complaint_id).outerjoin(
                eff, eff.c.opd_id == complaint_event.c.opd_id
            )
        )
        .where(complaint_event.c.kind.in_(kinds))
        .order_by(complaint_event.c.occurred_at.desc(), complaint_event.c.id.desc())
        .limit(int(limit))
    )
    if now is not None:
        stmt = stmt.where(complaint_event.c.occurred_at <= utc(now) + FUTURE_TOLERANCE)
    return read_frame(conn, stmt)


def latest_change(conn) -> tuple[int, int]:
    """The newest complaint id and the newest event id: two primary-key lookups (microseconds at a million
    rows). The wall polls this to learn that something changed before it fetches and redraws anything; every
    lifecycle step of a complaint writes an event, so a new complaint or a new step changes the pair."""
    row = conn.execute(
        select(
            select(func.max(complaint.c.id)).scalar_subquery(), select(func.max(complaint_event.c.id)).scalar_subquery()
        )
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


def recent_urgent(conn, since: dt.datetime, limit: int = 10, now: dt.datetime | None = None) -> pd.DataFrame:
    """Mendesak complaints received since ``since`` (newest first, at most ``limit``): id, ticket, received_at,
    title, sector, region. For the wall's urgent banner; no personal data."""
    stmt = (
        select(
            complaint.c.id,
            complaint.c.ticket,
            complaint.c.received_at,
            complaint.c.title,
            sector.c.name.label("sector"),
            region.c.name.label("region"),
        )
        .select_from(
            complaint.outerjoin(sector, sector.c.id == complaint.c.sector_id).outerjoin(
                region, region.c.id == complaint.c.region_id
            )
        )
        .where(complaint.c.received_at >= utc(since), complaint.c.priority == "mendesak")
        .order_by(complaint.c.received_at.desc(), complaint.c.id.desc())
        .limit(int(limit))
    )
    if now is not None:
        stmt = stmt.where(complaint.c.received_at <= utc(now) + FUTURE_TOLERANCE)
    return read_frame(conn, stmt)
