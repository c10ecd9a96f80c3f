"""The SLA outcome of every closed complaint, kept by the summary worker (``python -m summaries``), so that a
year's rapor at ten million complaints does not run the SLA clock over 1.4 million complaints on every visit.

Why stored outcomes stay exact:
- a closed complaint's stage states do not depend on today: a stage that ended is met or late by its own
  dates and pauses, a stage that never ended is not counted (the clock runs only while a complaint is open);
- each stored row carries a copy of the complaint columns it was computed from (``COPIED``). A reader uses a
  stored row only when the complaint still has exactly those values, has no event newer than the store's event
  mark (an event can add or end a pause), and the store was computed with the reader's SLA rules and with the
  working-day calendar as it is now;
- everything else in the reader's scope (open complaints, new or edited rows, complaints with new events, a
  store computed under other rules) is computed live with the plain SLA clock (``queries.sla_sql``), and the
  two parts are added. So a status changed a second ago is in the next refresh, stored or not.

The worker refreshes the store in one transaction (``refresh``): it reads the event mark first, drops the rows
that no longer match their complaint, then computes the closed complaints without a row; between its full
passes it redoes only the complaints with new events. A store that is
missing, not readable by this role, or stale only costs speed: the reader computes everything live.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import (
    BigInteger,
    Column,
    Integer,
    String,
    Table,
    Text,
    and_,
    delete,
    exists,
    func,
    insert,
    inspect,
    select,
    text,
)

from core.codes import OPEN_STATUSES
from queries._sql import opd_rollup
from queries.schema import Ts, complaint, complaint_event, work_calendar
from queries.sla_sql import complaint_sla
from queries.summary_store import SUMMARY_SCHEMA, summary_conn, summary_metadata

# the complaint columns a stored outcome was computed from; a complaint that differs in any is computed live
COPIED = ("status", "opd_id", "classification", "received_at", "dispatched_at", "first_response_at", "resolved_at")
# the outcomes the readers need (state labels as in queries.sla_sql)
OUTCOMES = ("response_state", "completion_state", "sla_state", "response_elapsed")

settled_sla = Table(
    "monitor_settled_sla",
    summary_metadata,
    Column("complaint_id", BigInteger, primary_key=True, autoincrement=False),
    Column("status", String(20), nullable=False),
    Column("opd_id", BigInteger),
    Column("classification", String(30), nullable=False),
    Column("received_at", Ts, nullable=False),
    Column("dispatched_at", Ts),
    Column("first_response_at", Ts),
    Column("resolved_at", Ts),
    Column("response_state", String(12)),
    Column("completion_state", String(12)),
    Column("sla_state", String(12)),
    Column("response_elapsed", Integer),
)

settled_meta = Table(
    "monitor_settled_meta",
    summary_metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # one row, id 1
    Column("rules_key", Text, nullable=False),
    Column("calendar_sig", Text, nullable=False),
    Column("event_mark", BigInteger, nullable=False),  # the newest event id when the refresh began
    Column("computed_at", Ts, nullable=False),
)


def rules_key(rules) -> str:
    """The SLA rules a store was computed with (their repr: every field, as dashboard.data keys its cache)."""
    return repr(rules)


def calendar_signature(conn) -> str:
    """A fingerprint of the working-day calendar: a holiday added or moved changes the running day count."""
    row = conn.execute(
        select(
            func.count(),
            func.coalesce(func.sum(work_calendar.c.wd_cum), 0),
            func.min(work_calendar.c.day),
            func.max(work_calendar.c.day),
        )
    ).one()
    return "|".join(str(v) for v in row)


def _readable(conn) -> bool:
    if conn.dialect.name != "postgresql":
        return inspect(conn).has_table(settled_meta.name)
    ok = conn.execute(
        text(
            "SELECT bool_and(has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT')) "
            "AND count(*) = 2 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :s AND c.relname IN (:a, :b)"
        ),
        {"s": SUMMARY_SCHEMA, "a": settled_sla.name, "b": settled_meta.name},
    ).scalar()
    return bool(ok)


def usable_mark(conn, rules) -> int | None:
    """The store's event mark when its rows may be used with ``rules`` and today's calendar, else None."""
    if not _readable(conn):
        return None
    meta = summary_conn(conn).execute(select(settled_meta).where(settled_meta.c.id == 1)).first()
    if meta is None or meta.rules_key != rules_key(rules) or meta.calendar_sig != calendar_signature(conn):
        return None
    return int(meta.event_mark)


def _matches(s):
    """A stored row that is still its complaint's (same id, every copied column the same)."""
    return and_(s.c.complaint_id == complaint.c.id, *(s.c[c].is_not_distinct_from(complaint.c[c]) for c in COPIED))


def _newer_events(mark: int):
    return select(complaint_event.c.complaint_id).where(complaint_event.c.id > mark)


def split(mark: int, where=(), rollup: bool = True):
    """(stored, live_where) for the complaints matching ``where`` (conditions on ``complaint``).

    ``stored``: a subquery of the complaints whose stored outcome holds, with the columns of
    ``queries.sla_sql.complaint_sla`` that readers group by (id, opd_id, the reporting OPD eff_*,
    dispatched_at, resolved_at) and the ``OUTCOMES``, so one SELECT builder serves both parts. ``live_where``:
    ``where`` plus the condition that picks exactly the other complaints, for the plain SLA clock.
    """
    s = settled_sla
    valid = and_(_matches(s), s.c.complaint_id.not_in(_newer_events(mark)))
    eff = opd_rollup(rollup)
    stored = (
        select(
            complaint.c.id,
            complaint.c.opd_id,
            eff.c.eff_id,
            eff.c.eff_code,
            eff.c.eff_short_name,
            complaint.c.dispatched_at,
            complaint.c.resolved_at,
            *(s.c[o] for o in OUTCOMES),
        )
        .select_from(complaint.join(s, valid).outerjoin(eff, eff.c.opd_id == complaint.c.opd_id))
        .where(*where)
        .subquery("settled")
    )
    live_where = (*where, ~exists(select(s.c.complaint_id).where(valid)))
    return stored, live_where


def create_store(conn) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {SUMMARY_SCHEMA}")
    summary_metadata.create_all(summary_conn(conn), tables=[settled_sla, settled_meta], checkfirst=True)


def refresh(conn, rules, now: dt.datetime, full: bool = True) -> dict[str, int]:
    """Bring the store up to date (in the caller's transaction); returns how many rows were dropped and added.

    ``full``: compare every stored row with its complaint and store every closed complaint without a row (a
    pass over all complaints: about a minute at ten million). Otherwise only the complaints with an event
    newer than the store's mark are redone (a closing, a reopening, a pause: seconds). Readers are exact either
    way (they check every row they use); a quick refresh only leaves more for them to compute live until the
    next full one (an edit that came without an event).

    The event mark is read first: anything the later statements see is at least that new, so a stored row is
    never older than the mark it is used with."""
    create_store(conn)
    c = summary_conn(conn)
    mark = int(conn.execute(select(func.coalesce(func.max(complaint_event.c.id), 0))).scalar_one())
    key, sig = rules_key(rules), calendar_signature(conn)
    meta = c.execute(select(settled_meta).where(settled_meta.c.id == 1)).first()
    s = settled_sla
    scope = [complaint.c.status.not_in(OPEN_STATUSES)]
    if meta is None or meta.rules_key != key or meta.calendar_sig != sig:
        dropped = c.execute(delete(s)).rowcount  # other rules or another calendar: every outcome may differ
    else:
        newer = _newer_events(int(meta.event_mark))
        dropped = c.execute(delete(s).where(s.c.complaint_id.in_(newer))).rowcount
        if full:  # rows whose complaint changed without an event, or is gone
            dropped += c.execute(delete(s).where(~exists(select(complaint.c.id).where(_matches(s))))).rowcount
        else:
            scope.append(complaint.c.id.in_(newer))
    missing = ~exists(select(s.c.complaint_id).where(s.c.complaint_id == complaint.c.id))
    sla = complaint_sla(rules, now, [*scope, missing], rollup=False).subquery()
    cols = ["complaint_id", *COPIED, *OUTCOMES]
    src = select(sla.c.id, *(sla.c[col] for col in (*COPIED, *OUTCOMES)))
    added = c.execute(insert(s).from_select(cols, src)).rowcount
    c.execute(delete(settled_meta))
    c.execute(insert(settled_meta).values(id=1, rules_key=key, calendar_sig=sig, event_mark=mark, computed_at=now))
    return {"dropped": max(int(dropped or 0), 0), "added": max(int(added or 0), 0)}


def outcome_frame(conn, rules, now: dt.datetime, where, rollup: bool, frame_of) -> pd.DataFrame:
    """``frame_of(src)`` (a SELECT over a subquery with complaint_sla's columns -> DataFrame) over the
    complaints matching ``where``: the stored part (when the store may be used) and the live part, the SLA
    clock's costly pass, stacked. The caller adds up rows with the same key."""
    conn = summary_conn(conn)
    mark = usable_mark(conn, rules)
    frames = []
    if mark is not None:
        stored, where = split(mark, where, rollup)
        frames.append(frame_of(conn, stored))
    frames.append(frame_of(conn, complaint_sla(rules, now, where, rollup=rollup).subquery()))
    return pd.concat([f for f in frames if len(f)] or frames[-1:], ignore_index=True)
