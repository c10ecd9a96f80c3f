"""The PostgreSQL bulk load of ``data_seed init``: parallel generation, frozen COPY streams, indexes after.

Why each step: chunks are generated and written as CSV by worker processes; this process COPYs them in plan
order, in one transaction that first truncates the table, so that ``COPY ... FREEZE`` writes rows already
frozen and visible (no rewrite by VACUUM later, index-only scans at once) and the event ids PostgreSQL gives
are the same on every run. Keys and foreign keys are dropped for the load (a per-row check is the largest
cost of a COPY) and added back after it, one join each. The complaints go first and the events wait in a
spool file: the trigram index on the bodies, the longest single step (it cannot be built in parallel), starts
as soon as the complaints are in, while the events and the other indexes load beside it.
"""

from __future__ import annotations

import io
import multiprocessing
import sys
import tempfile
import threading
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from data_seed.generator import Generator
from data_seed.load import copy_csv, csv_bytes
from queries import schema

MAINTENANCE_MEMORY = "512MB"


def load(
    engine: Engine, gen: Generator, bar, workers: int, secondary: list, quiet: bool, body_index: bool = True
) -> int:
    """Generate and load every chunk, then keys and indexes; returns the number of events.

    ``body_index=False`` leaves out the trigram index on the bodies (``init --text-index later``): on
    PostgreSQL 15 a GIN build uses one core, about a minute per million complaints, more than the rest of the
    seed; ``python -m data_seed text-index`` builds it afterwards while the pages already work.
    """
    say = (lambda msg: None) if quiet else (lambda msg: print(msg, file=sys.stderr, flush=True))
    with engine.begin() as conn:
        saved = _drop_keys(conn)
    with tempfile.TemporaryFile(prefix="ntbcare-seed-events-") as spool:
        events, e_cols = _load_complaints(engine, gen, bar, workers, spool)
        bar.close()
        spool.seek(0)
        started = time.monotonic()
        say(
            "Memuat kejadian; membuat kunci dan indeks (termasuk pencarian teks pg_trgm) ..."
            if body_index
            else "Memuat kejadian; membuat kunci dan indeks (indeks teks isi aduan: nanti, `text-index`) ..."
        )
        complaint_ix = [ix for ix in secondary if ix.table.name == "complaint"]
        event_ix = [ix for ix in secondary if ix.table.name == "complaint_event"]
        trigram = _trigram_extension(engine, say)
        body_ix = [ddl for ddl in schema.TEXT_SEARCH_DDL if trigram and body_index and "(lower(body)" in ddl]
        title_ix = [ddl for ddl in schema.TEXT_SEARCH_DDL if trigram and "(lower(title)" in ddl]

        def complaint_side(conn: Connection) -> None:  # holds complaint's lock until its keys exist
            _add(conn, saved, "complaint", foreign=False)
            conn.commit()
            for ddl in body_ix or title_ix:  # without the body's index, the title's keeps this core busy
                conn.exec_driver_sql(ddl)

        def event_side(conn: Connection) -> None:
            conn.exec_driver_sql("TRUNCATE complaint_event")
            copy_csv(conn, schema.complaint_event, e_cols, spool, freeze=True)
            _add(conn, saved, "complaint_event", foreign=False)
            for ix in event_ix:
                ix.create(conn)
            conn.commit()
            conn.exec_driver_sql("LOCK TABLE complaint IN SHARE MODE")  # waits for complaint's keys
            for ix in complaint_ix:
                ix.create(conn)
            for ddl in title_ix if body_ix else ():
                conn.exec_driver_sql(ddl)

        _side_by_side(engine, complaint_side, event_side)
    say(f"Memeriksa kunci asing ... ({time.monotonic() - started:.0f} s)")
    with engine.begin() as conn:
        conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_MEMORY}'")
        for table in ("complaint", "complaint_event"):
            _add(conn, saved, table, foreign=True)
    say(f"VACUUM ANALYZE ... ({time.monotonic() - started:.0f} s)")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")  # the rows are frozen: this sets statistics and the map
    return events


def _load_complaints(engine: Engine, gen: Generator, bar, workers: int, spool) -> tuple[int, list[str]]:
    events, e_cols = 0, []
    plan = iter(enumerate(gen.plan()))
    ctx = multiprocessing.get_context("fork")
    with (
        engine.begin() as conn,
        ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init, initargs=(gen,)) as pool,
    ):
        conn.exec_driver_sql("TRUNCATE complaint")  # in this transaction: COPY ... FREEZE may be used
        pending: deque = deque(pool.submit(_worker_chunk, *item) for item in _take(plan, workers + 1))
        while pending:
            n_complaints, n_events, c_cols, c_csv, e_cols, e_csv = pending.popleft().result()
            for item in _take(plan, 1):
                pending.append(pool.submit(_worker_chunk, *item))
            copy_csv(conn, schema.complaint, c_cols, io.BytesIO(c_csv), freeze=True)
            spool.write(e_csv)
            events += n_events
            bar.update(n_complaints)
    return events, e_cols


def _trigram_extension(engine: Engine, say) -> bool:
    """pg_trgm for the explorer's text search; a server without it gets a warning, not a failure."""
    try:
        with engine.begin() as conn:
            for ddl in schema.TEXT_SEARCH_DDL:
                if ddl.startswith("CREATE EXTENSION"):
                    conn.exec_driver_sql(ddl)
        return True
    except SQLAlchemyError as exc:
        say(
            f"Peringatan: indeks pencarian teks tidak dibuat ({str(exc).splitlines()[0]}); "
            "pencarian teks tetap berjalan, hanya lebih lambat."
        )
        return False


def _drop_keys(conn: Connection) -> list[tuple[str, str, str, str]]:
    """Drop the keys of the bulk tables (foreign keys first); returns them to be added back."""
    saved = [
        tuple(r)
        for r in conn.execute(
            text(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype "
                "FROM pg_constraint c WHERE c.conrelid IN ('complaint'::regclass, 'complaint_event'::regclass) "
                "AND c.contype IN ('p', 'u', 'f') ORDER BY c.contype = 'f' DESC"
            )
        ).all()
    ]
    for table, name, _, _ in saved:
        conn.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return saved


def _add(conn: Connection, saved, table: str, foreign: bool) -> None:
    for tbl, name, ddl, kind in sorted(saved, key=lambda r: r[3] != "p"):  # primary keys first
        if tbl == table and (kind == "f") == foreign:
            conn.exec_driver_sql(f'ALTER TABLE {tbl} ADD CONSTRAINT "{name}" {ddl}')


def _side_by_side(engine: Engine, first, second) -> None:
    """Run both steps at once, each on its own connection; ``first`` holds complaint's lock from the start."""
    failure: list[BaseException] = []
    locked = threading.Event()

    def run(step, is_first: bool) -> None:
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(f"SET maintenance_work_mem = '{MAINTENANCE_MEMORY}'")
                if is_first:
                    conn.exec_driver_sql("LOCK TABLE complaint IN ACCESS EXCLUSIVE MODE")
                    locked.set()
                else:
                    locked.wait()
                step(conn)
                conn.commit()
        except BaseException as exc:  # noqa: BLE001 - raised in the calling thread
            failure.append(exc)
            locked.set()

    threads = [threading.Thread(target=run, args=(s, s is first), name="seed-index") for s in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failure:
        raise failure[0]


def _take(it, n: int) -> list:
    return [x for _, x in zip(range(n), it, strict=False)]


_GEN: Generator | None = None


def _worker_init(gen: Generator) -> None:
    global _GEN
    _GEN = gen


def _worker_chunk(number: int, months: tuple[int, int]):
    assert _GEN is not None
    chunk = _GEN.chunk(number, *months)
    return (
        len(chunk.complaints),
        len(chunk.events),
        list(chunk.complaints.columns),
        csv_bytes(chunk.complaints),
        list(chunk.events.columns),
        csv_bytes(chunk.events),
    )
