"""The database contract as SQLAlchemy Core metadata.

Column names of the contract tables are fixed (see README, "Database contract"); columns and tables
added by this project are nullable or have defaults so that the NTB Care application can write rows
with only the contract's columns.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import operators
from sqlalchemy.sql.expression import BindParameter, ColumnElement, FunctionElement

from core.codes import OPEN_STATUSES, PAUSE_KIND

metadata = MetaData()

# BIGINT identity on PostgreSQL, INTEGER PRIMARY KEY (rowid) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")


class ts_key(FunctionElement):
    """A stored timestamp as something that orders like the instant it names.

    PostgreSQL: the column itself (``timestamptz``). SQLite: the UTC text rewritten to the one canonical form
    ``YYYY-MM-DD HH:MM:SS.ffffff``, so that every form the contract accepts (with or without a fraction of a
    second, ``T`` or a space between date and time, no suffix, ``Z`` or ``+00:00``) compares correctly with
    the others and with bound values (which SQLAlchemy writes in the canonical form).
    """

    type = DateTime(timezone=True)  # a plain type: comparing a ts_key must not wrap it again
    inherit_cache = True
    name = "ts_key"


@compiles(ts_key, "postgresql")
def _ts_key_pg(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


@compiles(ts_key, "sqlite")
def _ts_key_sqlite(element, compiler, **kw):
    col = compiler.process(element.clauses, **kw)
    core = f"replace(rtrim({col}, 'Z'), '+00:00', '')"
    return f"(replace(substr({core}, 1, 19), 'T', ' ') || '.' || substr(substr({core}, 21) || '000000', 1, 6))"


_COMPARISONS = {operators.lt, operators.le, operators.gt, operators.ge, operators.eq, operators.ne}


class UtcTimestamp(TypeDecorator):
    """``timestamptz`` on PostgreSQL, UTC text on SQLite; comparisons between stored times are made on
    ``ts_key`` so that SQLite compares instants, not strings (a boundary stored without a fraction of a second
    sorted before its own bound ``...16:00:00.000000`` as text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    class comparator_factory(TypeDecorator.Comparator):
        def operate(self, op, *other, **kwargs):
            if op in _COMPARISONS and len(other) == 1:
                return op(ts_key(self.expr), _ts_operand(other[0]))
            return super().operate(op, *other, **kwargs)

        def reverse_operate(self, op, other, **kwargs):
            if op in _COMPARISONS:
                return op(_ts_operand(other), ts_key(self.expr))
            return super().reverse_operate(op, other, **kwargs)


def _ts_operand(value):
    """The other side of a timestamp comparison: stored columns are normalised, bound values already are."""
    if isinstance(value, ColumnElement) and not isinstance(value, BindParameter):
        return ts_key(value) if isinstance(value.type, UtcTimestamp) else value
    if isinstance(value, BindParameter):
        return value
    return BindParameter(None, value, type_=UtcTimestamp(), unique=True)


Ts = UtcTimestamp()

opd = Table(
    "opd",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(16), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("short_name", String(60), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("valid_from", Date, nullable=True),
    Column("valid_to", Date, nullable=True),
    Column("successor_id", Id, ForeignKey("opd.id"), nullable=True),
)

region = Table(
    "region",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(8), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("population", Integer, nullable=True),
)

sector = Table(
    "sector",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
)

channel = Table(
    "channel",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
)

complaint = Table(
    "complaint",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("ticket", String(40), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=True),
    Column("reporter_name", String(200), nullable=True),
    Column("reporter_contact", String(200), nullable=True),
    Column("channel_id", Id, ForeignKey("channel.id"), nullable=True),
    Column("sector_id", Id, ForeignKey("sector.id"), nullable=True),
    Column("region_id", Id, ForeignKey("region.id"), nullable=True),
    Column("opd_id", Id, ForeignKey("opd.id"), nullable=True),
    Column("classification", String(30), nullable=False),
    Column("priority", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("received_at", Ts, nullable=False),
    Column("dispatched_at", Ts, nullable=True),
    Column("first_response_at", Ts, nullable=True),
    Column("resolved_at", Ts, nullable=True),
    Column("updated_at", Ts, nullable=True),
    Index("ix_complaint_received_at", "received_at"),
    Index("ix_complaint_dispatched_at", "dispatched_at"),
    # covering: the period figures read these without touching the table
    Index("ix_complaint_first_response_at", "first_response_at", "dispatched_at"),
    Index("ix_complaint_resolved_at", "resolved_at", "dispatched_at", "received_at", "classification", "status"),
    Index("ix_complaint_status", "status"),
    Index("ix_complaint_opd_id", "opd_id"),
)
# Open complaints are a small, scattered share of the table; this partial covering index lets the
# SLA queries of the wall read them without touching the table (index-only scan on PostgreSQL).
Index(
    "ix_complaint_open",
    complaint.c.status,
    complaint.c.opd_id,
    complaint.c.classification,
    complaint.c.received_at,
    complaint.c.dispatched_at,
    complaint.c.first_response_at,
    complaint.c.resolved_at,
    complaint.c.region_id,
    complaint.c.sector_id,
    complaint.c.id,
    postgresql_where=complaint.c.status.in_(OPEN_STATUSES),
    sqlite_where=complaint.c.status.in_(OPEN_STATUSES),
)

complaint_event = Table(
    "complaint_event",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("complaint_id", Id, ForeignKey("complaint.id"), nullable=False),
    Column("occurred_at", Ts, nullable=False),
    Column("kind", String(30), nullable=False),
    Column("opd_id", Id, ForeignKey("opd.id"), nullable=True),
    Column("actor", String(200), nullable=True),
    Column("note", Text, nullable=True),
    Index("ix_event_complaint", "complaint_id", "occurred_at"),
    Index("ix_event_occurred_at", "occurred_at"),
)
# Postponements are rare; this partial covering index lets the SLA clock find them (and only them) without
# reading the event table. For an existing database: deploy/pause_index.sql.
Index(
    "ix_event_pause",
    complaint_event.c.complaint_id,
    complaint_event.c.occurred_at,
    complaint_event.c.id,
    postgresql_where=complaint_event.c.kind == PAUSE_KIND,
    sqlite_where=complaint_event.c.kind == PAUSE_KIND,
)

# Added by this project: the working-day calendar that lets the database compute deadlines.
work_calendar = Table(
    "work_calendar",
    metadata,
    Column("day", Date, primary_key=True),
    Column("is_workday", Boolean, nullable=False),
    Column("wd_cum", Integer, nullable=False),  # number of working days from the first day up to and including `day`
    Column("holiday_name", String(200), nullable=True),
    CheckConstraint("wd_cum >= 0", name="ck_work_calendar_cum"),
)

# Added by this project: marks a database created by `python -m data_seed init`.
seed_meta = Table(
    "seed_meta",
    metadata,
    Column("key", String(60), primary_key=True),
    Column("value", Text, nullable=False),
)

CONTRACT_TABLES = ("opd", "region", "sector", "channel", "complaint", "complaint_event")

# PostgreSQL only: trigram indexes that let the explorer's text search (``lower(col) LIKE '%...%'``) use an
# index instead of reading every complaint. Created by ``data_seed init``; for a production database the same
# statements are in deploy/text_search_indexes.sql. Without them the search still works, only slower.
TEXT_SEARCH_DDL = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ix_complaint_title_trgm ON complaint USING gin (lower(title) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS ix_complaint_body_trgm ON complaint USING gin (lower(body) gin_trgm_ops)",
)
