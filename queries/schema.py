"""The database contract as SQLAlchemy Core metadata.

Column names of the contract tables are fixed (see README, "Database contract"); columns and tables
added by this project are nullable or have defaults so that the NTB Care application can write rows
with only the contract's columns.
"""
from __future__ import annotations

from sqlalchemy import (
    BigInteger, Boolean, CheckConstraint, Column, Date, DateTime, Float, ForeignKey, Index, Integer,
    MetaData, String, Table, Text,
)

metadata = MetaData()

# BIGINT identity on PostgreSQL, INTEGER PRIMARY KEY (rowid) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")
Ts = DateTime(timezone=True)

opd = Table(
    "opd", metadata,
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
    "region", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(8), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("population", Integer, nullable=True),
)

sector = Table(
    "sector", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
)

channel = Table(
    "channel", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("code", String(40), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
)

complaint = Table(
    "complaint", metadata,
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
_OPEN = ("diterima", "terdisposisi", "diproses", "ditunda")
Index(
    "ix_complaint_open", complaint.c.status, complaint.c.opd_id, complaint.c.classification,
    complaint.c.received_at, complaint.c.dispatched_at, complaint.c.first_response_at,
    complaint.c.resolved_at, complaint.c.region_id, complaint.c.sector_id, complaint.c.id,
    postgresql_where=complaint.c.status.in_(_OPEN), sqlite_where=complaint.c.status.in_(_OPEN),
)

complaint_event = Table(
    "complaint_event", metadata,
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

# Added by this project: the working-day calendar that lets the database compute deadlines.
work_calendar = Table(
    "work_calendar", metadata,
    Column("day", Date, primary_key=True),
    Column("is_workday", Boolean, nullable=False),
    Column("wd_cum", Integer, nullable=False),  # number of working days from the first day up to and including `day`
    Column("holiday_name", String(200), nullable=True),
    CheckConstraint("wd_cum >= 0", name="ck_work_calendar_cum"),
)

# Added by this project: marks a database created by `python -m data_seed init`.
seed_meta = Table(
    "seed_meta", metadata,
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
