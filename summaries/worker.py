"""``python -m summaries run|rebuild``: compute the stored figures from the contract's rows and keep them.

``indexes`` creates the covering indexes of ``deploy/scale_indexes.sql`` (PostgreSQL, as the tables' owner).
``rebuild`` computes every figure once with its plain query and stores it (``queries/summary_store.py``);
``run`` does that at start and then every ``NTBCARE_SUMMARY_INTERVAL`` seconds, until stopped. Run it on the
primary with a role that owns schema ``ntbcare_monitor`` (``deploy/summaries.sql``). Nothing is kept between
runs but the answers: a restart, a failover to the standby (the table is replicated) or an edit of an old
complaint by the NTB Care application need nothing from the operator; the next run sees the rows as they are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import re
import signal
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from core.engine import DatabaseConfigError, make_engine, redact
from core.settings import SettingError, database_url, value
from queries import quality
from queries.summary_store import create_store, write_figure

log = logging.getLogger("summaries")
INDEX_SQL = Path(__file__).resolve().parent.parent / "deploy" / "scale_indexes.sql"

# name -> the plain query (conn, now) -> DataFrame; the page reads it back under the same name
FIGURES = {quality.STORED_NAME: lambda conn, now: quality.data_quality(conn, now, timeout="0")}


def rebuild(engine, now: dt.datetime | None = None) -> dict[str, float]:
    """Compute and store every figure; returns the seconds each took."""
    took = {}
    with engine.begin() as conn:
        create_store(conn)
    for name, query in FIGURES.items():
        started = time.monotonic()
        at = now or dt.datetime.now(dt.UTC)
        with engine.begin() as conn:
            df = query(conn, at)
            write_figure(conn, name, at, df)
        took[name] = time.monotonic() - started
    return took


def index_statements() -> list[str]:
    """The statements of deploy/scale_indexes.sql, comments left out."""
    text = "\n".join(line.split("--", 1)[0] for line in INDEX_SQL.read_text().splitlines())
    return [" ".join(st.split()) for st in text.split(";") if st.strip()]


def created_index(statement: str) -> str | None:
    """The index a ``CREATE INDEX ... IF NOT EXISTS name`` statement makes; None for any other statement."""
    found = re.match(r"CREATE INDEX CONCURRENTLY IF NOT EXISTS (\w+) ", statement)
    return found.group(1) if found else None


def create_indexes(engine) -> list[str]:
    """Run deploy/scale_indexes.sql (CONCURRENTLY: outside a transaction); PostgreSQL only.

    A concurrent build that was interrupted (a deploy stopped half-way, a lost connection, a deadlock) leaves an
    INVALID index of that name behind: PostgreSQL keeps it up to date on every write but never reads it, and ``IF
    NOT EXISTS`` would skip it forever, so the pages would stay slow with nothing said. Such an index is dropped
    and built again."""
    if engine.dialect.name != "postgresql":
        return []
    done = []
    invalid = text(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
        " WHERE c.relname = :name AND c.relnamespace = to_regnamespace(current_schema()) AND NOT i.indisvalid"
    )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("SET maintenance_work_mem = '512MB'")
        for statement in index_statements():
            name = created_index(statement)
            if name and conn.execute(invalid, {"name": name}).first():
                log.warning("index %s is INVALID (an interrupted build): dropped and built again", name)
                drop = f"DROP INDEX CONCURRENTLY IF EXISTS {name}"
                conn.exec_driver_sql(drop)
                done.append(drop)
            conn.exec_driver_sql(statement)
            done.append(statement)
    return done


def run(engine, interval_s: float, stop: threading.Event) -> None:
    while not stop.is_set():
        started = time.monotonic()
        try:
            took = rebuild(engine)
            log.info("stored %s", ", ".join(f"{k} ({v:.1f} s)" for k, v in took.items()))
        except SQLAlchemyError as exc:  # the database is away: try again next interval
            log.warning("summaries not stored: %s", str(exc).splitlines()[0])
        stop.wait(max(1.0, interval_s - (time.monotonic() - started)))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m summaries", description=__doc__)
    p.add_argument("command", choices=("run", "rebuild", "indexes"))
    p.add_argument("--database-url", default=None)
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s summaries %(levelname)s %(message)s")
    try:
        url = args.database_url or database_url()
        interval = value("NTBCARE_SUMMARY_INTERVAL")
        engine = make_engine(url, statement_timeout_ms=0)  # a full pass may take minutes at national scale
    except (DatabaseConfigError, SettingError) as exc:
        print(f"summaries: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "indexes":
            for statement in create_indexes(engine):
                print(statement)
            return 0
        if args.command == "rebuild":
            for name, s in rebuild(engine).items():
                print(f"{name}: {s:.1f} s")
            print(f"Ringkasan disimpan di {redact(url)}")
            return 0
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        run(engine, interval, stop)
        return 0
    except SQLAlchemyError as exc:
        print(f"summaries: basis data {redact(url)} tidak dapat dipakai: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        engine.dispose()
