"""Figures kept by the summary worker (``python -m summaries``) for every viewer and every app process.

Some figures cost a full pass over ten million complaints (``kualitas-data``: a minute). They are not live
figures, so the worker computes them with the plain query every ``NTBCARE_SUMMARY_INTERVAL`` seconds and
stores the answer here; a page reads the stored answer (milliseconds) while it is younger than twice the
interval, and computes the figure itself otherwise (no worker, a stopped worker, a new database). What is
stored is rebuilt from the contract's rows alone on every run, so an update of an old row is in it after one
interval, and it lives in the database (it survives a restart, and replicates to a hot standby).

The table lives in the monitor's own schema ``ntbcare_monitor`` on PostgreSQL (``deploy/summaries.sql``
creates it for the worker's role and lets the dashboard's read-only role read it); SQLite has no schemas and
keeps it in the same file. It is declared under the placeholder schema and mapped with
``schema_translate_map``, as the alert worker's tables are.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import Column, MetaData, String, Table, Text, delete, insert, inspect, select, text

from queries._sql import utc
from queries.schema import Ts

SUMMARY_SCHEMA = "ntbcare_monitor"  # on PostgreSQL; SQLite: no schema
summary_metadata = MetaData(schema=SUMMARY_SCHEMA)

stored_figure = Table(
    "monitor_stored_figure",
    summary_metadata,
    Column("name", String(100), primary_key=True),
    Column("computed_at", Ts, nullable=False),  # the ``now`` the figure was computed for
    Column("payload", Text, nullable=False),  # the DataFrame, pandas "split" layout as JSON
)


def schema_for(dialect_name: str) -> str | None:
    return SUMMARY_SCHEMA if dialect_name == "postgresql" else None


def summary_conn(conn):
    """``conn`` with the placeholder schema mapped to this database's."""
    return conn.execution_options(schema_translate_map={SUMMARY_SCHEMA: schema_for(conn.dialect.name)})


def store_exists(conn) -> bool:
    """Whether the store is here and this role may read it (a role without the grant reads the plain figure)."""
    if conn.dialect.name != "postgresql":
        return inspect(conn).has_table(stored_figure.name)
    readable = conn.execute(
        text(
            "SELECT has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT') "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = :s AND c.relname = :t"
        ),
        {"s": SUMMARY_SCHEMA, "t": stored_figure.name},
    ).scalar()
    return bool(readable)


def create_store(conn) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {SUMMARY_SCHEMA}")
    summary_metadata.create_all(summary_conn(conn), checkfirst=True)


def write_figure(conn, name: str, computed_at: dt.datetime, df: pd.DataFrame) -> None:
    """Replace the stored ``name`` (in the caller's transaction)."""
    payload = json.dumps(df.to_dict(orient="split"), default=str)
    c = summary_conn(conn)
    c.execute(delete(stored_figure).where(stored_figure.c.name == name))
    c.execute(insert(stored_figure).values(name=name, computed_at=utc(computed_at), payload=payload))


def read_figure(conn, name: str, now: dt.datetime, max_age: dt.timedelta) -> tuple[pd.DataFrame, dt.datetime] | None:
    """The stored figure and the time it was computed for, or None when absent or older than ``max_age``."""
    if not store_exists(conn):
        return None
    row = (
        summary_conn(conn)
        .execute(select(stored_figure.c.computed_at, stored_figure.c.payload).where(stored_figure.c.name == name))
        .first()
    )
    if row is None:
        return None
    computed_at = pd.Timestamp(row.computed_at)
    computed_at = (computed_at.tz_localize("UTC") if computed_at.tzinfo is None else computed_at).to_pydatetime()
    if not (utc(now) - max_age <= computed_at <= utc(now) + dt.timedelta(minutes=1)):
        return None
    d = json.loads(row.payload)
    return pd.DataFrame(d["data"], columns=d["columns"]), computed_at
