"""The alert worker's own tables (outbox, notified items, cursors, heartbeat, lock lease) and the reads over them.

The tables are not part of the database contract: the worker (``python -m alerts``) creates and writes them,
the dashboard only reads them (page `notifikasi`, the wall's heartbeat mark). On PostgreSQL they live in
their own schema, ``ntbcare_alerts`` (``deploy/alerts_role.sql`` creates it with the worker's role), on SQLite
in the same file as the complaints (SQLite has no schemas: the tables are named ``alerts_*`` either way).

Every table is declared under the placeholder schema ``ALERTS_SCHEMA``; ``alerts_conn`` maps it to the real
schema on PostgreSQL and to none on SQLite (SQLAlchemy's ``schema_translate_map``).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    case,
    func,
    inspect,
    select,
)

from queries._sql import read_frame

ALERTS_SCHEMA = "ntbcare_alerts"  # on PostgreSQL; SQLite: no schema
alerts_metadata = MetaData(schema=ALERTS_SCHEMA)
Id = BigInteger().with_variant(Integer(), "sqlite")
Ts = DateTime(timezone=True)

# One row per notice to one target. Written before sending, marked after: pending -> sending -> sent | failed;
# ``demo``: no target configured, kept in the outbox only.
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
STATUSES = ("pending", "sending", "sent", "failed", "demo")


def schema_for(dialect_name: str) -> str | None:
    return ALERTS_SCHEMA if dialect_name == "postgresql" else None


def alerts_conn(conn):
    """``conn`` with the placeholder schema mapped to this database's (returns a connection to use)."""
    return conn.execution_options(schema_translate_map={ALERTS_SCHEMA: schema_for(conn.dialect.name)})


def tables_exist(conn) -> bool:
    """Whether the worker has created its tables here (a database without a worker has none)."""
    return inspect(conn).has_table(heartbeat.name, schema=schema_for(conn.dialect.name))


def worker_heartbeat(conn) -> pd.DataFrame:
    """One row per worker that ever reported: worker, host, pid, role, demo, started_at, beat_at, cycle_ms,
    last_error. Empty when no worker has created its tables."""
    cols = ["worker", "host", "pid", "role", "demo", "started_at", "beat_at", "cycle_ms", "last_error"]
    if not tables_exist(conn):
        return pd.DataFrame(columns=cols)
    c = alerts_conn(conn)
    # labelled "worker": read_frame would take a column ending in _id for a number
    return read_frame(
        c,
        select(heartbeat.c.worker_id.label("worker"), *(heartbeat.c[n] for n in cols[1:])).order_by(
            heartbeat.c.beat_at.desc()
        ),
    )


def outbox_counts(conn) -> pd.DataFrame:
    """Outbox rows per rule and status: rule, status, n, oldest created_at."""
    if not tables_exist(conn):
        return pd.DataFrame(columns=["rule", "status", "n", "oldest_at"])
    c = alerts_conn(conn)
    return read_frame(
        c,
        select(
            outbox.c.rule, outbox.c.status, func.count().label("n"), func.min(outbox.c.created_at).label("oldest_at")
        )
        .group_by(outbox.c.rule, outbox.c.status)
        .order_by(outbox.c.rule, outbox.c.status),
    )


def outbox_rows(conn, status: tuple[str, ...] = (), limit: int = 200) -> pd.DataFrame:
    """The newest outbox rows (without attachments): id, rule, target, status, attempts, last_error, title,
    created_at, next_attempt_at, sent_at. Failed and pending first, then newest."""
    cols = [
        "id",
        "rule",
        "target",
        "lang",
        "status",
        "attempts",
        "last_error",
        "title",
        "body",
        "attachment_name",
        "created_at",
        "next_attempt_at",
        "sent_at",
    ]
    if not tables_exist(conn):
        return pd.DataFrame(columns=cols)
    c = alerts_conn(conn)
    order = case((outbox.c.status == "failed", 0), (outbox.c.status.in_(("pending", "sending")), 1), else_=2)
    stmt = select(*(outbox.c[n] for n in cols))
    if status:
        stmt = stmt.where(outbox.c.status.in_(status))
    return read_frame(c, stmt.order_by(order, outbox.c.id.desc()).limit(int(limit)))


def heartbeat_age_s(conn, now: dt.datetime) -> float | None:
    """Seconds since the newest heartbeat of any worker; None when no worker ever reported."""
    hb = worker_heartbeat(conn)
    if hb.empty:
        return None
    return max(0.0, (now - hb["beat_at"].max().to_pydatetime()).total_seconds())


# --- what the worker watches in the contract's tables (read-only) ------------------------------------------
def max_complaint_id(conn) -> int:
    from queries.schema import complaint

    return int(conn.execute(select(func.coalesce(func.max(complaint.c.id), 0))).scalar_one())


def new_urgent(conn, after_id: int, recent_since: dt.datetime, floor_id: int, limit: int = 500) -> pd.DataFrame:
    """Complaints with priority mendesak newer than the cursor (``id > after_id``) or received since
    ``recent_since`` (a transaction that committed late, with a lower id) but never older than ``floor_id``.
    Columns: id, ticket, title, body, received_at, classification, status, opd_code, opd, sector, region,
    channel. No reporter data."""
    from sqlalchemy import union

    from queries._sql import opd_rollup, utc
    from queries.schema import channel, complaint, region, sector

    eff = opd_rollup(True)
    # two index range scans (primary key, received_at) instead of one OR that a planner may read as a full scan
    candidates = union(
        select(complaint.c.id).where(complaint.c.id > int(max(after_id, floor_id))),
        select(complaint.c.id).where(complaint.c.received_at >= utc(recent_since), complaint.c.id > int(floor_id)),
    ).subquery("candidates")
    candidates = select(candidates.c.id)
    stmt = (
        select(
            complaint.c.id,
            complaint.c.ticket,
            complaint.c.title,
            complaint.c.body,
            complaint.c.received_at,
            complaint.c.classification,
            complaint.c.status,
            eff.c.eff_code.label("opd_code"),
            eff.c.eff_short_name.label("opd"),
            sector.c.name.label("sector"),
            region.c.name.label("region"),
            channel.c.name.label("channel"),
        )
        .select_from(
            complaint.outerjoin(eff, eff.c.opd_id == complaint.c.opd_id)
            .outerjoin(sector, sector.c.id == complaint.c.sector_id)
            .outerjoin(region, region.c.id == complaint.c.region_id)
            .outerjoin(channel, channel.c.id == complaint.c.channel_id)
        )
        .where(complaint.c.id.in_(candidates), complaint.c.priority == "mendesak")
        .order_by(complaint.c.id)
        .limit(int(limit))
    )
    return read_frame(conn, stmt)


STAGES = ("dispatch", "response", "completion")


def late_stages(conn, now: dt.datetime, rules) -> pd.DataFrame:
    """Every running stage of an open complaint that is at risk or breached now, one row per stage.

    Columns: id, ticket, title, opd_code, opd (reporting OPD: merged units under their successor; NULL
    when not dispatched), priority, stage, state (at_risk | breached), deadline, late_wd."""
    from queries.schema import complaint
    from queries.sla_sql import OPEN_STATUSES, complaint_sla

    sla = complaint_sla(
        rules, now, [complaint.c.status.in_(OPEN_STATUSES)], rollup=True, with_deadlines=True
    ).subquery()
    cols = [
        sla.c.id,
        sla.c.ticket,
        complaint.c.title,
        sla.c.eff_code.label("opd_code"),
        sla.c.eff_short_name.label("opd"),
        sla.c.priority,
    ]
    for s in STAGES:
        cols += [sla.c[f"{s}_state"], sla.c[f"{s}_late_by"], sla.c[f"{s}_deadline"]]
    df = read_frame(
        conn,
        select(*cols)
        .select_from(sla.join(complaint, complaint.c.id == sla.c.id))
        .where(sla.c.sla_state.in_(("at_risk", "breached"))),
    )
    parts = []
    for s in STAGES:
        part = df[df[f"{s}_state"].isin(("at_risk", "breached"))]
        parts.append(
            pd.DataFrame(
                {
                    "id": part["id"],
                    "ticket": part["ticket"],
                    "title": part["title"],
                    "opd_code": part["opd_code"],
                    "opd": part["opd"],
                    "priority": part["priority"],
                    "stage": s,
                    "state": part[f"{s}_state"],
                    "deadline": part[f"{s}_deadline"],
                    "late_wd": part[f"{s}_late_by"],
                }
            )
        )
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return out.sort_values(
        ["opd_code", "late_wd", "ticket"], ascending=[True, False, True], na_position="last", kind="stable"
    ).reset_index(drop=True)
