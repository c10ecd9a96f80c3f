"""The alert worker's own tables (outbox, notified items, cursors, heartbeat, lock lease).

They are not part of the database contract: the worker (``python -m alerts``) creates and writes them, the
dashboard reads them (page `notifikasi`, the wall's mark) and may only put a failed notice back to pending
("Kirim ulang"). On PostgreSQL they live in their own schema, ``ntbcare_alerts`` (``deploy/alerts_role.sql``
creates it with the worker's role), on SQLite in the same file as the complaints (tables named ``alerts_*``
either way). Every table is declared under the placeholder schema ``ALERTS_SCHEMA``; ``alerts_conn`` maps it to
the real schema on PostgreSQL and to none on SQLite (SQLAlchemy's ``schema_translate_map``).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
)

ALERTS_SCHEMA = "ntbcare_alerts"  # on PostgreSQL; SQLite: no schema
alerts_metadata = MetaData(schema=ALERTS_SCHEMA)
Id = BigInteger().with_variant(Integer(), "sqlite")
Ts = DateTime(timezone=True)

# One row per notice to one target. Written before sending, marked after: pending -> sending -> sent, or back
# to pending with a backoff after a failed attempt, and failed once retried for NTBCARE_ALERTS_RETRY_FOR_H
# (an admin may put it back to pending: "Kirim ulang"); ``demo``: no target configured, kept in the outbox only.
outbox = Table(
    "alerts_outbox",
    alerts_metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("idem_key", String(400), nullable=False, unique=True),  # rule|complaint|stage|target|day
    Column("rule", String(40), nullable=False),
    Column("target", String(120), nullable=False),  # target name (group:n), never the URL
    Column("lang", String(5), nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("attachment_name", String(200), nullable=True),
    Column("attachment", LargeBinary, nullable=True),
    Column("status", String(12), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Column("created_at", Ts, nullable=False),
    Column("next_attempt_at", Ts, nullable=False),
    Column("claimed_at", Ts, nullable=True),
    Column("claimed_by", String(80), nullable=True),  # the worker that marked it sending
    Column("first_failed_at", Ts, nullable=True),  # retries run for NTBCARE_ALERTS_RETRY_FOR_H from here
    Column("sent_at", Ts, nullable=True),
    Index("ix_alerts_outbox_due", "status", "next_attempt_at"),
)

# What each notice was about: one row per (rule, complaint, stage, target), so a stage is announced once.
notified = Table(
    "alerts_notified",
    alerts_metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("rule", String(40), nullable=False),
    Column("complaint_id", Id, nullable=False),
    Column("stage", String(40), nullable=False),
    Column("target", String(120), nullable=False),
    Column("day", String(10), nullable=False),
    Column("outbox_id", Id, nullable=True),
    UniqueConstraint("rule", "complaint_id", "stage", "target", name="uq_alerts_notified"),
)

cursor = Table(
    "alerts_cursor",
    alerts_metadata,
    Column("name", String(60), primary_key=True),
    Column("value", Text, nullable=False),
    Column("updated_at", Ts, nullable=False),
)

heartbeat = Table(
    "alerts_heartbeat",
    alerts_metadata,
    Column("worker_id", String(80), primary_key=True),
    Column("host", String(120), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("role", String(12), nullable=False),  # active (holds the lock) | standby
    Column("demo", Integer, nullable=False, default=0),
    Column("started_at", Ts, nullable=False),
    Column("beat_at", Ts, nullable=False),
    Column("cycle_ms", Integer, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("skew_s", Float, nullable=True),  # the worker's clock minus the database's, at its last cycle
)

# SQLite has no advisory locks: the active worker holds a lease it renews every cycle.
lease = Table(
    "alerts_lease",
    alerts_metadata,
    Column("name", String(40), primary_key=True),
    Column("owner", String(80), nullable=False),
    Column("expires_at", Ts, nullable=False),
)

TABLES = (outbox, notified, cursor, heartbeat, lease)
TABLE_NAMES = tuple(t.name for t in TABLES)
STATUSES = ("pending", "sending", "failed", "sent", "demo")


def schema_for(dialect_name: str) -> str | None:
    return ALERTS_SCHEMA if dialect_name == "postgresql" else None


def alerts_conn(conn):
    """``conn`` with the placeholder schema mapped to this database's (returns a connection to use)."""
    return conn.execution_options(schema_translate_map={ALERTS_SCHEMA: schema_for(conn.dialect.name)})


def tables_exist(conn) -> bool:
    """Whether the worker has created its tables here (a database without a worker has none)."""
    return inspect(conn).has_table(heartbeat.name, schema=schema_for(conn.dialect.name))
