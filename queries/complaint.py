"""One complaint: every field, its SLA stages with deadlines, and its timeline."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select

from queries._sql import opd_rollup, read_frame
from queries.schema import channel, complaint, complaint_event, opd, region, sector
from queries.sla_sql import complaint_sla

PERSONAL_COLUMNS = ("reporter_name", "reporter_contact")


def complaint_detail(conn, ticket: str, now: dt.datetime, rules, include_personal: bool = False) -> pd.DataFrame:
    """The complaint with ``ticket`` (0 or 1 row). Reporter fields only when ``include_personal``."""
    sla = complaint_sla(rules, now, [complaint.c.ticket == str(ticket)], with_deadlines=True).subquery()
    cols = [
        sla,
        complaint.c.title,
        complaint.c.body,
        complaint.c.updated_at,
        channel.c.name.label("channel"),
        sector.c.name.label("sector"),
        region.c.name.label("region"),
        opd.c.short_name.label("opd_own"),
        opd.c.name.label("opd_name"),
    ]
    if include_personal:
        cols += [complaint.c.reporter_name, complaint.c.reporter_contact]
    stmt = select(*cols).select_from(
        sla.join(complaint, complaint.c.id == sla.c.id)
        .outerjoin(channel, channel.c.id == complaint.c.channel_id)
        .outerjoin(sector, sector.c.id == complaint.c.sector_id)
        .outerjoin(region, region.c.id == complaint.c.region_id)
        .outerjoin(opd, opd.c.id == complaint.c.opd_id)
    )
    return read_frame(conn, stmt)


def complaint_timeline(conn, complaint_id: int) -> pd.DataFrame:
    """The complaint's events in time order, with the OPD each one concerns."""
    eff = opd_rollup(False)
    stmt = (
        select(
            complaint_event.c.id,
            complaint_event.c.occurred_at,
            complaint_event.c.kind,
            eff.c.eff_short_name.label("opd"),
            complaint_event.c.actor,
            complaint_event.c.note,
        )
        .select_from(complaint_event.outerjoin(eff, eff.c.opd_id == complaint_event.c.opd_id))
        .where(complaint_event.c.complaint_id == int(complaint_id))
        .order_by(complaint_event.c.occurred_at, complaint_event.c.id)
    )
    return read_frame(conn, stmt)
