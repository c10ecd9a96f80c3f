"""Creating the schema and bulk-loading DataFrames (COPY on PostgreSQL, executemany on SQLite)."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from sqlalchemy import Table, delete, inspect, select, text
from sqlalchemy.engine import Connection, Engine

from alerts.tables import TABLE_NAMES as ALERT_TABLES
from core.sla import build_calendar
from queries import schema


class SeedError(Exception):
    """A refusal or failure of data_seed, with a one-line message for the user."""


SEED_MARK = "data_seed"


def created_by_seed(conn: Connection) -> bool:
    """True when the database carries the mark of `python -m data_seed init`."""
    if not inspect(conn).has_table("seed_meta"):
        return False
    row = conn.execute(select(schema.seed_meta.c.value).where(schema.seed_meta.c.key == "created_by")).first()
    return bool(row and row[0] == SEED_MARK)


def prepare_empty_database(engine: Engine, reset: bool) -> None:
    """Refuse a non-empty database unless --reset and it was created by data_seed; then drop our tables."""
    with engine.begin() as conn:
        existing = set(inspect(conn).get_table_names())
        ours = {t.name for t in schema.metadata.sorted_tables}
        alert_tables = set(ALERT_TABLES) & existing  # the alert worker's tables in the demo file (SQLite)
        ours |= alert_tables
        if not existing:
            return
        if not reset:
            raise SeedError("Basis data tidak kosong; gunakan --reset untuk membuat ulang data demo.")
        if not created_by_seed(conn):
            raise SeedError("Basis data ini tidak dibuat oleh data_seed; --reset menolak menghapusnya.")
        foreign = existing - ours
        if foreign:
            raise SeedError(f"Basis data berisi tabel lain ({', '.join(sorted(foreign))}); tidak ada yang dihapus.")
        schema.metadata.drop_all(conn)
        for name in alert_tables:
            conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')


def create_schema(conn: Connection) -> None:
    schema.metadata.create_all(conn)


def write_calendar(conn: Connection, last: dt.date | None = None, overrides_path: str = "") -> int:
    """(Re)write the working-day calendar table; returns the number of days."""
    rows = [
        {"day": d.day, "is_workday": d.is_workday, "wd_cum": d.wd_cum, "holiday_name": d.holiday_name}
        for d in build_calendar(last=last, overrides_path=overrides_path)
    ]
    conn.execute(delete(schema.work_calendar))
    conn.execute(schema.work_calendar.insert(), rows)
    return len(rows)


def bulk_insert(conn: Connection, table: Table, df: pd.DataFrame) -> None:
    """Insert every row of ``df`` (columns named as the table's) as fast as the backend allows."""
    if df.empty:
        return
    if conn.dialect.name == "postgresql":
        copy_csv(conn, table, list(df.columns), to_csv_buffer(df))
    else:
        records = df.astype(object).where(df.notna(), None).to_dict("records")
        for rec in records:
            for k, v in rec.items():
                if isinstance(v, pd.Timestamp):
                    rec[k] = v.to_pydatetime()
        conn.execute(table.insert(), records)


def to_csv_buffer(df: pd.DataFrame) -> io.BytesIO:
    """The rows of ``df`` as CSV for PostgreSQL's COPY (NULL unquoted empty, text always quoted)."""
    return io.BytesIO(csv_bytes(df))


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV written by Arrow in C++; timestamps in UTC as naive text (COPY runs with the time zone UTC)."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    for k, field in enumerate(table.schema):
        if pa.types.is_timestamp(field.type):  # zoned timestamps are formatted per value, 40x slower
            table = table.set_column(k, field.name, pc.cast(table.column(k), pa.timestamp("s")))
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return sink.getvalue()


def copy_csv(conn: Connection, table: Table, columns: list[str], buf: io.BytesIO, freeze: bool = False) -> None:
    """COPY a CSV buffer (from ``csv_bytes``) into ``table`` (PostgreSQL); names come from our metadata."""
    known = set(table.c.keys())
    if not set(columns) <= known:
        raise ValueError(f"unknown columns for {table.name}: {set(columns) - known}")
    cur = conn.connection.dbapi_connection.cursor()
    try:
        cur.execute("SET LOCAL TIME ZONE 'UTC'")
        options = "FORMAT csv, FREEZE" if freeze else "FORMAT csv"
        cur.copy_expert(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN WITH ({options})", buf, size=1 << 20)
    finally:
        cur.close()


def reset_sequences(conn: Connection) -> None:
    """After loading explicit ids on PostgreSQL, move the id sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for t in ("opd", "region", "sector", "channel", "complaint", "complaint_event"):
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"
            )
        )
