"""Data quality: counts of what looks wrong in the complaint data, for the admins' panel.

One function, ``data_quality``: one row per check with the number of complaints (or events) it finds and
up to two example tickets (those of the smallest and the largest complaint id found, read in the same pass).
Statements: one pass over the complaints (with the calendar day of each date), one over the events (with
their complaint's receipt), complaints without events (an anti-join on the event index), complaints whose
OPD acted before the dispatch, duplicate events, today in the calendar, and the example tickets. Nothing
here needs an index of its own.

Timestamps on SQLite are UTC text; comparisons between two columns go through ``julianday`` there so that
a value written with and one without microseconds still compare as the instants they are.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import Float, and_, case, func, literal, literal_column, or_, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from dashboard.config import CLASSIFICATIONS, EVENT_KINDS, PRIORITIES, STATUSES
from dashboard.exports import FORMULA_START
from queries._sql import FUTURE_TOLERANCE, count_if, read_frame, utc, wita_date
from queries.schema import complaint, complaint_event, opd, work_calendar
from queries.sla_sql import today_wita

LARGE_BODY_BYTES = 20 * 1024
DISPATCHED_STATUSES = ("terdisposisi", "diproses")
OPD_ACTION_KINDS = ("dialihkan", "ditanggapi", "diselesaikan")

# (check, unit): the order of the rows. unit "aduan" counts complaints, "peristiwa" events, "kalender" days.
CHECKS = (
    ("unknown_classification", "aduan"), ("unknown_priority", "aduan"), ("unknown_status", "aduan"),
    ("no_sector", "aduan"), ("no_region", "aduan"), ("no_channel", "aduan"),
    ("dispatched_without_opd", "aduan"), ("unknown_opd", "aduan"), ("status_without_time", "aduan"),
    ("future_time", "aduan"), ("before_receipt", "aduan"), ("response_before_dispatch", "aduan"),
    ("large_body", "aduan"), ("formula_title", "aduan"), ("empty_title", "aduan"),
    ("no_events", "aduan"), ("event_before_receipt", "peristiwa"), ("events_out_of_order", "aduan"),
    ("event_unknown_kind", "peristiwa"), ("event_future", "peristiwa"), ("event_duplicate", "peristiwa"),
    ("outside_calendar", "aduan"), ("calendar_missing_today", "kalender"),
)


class ts_num(FunctionElement):
    """A timestamp column as something that orders like the instant (PostgreSQL: itself; SQLite: julianday)."""

    type = Float()
    inherit_cache = True
    name = "ts_num"


@compiles(ts_num, "postgresql")
def _ts_num_pg(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(ts_num, "sqlite")
def _ts_num_sqlite(element, compiler, **kw):
    return f"julianday({compiler.process(element.clauses, **kw)})"


class byte_length(FunctionElement):
    """Length of a text in bytes (UTF-8); PostgreSQL reads it from the value's header without detoasting."""

    type = Float()
    inherit_cache = True
    name = "byte_length"


@compiles(byte_length, "postgresql")
def _byte_length_pg(element, compiler, **kw):
    return f"octet_length({compiler.process(element.clauses, **kw)})"


@compiles(byte_length, "sqlite")
def _byte_length_sqlite(element, compiler, **kw):
    return f"length(CAST({compiler.process(element.clauses, **kw)} AS BLOB))"


def _before(a, b):
    """Both set and ``a`` earlier than ``b``."""
    return and_(a.is_not(None), b.is_not(None), ts_num(a) < ts_num(b))


def _complaint_checks(now: dt.datetime):
    """(source, {check: condition on a row}) over complaint ⟕ opd ⟕ the calendar day of each of its dates."""
    c = complaint.c
    cutoff = utc(now) + FUTURE_TOLERANCE
    known_opd = opd.alias("known_opd")
    cals = {col: work_calendar.alias(f"cal_{col}") for col in ("received_at", "dispatched_at", "first_response_at",
                                                              "resolved_at")}
    src = complaint.outerjoin(known_opd, known_opd.c.id == c.opd_id)
    for col, cal in cals.items():
        src = src.outerjoin(cal, cal.c.day == wita_date(c[col]))
    times = (c.received_at, c.dispatched_at, c.first_response_at, c.resolved_at, c.updated_at)
    return src, {
        "unknown_classification": c.classification.not_in(CLASSIFICATIONS),
        "unknown_priority": c.priority.not_in(PRIORITIES),
        "unknown_status": c.status.not_in(STATUSES),
        "no_sector": c.sector_id.is_(None),
        "no_region": c.region_id.is_(None),
        "no_channel": c.channel_id.is_(None),
        "dispatched_without_opd": and_(c.status.in_(DISPATCHED_STATUSES), c.opd_id.is_(None)),
        "unknown_opd": and_(c.opd_id.is_not(None), known_opd.c.id.is_(None)),
        "status_without_time": or_(and_(c.status.in_(DISPATCHED_STATUSES), c.dispatched_at.is_(None)),
                                   and_(c.status == "selesai", c.resolved_at.is_(None))),
        "future_time": or_(*(t > cutoff for t in times)),
        "before_receipt": or_(*(_before(t, c.received_at)
                                for t in (c.dispatched_at, c.first_response_at, c.resolved_at))),
        "response_before_dispatch": _before(c.first_response_at, c.dispatched_at),
        "large_body": byte_length(c.body) > LARGE_BODY_BYTES,
        "formula_title": func.substr(c.title, 1, 1).in_(FORMULA_START),
        "empty_title": func.trim(c.title) == "",
        "outside_calendar": or_(*(and_(c[col].is_not(None), cal.c.day.is_(None)) for col, cal in cals.items())),
    }


def _event_checks(now: dt.datetime):
    """(source, {check: condition on an event row}) over complaint_event ⋈ complaint."""
    ev = complaint_event.c
    src = complaint_event.join(complaint, complaint.c.id == ev.complaint_id)
    return src, {
        "event_before_receipt": ts_num(ev.occurred_at) < ts_num(complaint.c.received_at),
        "event_unknown_kind": ev.kind.not_in(EVENT_KINDS),
        "event_future": ev.occurred_at > utc(now) + FUTURE_TOLERANCE,
    }


def _counted(conn, src, checks: dict, id_col) -> dict:
    """One pass over ``src``: per check the number of rows that meet it and the smallest and largest
    complaint id among them.

    Each row's checks are folded into one number (bit i set when check i holds) and the rows are grouped by
    it: every condition is evaluated once per row, and only a handful of groups (most rows have none) come
    back to be added up here."""
    names = list(checks)
    mask = sum((case((cond, literal_column(str(1 << i))), else_=literal_column("0"))
                for i, cond in enumerate(checks.values())), literal_column("0"))
    stmt = (select(mask.label("mask"), func.count().label("n"), func.min(id_col).label("lo"),
                   func.max(id_col).label("hi"))
            .select_from(src).group_by(mask))
    found = {name: [0, None, None] for name in names}
    for m, n, lo, hi in conn.execute(stmt):
        for i, name in enumerate(names):
            if int(m) >> i & 1:
                f = found[name]
                f[0] += int(n)
                f[1] = lo if f[1] is None else min(f[1], lo)
                f[2] = hi if f[2] is None else max(f[2], hi)
    return {name: tuple(v) for name, v in found.items()}


def _found(conn, stmt) -> tuple:
    n, lo, hi = conn.execute(stmt).one()
    return int(n or 0), lo, hi


def data_quality(conn, now: dt.datetime) -> pd.DataFrame:
    """One row per check (in ``CHECKS`` order): check, unit, count, examples (a list of up to two tickets).

    Complaint checks count complaints; ``event_*`` checks in unit "peristiwa" count events;
    ``calendar_missing_today`` is 1 when today (WITA) is not in the working-day calendar.
    """
    if conn.dialect.name == "postgresql":
        # these are long scans of simple expressions: compiling them (JIT) costs far more than it saves
        conn.execute(text("SET LOCAL jit = off"))
    found = _counted(conn, *_complaint_checks(now), complaint.c.id)
    found.update(_counted(conn, *_event_checks(now), complaint_event.c.complaint_id))

    ev = complaint_event.c
    with_events = select(ev.complaint_id).where(ev.complaint_id == complaint.c.id).exists()
    found["no_events"] = _found(conn, select(func.count(), func.min(complaint.c.id), func.max(complaint.c.id))
                                .where(~with_events))

    dispatch = func.min(case((ev.kind == "didisposisikan", ts_num(ev.occurred_at)), else_=None))
    action = func.min(case((ev.kind.in_(OPD_ACTION_KINDS), ts_num(ev.occurred_at)), else_=None))
    disorder = (select(ev.complaint_id).where(ev.kind.in_(("didisposisikan", *OPD_ACTION_KINDS)))
                .group_by(ev.complaint_id).having(action < dispatch).subquery("disorder"))
    found["events_out_of_order"] = _found(conn, select(func.count(), func.min(disorder.c.complaint_id),
                                                       func.max(disorder.c.complaint_id)))

    # duplicates: first the (complaint, time) pairs seen twice, which the index on (complaint_id, occurred_at)
    # finds without reading the table, then the kinds of just those events
    twice = (select(ev.complaint_id, ev.occurred_at).group_by(ev.complaint_id, ev.occurred_at)
             .having(func.count() > 1).subquery("twice"))
    dup = (select(ev.complaint_id, (func.count() - 1).label("extra"))
           .select_from(complaint_event.join(twice, and_(twice.c.complaint_id == ev.complaint_id,
                                                         twice.c.occurred_at == ev.occurred_at)))
           .group_by(ev.complaint_id, ev.occurred_at, ev.kind).having(func.count() > 1).subquery("dup"))
    found["event_duplicate"] = _found(conn, select(func.sum(dup.c.extra), func.min(dup.c.complaint_id),
                                                   func.max(dup.c.complaint_id)))

    today = today_wita(now)
    covered = conn.execute(select(func.count()).select_from(work_calendar)
                           .where(work_calendar.c.day == literal(today, type_=work_calendar.c.day.type))).scalar_one()
    found["calendar_missing_today"] = (0 if covered else 1, None, None)

    ids = sorted({i for _, lo, hi in found.values() for i in (lo, hi) if i is not None})
    tickets = ({i: t for i, t in conn.execute(select(complaint.c.id, complaint.c.ticket)
                                             .where(complaint.c.id.in_(ids)))} if ids else {})
    rows = []
    for name, unit in CHECKS:
        n, lo, hi = found[name]
        examples = [tickets[i] for i in dict.fromkeys((lo, hi)) if i is not None and i in tickets]
        rows.append({"check": name, "unit": unit, "count": n, "examples": examples})
    return pd.DataFrame(rows, columns=["check", "unit", "count", "examples"])


def example_complaints(conn, tickets: tuple[str, ...], title_chars: int = 300) -> pd.DataFrame:
    """The complaints with these tickets: ticket, title (its first ``title_chars`` characters), status,
    received_at. No reporter data."""
    if not tickets:
        return pd.DataFrame(columns=["ticket", "title", "status", "received_at"])
    stmt = (select(complaint.c.ticket, func.substr(complaint.c.title, 1, int(title_chars)).label("title"),
                   complaint.c.status, complaint.c.received_at)
            .where(complaint.c.ticket.in_([str(t) for t in tickets])).order_by(complaint.c.ticket))
    return read_frame(conn, stmt)
