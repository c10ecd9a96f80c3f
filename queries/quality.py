"""Data quality: counts of what looks wrong in the complaint data, for the admins' panel.

One function, ``data_quality``: one row per check with the number of complaints (or events) it finds and
up to two example tickets (those of the smallest and the largest complaint id found, read in the same pass).
One pass over the complaints and one over the events (see ``data_quality``), plus two tiny look-ups.
Nothing here needs an index of its own.

Timestamps on SQLite are UTC text; comparisons between two columns go through ``julianday`` there so that
a value written with and one without microseconds still compare as the instants they are. Text in a form
the contract does not allow is counted (``time_format``, ``event_time_format``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Boolean, Float, and_, case, func, literal, literal_column, or_, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from core.codes import CLASSIFICATIONS, EVENT_KINDS, PRIORITIES, STATUSES
from core.settings import value
from core.textsafe import FORMULA_START
from core.timefmt import wita_day_bounds
from queries._sql import FUTURE_TOLERANCE, count_if, read_frame, utc
from queries.schema import complaint, complaint_event, opd, work_calendar
from queries.sla_sql import today_wita
from queries.summary_store import read_figure

LARGE_BODY_BYTES = 20 * 1024
DISPATCHED_STATUSES = ("terdisposisi", "diproses")
OPD_ACTION_KINDS = ("dialihkan", "ditanggapi", "diselesaikan")

# (check, unit): the order of the rows. unit "aduan" counts complaints, "peristiwa" events, "kalender" days.
CHECKS = (
    ("unknown_classification", "aduan"),
    ("unknown_priority", "aduan"),
    ("unknown_status", "aduan"),
    ("no_sector", "aduan"),
    ("no_region", "aduan"),
    ("no_channel", "aduan"),
    ("dispatched_without_opd", "aduan"),
    ("unknown_opd", "aduan"),
    ("status_without_time", "aduan"),
    ("future_time", "aduan"),
    ("before_receipt", "aduan"),
    ("response_before_dispatch", "aduan"),
    ("large_body", "aduan"),
    ("formula_title", "aduan"),
    ("empty_title", "aduan"),
    ("no_events", "aduan"),
    ("event_before_receipt", "aduan"),
    ("events_out_of_order", "aduan"),
    ("event_unknown_kind", "peristiwa"),
    ("event_future", "peristiwa"),
    ("event_duplicate", "peristiwa"),
    ("outside_calendar", "aduan"),
    ("calendar_missing_today", "kalender"),
    ("time_format", "aduan"),
    ("event_time_format", "peristiwa"),
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


class ts_form_bad(FunctionElement):
    """A stored time in a form the contract does not allow (README, "Database contract").

    PostgreSQL stores ``timestamptz``: never. SQLite: not text of the form ``YYYY-MM-DD HH:MM:SS`` with an
    optional fraction of 1 to 6 digits, ``T`` or a space in the middle, and an optional ``Z`` or ``+00:00``.
    """

    type = Boolean()
    inherit_cache = True
    name = "ts_form_bad"


_TS_BASE = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][ T][0-9][0-9]:[0-9][0-9]:[0-9][0-9]"


@compiles(ts_form_bad, "postgresql")
def _ts_form_bad_pg(element, compiler, **kw):
    return "false"


@compiles(ts_form_bad, "sqlite")
def _ts_form_bad_sqlite(element, compiler, **kw):
    x = compiler.process(element.clauses, **kw)
    core = f"replace(rtrim({x}, 'Z'), '+00:00', '')"
    ok = (
        f"(typeof({x}) = 'text' AND ({core} GLOB '{_TS_BASE}' OR ({core} GLOB '{_TS_BASE}.[0-9]*' "
        f"AND length({core}) <= 26 AND substr({core}, 21) NOT GLOB '*[^0-9]*')))"
    )
    return f"({x} IS NOT NULL AND NOT {ok})"


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


def _calendar_span(conn, today: dt.date) -> tuple:
    """First and last day of the working-day calendar, and whether ``today`` is in it."""
    cal = work_calendar.c
    first, last, has_today = conn.execute(
        select(
            func.min(cal.day), func.max(cal.day), count_if(cal.day == literal(today, type_=work_calendar.c.day.type))
        )
    ).one()
    as_date = lambda v: v if isinstance(v, dt.date) or v is None else dt.date.fromisoformat(str(v)[:10])
    return as_date(first), as_date(last), bool(has_today)


def _complaint_checks(now: dt.datetime, first_day: dt.date | None, last_day: dt.date | None):
    """(source, {check: condition on a row}) over complaint ⟕ opd.

    The calendar is written day by day without gaps, so a date is in it when it lies between its first and
    last day: compared as UTC instants (midnight WITA), which costs no date arithmetic per row."""
    c = complaint.c
    cutoff = utc(now) + FUTURE_TOLERANCE
    known_opd = opd.alias("known_opd")
    src = complaint.outerjoin(known_opd, known_opd.c.id == c.opd_id)
    times = (c.received_at, c.dispatched_at, c.first_response_at, c.resolved_at, c.updated_at)
    dated = (c.received_at, c.dispatched_at, c.first_response_at, c.resolved_at)
    if first_day is None or last_day is None:
        outside = or_(*(t.is_not(None) for t in dated))
    else:
        lo, hi = wita_day_bounds(first_day, last_day)
        outside = or_(*(or_(t < lo, t >= hi) for t in dated))
    return src, {
        "unknown_classification": c.classification.not_in(CLASSIFICATIONS),
        "unknown_priority": c.priority.not_in(PRIORITIES),
        "unknown_status": c.status.not_in(STATUSES),
        "no_sector": c.sector_id.is_(None),
        "no_region": c.region_id.is_(None),
        "no_channel": c.channel_id.is_(None),
        "dispatched_without_opd": and_(c.status.in_(DISPATCHED_STATUSES), c.opd_id.is_(None)),
        "unknown_opd": and_(c.opd_id.is_not(None), known_opd.c.id.is_(None)),
        "status_without_time": or_(
            and_(c.status.in_(DISPATCHED_STATUSES), c.dispatched_at.is_(None)),
            and_(c.status == "selesai", c.resolved_at.is_(None)),
        ),
        "future_time": or_(*(t > cutoff for t in times)),
        "before_receipt": or_(
            *(_before(t, c.received_at) for t in (c.dispatched_at, c.first_response_at, c.resolved_at))
        ),
        "response_before_dispatch": _before(c.first_response_at, c.dispatched_at),
        "large_body": byte_length(c.body) > LARGE_BODY_BYTES,
        "formula_title": func.substr(c.title, 1, 1).in_(FORMULA_START),
        "empty_title": func.trim(c.title) == "",
        "outside_calendar": outside,
        "time_format": or_(*(ts_form_bad(t) for t in times)),
    }


def _event_summary(now: dt.datetime):
    """Per complaint with events: unknown-kind and future events, first event, first dispatch, and first OPD
    action (re-dispatch, response, completion)."""
    ev = complaint_event.c
    return (
        select(
            ev.complaint_id,
            count_if(ev.kind.not_in(EVENT_KINDS)).label("unknown_kind"),
            count_if(ev.occurred_at > utc(now) + FUTURE_TOLERANCE).label("future"),
            count_if(ts_form_bad(ev.occurred_at)).label("bad_form"),
            func.min(ts_num(ev.occurred_at)).label("first_at"),
            func.min(case((ev.kind == "didisposisikan", ts_num(ev.occurred_at)), else_=None)).label("first_dispatch"),
            func.min(case((ev.kind.in_(OPD_ACTION_KINDS), ts_num(ev.occurred_at)), else_=None)).label("first_action"),
        )
        .group_by(ev.complaint_id)
        .subquery("ev")
    )


def _duplicates(conn) -> list:
    """[events repeating an earlier one (same complaint, kind and time), smallest and largest complaint id].

    First the (complaint, time) pairs seen more than once, which the index on (complaint_id, occurred_at)
    yields without reading the table; then the kinds of just those events."""
    ev = complaint_event.c
    twice = (
        select(ev.complaint_id, ev.occurred_at)
        .group_by(ev.complaint_id, ev.occurred_at)
        .having(func.count() > 1)
        .subquery("twice")
    )
    dup = (
        select(ev.complaint_id, (func.count() - 1).label("extra"))
        .select_from(
            complaint_event.join(
                twice, and_(twice.c.complaint_id == ev.complaint_id, twice.c.occurred_at == ev.occurred_at)
            )
        )
        .group_by(ev.complaint_id, ev.occurred_at, ev.kind)
        .having(func.count() > 1)
        .subquery("dup")
    )
    n, lo, hi = conn.execute(
        select(func.sum(dup.c.extra), func.min(dup.c.complaint_id), func.max(dup.c.complaint_id))
    ).one()
    return [int(n or 0), lo, hi]


def data_quality(conn, now: dt.datetime, timeout: str = "120s") -> pd.DataFrame:
    """One row per check (in ``CHECKS`` order): check, unit, count, examples (a list of up to two tickets).

    Complaint checks count complaints; the checks in unit "peristiwa" count events;
    ``calendar_missing_today`` is 1 when today (WITA) is not in the working-day calendar.

    One statement reads it all: every complaint (with the calendar day of each of its dates) joined to its
    event summary. Each complaint's checks are folded into one number (bit i set when check i holds) and the
    complaints are grouped by it, so every condition is evaluated once per complaint and only a handful of
    groups (most complaints have no finding) come back to be added up here. ``timeout``: the statement
    timeout of the pass on PostgreSQL ("0": none, for the summary worker).
    """
    if conn.dialect.name == "postgresql":
        # Long scans of simple expressions: compiling them (JIT) costs far more than it saves, and a parallel
        # plan would build the event summary once per worker. One core, for an admin's page, is enough.
        # It may also run longer than the app's statement timeout, which is set for the wall's queries.
        conn.execute(text("SET LOCAL jit = off"))
        conn.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
        conn.execute(text("SELECT set_config('statement_timeout', :t, true)"), {"t": timeout})
    first_day, last_day, has_today = _calendar_span(conn, today_wita(now))
    src, checks = _complaint_checks(now, first_day, last_day)
    ev = _event_summary(now)
    src = src.outerjoin(ev, ev.c.complaint_id == complaint.c.id)
    checks.update(
        {
            "no_events": ev.c.complaint_id.is_(None),
            "event_before_receipt": ev.c.first_at < ts_num(complaint.c.received_at),
            "events_out_of_order": ev.c.first_action < ev.c.first_dispatch,
            "event_unknown_kind": ev.c.unknown_kind > 0,
            "event_future": ev.c.future > 0,
            "event_time_format": ev.c.bad_form > 0,
        }
    )
    events_counted = {
        "event_unknown_kind": ev.c.unknown_kind,
        "event_future": ev.c.future,
        "event_time_format": ev.c.bad_form,
    }  # the rest: complaints
    names = list(checks)
    mask: Any = sum(  # one bit per check, summed in SQL
        (
            case((cond, literal_column(str(1 << i))), else_=literal_column("0"))
            for i, cond in enumerate(checks.values())
        ),
        literal_column("0"),
    )
    sums = [func.coalesce(func.sum(col), 0).label(f"{name}__events") for name, col in events_counted.items()]
    stmt = (
        select(
            mask.label("mask"),
            func.count().label("n"),
            func.min(complaint.c.id).label("lo"),
            func.max(complaint.c.id).label("hi"),
            *sums,
        )
        .select_from(src)
        .group_by(mask)
    )
    found: dict[str, list[Any]] = {name: [0, None, None] for name in names}
    for row in conn.execute(stmt).mappings():
        for i, name in enumerate(names):
            if int(row["mask"]) >> i & 1:
                f = found[name]
                f[0] += int(row[f"{name}__events"] if name in events_counted else row["n"])
                f[1] = row["lo"] if f[1] is None else min(f[1], row["lo"])
                f[2] = row["hi"] if f[2] is None else max(f[2], row["hi"])

    found["event_duplicate"] = _duplicates(conn)
    found["calendar_missing_today"] = [0 if has_today else 1, None, None]

    ids = sorted({i for _, lo, hi in found.values() for i in (lo, hi) if i is not None})
    tickets = (
        {i: t for i, t in conn.execute(select(complaint.c.id, complaint.c.ticket).where(complaint.c.id.in_(ids)))}
        if ids
        else {}
    )
    rows = []
    for name, unit in CHECKS:
        n, lo, hi = found[name]
        examples = [tickets[i] for i in dict.fromkeys((lo, hi)) if i is not None and i in tickets]
        rows.append({"check": name, "unit": unit, "count": n, "examples": examples})
    return pd.DataFrame(rows, columns=["check", "unit", "count", "examples"])


STORED_NAME = "quality.data_quality"


def data_quality_stored(conn, now: dt.datetime) -> pd.DataFrame:
    """``data_quality`` as the summary worker last computed it (``queries/summary_store.py``) while that is
    younger than twice ``NTBCARE_SUMMARY_INTERVAL``; else computed here and now. At ten million complaints
    the pass takes about a minute; the stored answer is read in milliseconds."""
    max_age = dt.timedelta(seconds=2 * value("NTBCARE_SUMMARY_INTERVAL"))
    got = read_figure(conn, STORED_NAME, now, max_age)
    return got[0] if got is not None else data_quality(conn, now)


def example_complaints(conn, tickets: tuple[str, ...], title_chars: int = 300) -> pd.DataFrame:
    """The complaints with these tickets: ticket, title (its first ``title_chars`` characters), status,
    received_at. No reporter data."""
    if not tickets:
        return pd.DataFrame(columns=["ticket", "title", "status", "received_at"])
    stmt = (
        select(
            complaint.c.ticket,
            func.substr(complaint.c.title, 1, int(title_chars)).label("title"),
            complaint.c.status,
            complaint.c.received_at,
        )
        .where(complaint.c.ticket.in_([str(t) for t in tickets]))
        .order_by(complaint.c.ticket)
    )
    return read_frame(conn, stmt)
