"""Filtered, paged, sorted search over complaints, with the SLA state of each."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import func, or_, select

from queries._sql import read_frame, utc
from queries.schema import channel, complaint, region, sector
from queries.sla_sql import complaint_sla

SORTABLE = ("received_at", "ticket", "status", "sla_state", "opd", "sector", "region")


@dataclass
class ComplaintFilter:
    """What to match; empty fields match everything. Codes are those of the reference tables."""

    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: tuple[str, ...] = ()
    opd_ids: tuple[int, ...] = ()  # reporting OPD ids (successors when rolled up)
    sectors: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()
    sla_states: tuple[str, ...] = ()
    text: str = ""
    extra: dict = field(default_factory=dict)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(f: ComplaintFilter, now: dt.datetime, rules, rollup: bool):
    conds = []
    if f.start is not None:
        conds.append(complaint.c.received_at >= utc(f.start))
    if f.end is not None:
        conds.append(complaint.c.received_at < utc(f.end))
    if f.statuses:
        conds.append(complaint.c.status.in_(f.statuses))
    if f.priorities:
        conds.append(complaint.c.priority.in_(f.priorities))
    if f.classifications:
        conds.append(complaint.c.classification.in_(f.classifications))
    for codes, table, fk in ((f.sectors, sector, complaint.c.sector_id), (f.channels, channel, complaint.c.channel_id),
                             (f.regions, region, complaint.c.region_id)):
        if codes:
            conds.append(fk.in_(select(table.c.id).where(table.c.code.in_(codes))))
    if f.text.strip():
        pattern = f"%{_escape_like(f.text.strip().lower())}%"
        conds.append(or_(func.lower(complaint.c.title).like(pattern, escape="\\"),
                         func.lower(complaint.c.body).like(pattern, escape="\\")))
    sub = complaint_sla(rules, now, conds, rollup=rollup).subquery()
    outer = []
    if f.opd_ids:
        outer.append(sub.c.eff_id.in_([int(i) for i in f.opd_ids]))
    if f.sla_states:
        outer.append(sub.c.sla_state.in_(f.sla_states))
    return sub, outer


def count_complaints(conn, f: ComplaintFilter, now: dt.datetime, rules, rollup: bool = True) -> int:
    sub, outer = _filtered(f, now, rules, rollup)
    return int(conn.execute(select(func.count()).select_from(sub).where(*outer)).scalar_one())


def search_complaints(conn, f: ComplaintFilter, now: dt.datetime, rules, page: int = 1, page_size: int = 50,
                      sort: str = "received_at", descending: bool = True, rollup: bool = True) -> pd.DataFrame:
    """One page (1-based) of matching complaints: ticket, received, title, sector, region, OPD, status, SLA."""
    sub, outer = _filtered(f, now, rules, rollup)
    stmt = (
        select(sub.c.id, sub.c.ticket, sub.c.received_at, complaint.c.title, sector.c.name.label("sector"),
               region.c.name.label("region"), sub.c.eff_short_name.label("opd"), sub.c.status,
               sub.c.priority, sub.c.classification, sub.c.sla_state, sub.c.overdue_wd)
        .select_from(sub.join(complaint, complaint.c.id == sub.c.id)
                     .outerjoin(sector, sector.c.id == complaint.c.sector_id)
                     .outerjoin(region, region.c.id == complaint.c.region_id))
        .where(*outer)
    )
    if sort not in SORTABLE:
        raise ValueError(f"cannot sort by {sort!r}")
    key = {"opd": sub.c.eff_short_name, "sector": sector.c.name, "region": region.c.name}.get(sort, None)
    key = key if key is not None else sub.c[sort]
    order = key.desc().nulls_last() if descending else key.asc().nulls_last()
    stmt = stmt.order_by(order, sub.c.id.desc() if descending else sub.c.id.asc())
    page, page_size = max(1, int(page)), max(1, min(500, int(page_size)))
    return read_frame(conn, stmt.limit(page_size).offset((page - 1) * page_size))
