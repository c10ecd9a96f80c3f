"""Filtered, paged, sorted search over complaints, with the SLA state of each (the explorer's queries).

Built to stay fast at a million complaints:
- every filter but the SLA state is a condition on ``complaint`` itself (OPDs through ``reported_as``),
  so the database uses its indexes; the SLA clock runs only for the complaints that can be in the asked
  states (open states: the lean ``open_sla`` over open complaints) and, for the rows shown, only for the
  page's 50 rows;
- text search is ``lower(col) LIKE '%...%'``, which PostgreSQL answers from the trigram indexes
  (``queries.schema.TEXT_SEARCH_DDL``) instead of reading every row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import FromClause, and_, func, or_, select

from queries._sql import opd_rollup, read_frame, reported_as, utc
from queries.schema import channel, complaint, region, sector
from queries.sla_sql import ACTIVE_STATUSES, complaint_sla, open_sla

SORTABLE = ("received_at", "ticket", "status", "opd", "sector", "region")
SLA_STATES = ("on_track", "at_risk", "breached", "ditunda", "met", "late")
OPEN_SLA_STATES = ("on_track", "at_risk", "breached")
MAX_TEXT = 100


@dataclass(frozen=True)
class ComplaintFilter:
    """What to match; empty fields match everything. Hashable, so results can be cached by filter.

    ``opd_ids`` are reporting OPD ids (successors when ``rollup``); ``None`` in ``opd_ids``, ``sectors``,
    ``channels`` or ``regions`` matches complaints without one. Codes are those of the reference tables.
    ``start``/``end`` bound ``received_at`` as [start, end).
    """

    start: dt.datetime | None = None
    end: dt.datetime | None = None
    statuses: tuple[str, ...] = ()
    opd_ids: tuple[int | None, ...] = ()
    sectors: tuple[str | None, ...] = ()
    channels: tuple[str | None, ...] = ()
    regions: tuple[str | None, ...] = ()
    priorities: tuple[str, ...] = ()
    classifications: tuple[str, ...] = ()
    sla_states: tuple[str, ...] = ()
    text: str = ""
    rollup: bool = True


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _code_in(fk, table, codes):
    parts = []
    named = [c for c in codes if c is not None]
    if named:
        parts.append(fk.in_(select(table.c.id).where(table.c.code.in_(named))))
    if None in codes:
        parts.append(fk.is_(None))
    return or_(*parts)


def _statuses(f: ComplaintFilter) -> set[str]:
    """The statuses ``f`` allows (empty: any), narrowed by its SLA states: only a running stage can be on
    track, at risk or late, only a postponed complaint is "ditunda"; contradictory filters match nothing."""
    statuses = set(f.statuses)
    states = set(f.sla_states)
    if states and states <= set(OPEN_SLA_STATES):
        statuses = statuses & set(ACTIVE_STATUSES) if statuses else set(ACTIVE_STATUSES)
        statuses = statuses or {"\x00none"}
    elif states == {"ditunda"}:
        statuses = statuses & {"ditunda"} if statuses else {"ditunda"}
        statuses = statuses or {"\x00none"}
    return statuses


def _conditions(conn, f: ComplaintFilter, status: bool = True) -> list:
    """Conditions on ``complaint`` for every filter but the SLA state (``status``: with the statuses')."""
    conds = []
    if f.start is not None:
        conds.append(complaint.c.received_at >= utc(f.start))
    if f.end is not None:
        conds.append(complaint.c.received_at < utc(f.end))
    statuses = _statuses(f)
    if statuses and status:
        conds.append(complaint.c.status.in_(sorted(statuses)))
    if f.priorities:
        conds.append(complaint.c.priority.in_(f.priorities))
    if f.classifications:
        conds.append(complaint.c.classification.in_(f.classifications))
    for codes, table, fk in (
        (f.sectors, sector, complaint.c.sector_id),
        (f.channels, channel, complaint.c.channel_id),
        (f.regions, region, complaint.c.region_id),
    ):
        if codes:
            conds.append(_code_in(fk, table, codes))
    if f.opd_ids:
        conds.append(or_(*(reported_as(conn, None if i is None else int(i), f.rollup) for i in f.opd_ids)))
    text = f.text.strip().lower()[:MAX_TEXT]
    if text:
        pattern = f"%{_escape_like(text)}%"
        conds.append(
            or_(
                func.lower(complaint.c.title).like(pattern, escape="\\"),
                func.lower(complaint.c.body).like(pattern, escape="\\"),
            )
        )
    return conds


def _state_rows(conn, f: ComplaintFilter, now: dt.datetime, rules):
    """A subquery (id, received_at) of the complaints in ``f.sla_states`` that match ``f``, or None.

    The running states read only the open complaints (``open_sla``), with the filter's statuses as the scan's
    one status condition. Carrying ``received_at`` lets the page be sorted by it without fetching each
    matching complaint's table row again (82,629 late complaints at ten million)."""
    states = set(f.sla_states)
    if not states:
        return None
    unknown = states - set(SLA_STATES)
    if unknown:
        raise ValueError(f"unknown SLA state(s) {sorted(unknown)}")
    if states <= set(OPEN_SLA_STATES):
        running = _statuses(f) & set(ACTIVE_STATUSES)  # empty when the filters contradict: matches nothing
        sub = open_sla(
            rules, now, _conditions(conn, f, status=False), rollup=f.rollup, statuses=sorted(running)
        ).subquery()
        rem, risk = sub.c.remaining_wd, int(rules.at_risk_days)
        by_state = {"breached": rem < 0, "at_risk": and_(rem >= 0, rem <= risk), "on_track": rem > risk}
        where = or_(*(by_state[s] for s in sorted(states)))
    else:
        sub = complaint_sla(rules, now, _conditions(conn, f), rollup=f.rollup).subquery()
        where = sub.c.sla_state.in_(sorted(states))
    return select(sub.c.id, sub.c.received_at).where(where).subquery("in_state")


def count_complaints(conn, f: ComplaintFilter, now: dt.datetime, rules) -> int:
    """How many complaints match ``f``."""
    rows = _state_rows(conn, f, now, rules)
    stmt = (
        select(func.count()).select_from(rows)
        if rows is not None
        else select(func.count()).select_from(complaint).where(*_conditions(conn, f))
    )
    return int(conn.execute(stmt).scalar_one())


def _page_ids(
    conn,
    f: ComplaintFilter,
    now,
    rules,
    page: int,
    page_size: int,
    sort: str,
    descending: bool,
) -> tuple[list[int], int | None]:
    """The ids of one page and, when an SLA or text filter is set, the total count from the same pass (the
    SLA clock or the text matching then runs once for both); otherwise the total is None."""
    state_rows = _state_rows(conn, f, now, rules)
    total = []
    if state_rows is not None or f.text.strip():  # expensive matching: count in the same pass as the page
        total = [func.count().over().label("total")]
    src: FromClause = complaint
    id_col = complaint.c.id
    if state_rows is None:
        conds = _conditions(conn, f)
    elif sort == "received_at":  # the state rows carry the sort key: no second visit of each complaint
        src, id_col, key, conds = state_rows, state_rows.c.id, state_rows.c.received_at, []
    else:
        conds = [complaint.c.id.in_(select(state_rows.c.id))]
    if sort == "opd":
        eff = opd_rollup(f.rollup)
        src, key = src.outerjoin(eff, eff.c.opd_id == complaint.c.opd_id), eff.c.eff_short_name
    elif sort == "sector":
        src, key = src.outerjoin(sector, sector.c.id == complaint.c.sector_id), sector.c.name
    elif sort == "region":
        src, key = src.outerjoin(region, region.c.id == complaint.c.region_id), region.c.name
    elif src is complaint:
        key = complaint.c[sort]
    if sort in ("opd", "sector", "region"):  # may be missing: those come last either way
        order = key.desc().nulls_last() if descending else key.asc().nulls_last()
    else:  # NOT NULL columns: a plain order lets PostgreSQL read the index backwards instead of sorting
        if f.text.strip():
            # ...except for a text search: the planner cannot know how rare the text is and would walk the
            # whole received_at index looking for 50 matches. Hiding the index makes it collect the matches
            # from the trigram indexes first, then sort only those.
            key = func.coalesce(key, key)
        order = key.desc() if descending else key.asc()
    tie = id_col.desc() if descending else id_col.asc()
    stmt = (
        select(id_col, *total)
        .select_from(src)
        .where(*conds)
        .order_by(order, tie)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    rows = conn.execute(stmt).all()
    return [int(r[0]) for r in rows], (int(rows[0][1]) if total and rows else None)


PAGE_COLUMNS = [
    "id",
    "ticket",
    "received_at",
    "title",
    "sector",
    "region",
    "opd",
    "status",
    "priority",
    "classification",
    "channel",
    "sla_state",
    "deadline",
    "overdue_wd",
]
RUNNING_STATES = ("breached", "at_risk", "on_track")
STAGES = ("dispatch", "response", "completion")


def current_deadline(df: pd.DataFrame) -> list:
    """The deadline that matters now, per row of a ``complaint_sla(..., with_deadlines=True)`` frame: the
    earliest deadline (a WITA date) among its stages still running, None when none runs (done, paused)."""
    if df.empty:
        return []
    running = pd.concat(
        [pd.to_datetime(df[f"{s}_deadline"]).where(df[f"{s}_state"].isin(RUNNING_STATES)) for s in STAGES], axis=1
    )
    return [None if pd.isna(d) else d.date() for d in running.min(axis=1)]


def search_complaints(
    conn,
    f: ComplaintFilter,
    now: dt.datetime,
    rules,
    page: int = 1,
    page_size: int = 50,
    sort: str = "received_at",
    descending: bool = True,
) -> pd.DataFrame:
    """One page (1-based) of matching complaints in the asked order.

    Columns: PAGE_COLUMNS (sector, region, channel and opd are names; opd is the reporting OPD).
    """
    return search_page(conn, f, now, rules, page, page_size, sort, descending)[1]


def search_page(
    conn,
    f: ComplaintFilter,
    now: dt.datetime,
    rules,
    page: int = 1,
    page_size: int = 50,
    sort: str = "received_at",
    descending: bool = True,
) -> tuple[int, pd.DataFrame]:
    """How many complaints match ``f``, and one page of them (see ``search_complaints``): what the explorer
    shows for a view, with the SLA clock run once when the view filters on SLA states."""
    if sort not in SORTABLE:
        raise ValueError(f"cannot sort by {sort!r}")
    page, page_size = max(1, int(page)), max(1, min(50_000, int(page_size)))
    ids, total = _page_ids(conn, f, now, rules, page, page_size, sort, descending)
    if total is None:
        total = count_complaints(conn, f, now, rules)
    if not ids:
        return total, pd.DataFrame(columns=PAGE_COLUMNS)
    sla = complaint_sla(rules, now, [complaint.c.id.in_(ids)], rollup=f.rollup, with_deadlines=True).subquery()
    stmt = select(
        sla.c.id,
        sla.c.ticket,
        sla.c.received_at,
        complaint.c.title,
        sector.c.name.label("sector"),
        region.c.name.label("region"),
        sla.c.eff_short_name.label("opd"),
        sla.c.status,
        sla.c.priority,
        sla.c.classification,
        channel.c.name.label("channel"),
        sla.c.sla_state,
        sla.c.overdue_wd,
        *(sla.c[f"{s}_{part}"] for s in STAGES for part in ("state", "deadline")),
    ).select_from(
        sla.join(complaint, complaint.c.id == sla.c.id)
        .outerjoin(sector, sector.c.id == complaint.c.sector_id)
        .outerjoin(region, region.c.id == complaint.c.region_id)
        .outerjoin(channel, channel.c.id == complaint.c.channel_id)
    )
    df = read_frame(conn, stmt)
    df["deadline"] = current_deadline(df)
    order = {i: n for n, i in enumerate(ids)}
    df = df.assign(_o=df["id"].map(lambda i: order[int(i)])).sort_values("_o").drop(columns="_o")
    return total, df[PAGE_COLUMNS].reset_index(drop=True)
