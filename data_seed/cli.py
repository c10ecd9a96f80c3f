"""``python -m data_seed init|live|calendar|text-index``: create, fill and animate an NTB Care database."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time

from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from tqdm import tqdm

from core.engine import DatabaseConfigError, make_engine, redact
from core.settings import database_url
from data_seed import pgload
from data_seed.generator import Generator
from data_seed.load import (
    SEED_MARK,
    SeedError,
    bulk_insert,
    create_schema,
    prepare_empty_database,
    reset_sequences,
    write_calendar,
)
from data_seed.reference import load_reference, widen
from queries import schema


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m data_seed", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="buat skema, data referensi dan riwayat aduan sejak 16 Okt 2018")
    init.add_argument("--database-url", default=None, help="URL SQLAlchemy (bawaan: DATABASE_URL atau SQLite demo)")
    init.add_argument("--complaints", type=int, default=None, help="jumlah aduan (bawaan: volume nyata NTB Care)")
    init.add_argument("--seed", type=int, default=42)
    init.add_argument("--until", default=None, help="akhir riwayat, ISO 8601 (bawaan: sekarang)")
    init.add_argument("--reset", action="store_true", help="hapus dan buat ulang basis data buatan data_seed")
    init.add_argument("--quiet", action="store_true", help="tanpa bilah kemajuan")
    init.add_argument(
        "--opds", type=int, default=None, help="jumlah OPD aktif (bawaan: OPD NTB; mis. 400 seperti LAPOR! nasional)"
    )
    init.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="proses pembuat data paralel (PostgreSQL; bawaan: jumlah CPU)",
    )
    init.add_argument(
        "--text-index",
        choices=("now", "later"),
        default="now",
        help="indeks trigram isi aduan (PostgreSQL): now = saat init; later = sesudahnya dengan "
        "`text-index` (init jauh lebih cepat pada jutaan aduan; pencarian teks tetap berjalan, lebih lambat)",
    )
    live = sub.add_parser("live", help="simulator: aduan baru dan perubahan status secara langsung")
    live.add_argument("--database-url", default=None)
    live.add_argument(
        "--rate", type=float, default=None, help="aduan baru per menit (bawaan: laju nyata NTB Care, ~60 per bulan)"
    )
    live.add_argument(
        "--burst",
        type=int,
        default=None,
        help="sekian aduan pertama datang cepat (~2 per menit) agar dinding langsung hidup (bawaan: 10)",
    )
    live.add_argument("--seed", type=int, default=None)
    live.add_argument("--duration", type=float, default=None, help="berhenti setelah N detik (bawaan: terus)")
    cal = sub.add_parser("calendar", help="tulis ulang tabel kalender hari kerja (libur nasional + cuti bersama)")
    cal.add_argument("--database-url", default=None)
    cal.add_argument("--overrides", default="", help="berkas CSV libur lokal (date,libur,name)")
    tix = sub.add_parser(
        "text-index", help="buat indeks pencarian teks (pg_trgm) yang belum ada, CONCURRENTLY: halaman tetap jalan"
    )
    tix.add_argument("--database-url", default=None)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    url = args.database_url or database_url()
    try:
        if args.command == "init":
            return cmd_init(url, args)
        if args.command == "live":
            from data_seed.live import BURST_COMPLAINTS, REAL_RATE_PER_MINUTE, run_live

            return run_live(
                url,
                rate=REAL_RATE_PER_MINUTE if args.rate is None else args.rate,
                seed=args.seed,
                duration=args.duration,
                burst=BURST_COMPLAINTS if args.burst is None else args.burst,
            )
        if args.command == "text-index":
            return cmd_text_index(url)
        return cmd_calendar(url, args)
    except (SeedError, DatabaseConfigError) as exc:
        print(f"data_seed: {exc}", file=sys.stderr)
        return 2
    except DBAPIError as exc:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        print(f"data_seed: basis data {redact(url)} tidak dapat dipakai: {first}", file=sys.stderr)
        return 2
    except SQLAlchemyError as exc:
        print(f"data_seed: kesalahan basis data: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def cmd_init(url: str, args) -> int:
    if args.complaints is not None and args.complaints < 0:
        raise SeedError("--complaints harus 0 atau lebih")
    until = None
    if args.until:
        try:
            until = dt.datetime.fromisoformat(args.until)
        except ValueError:
            raise SeedError(f"--until bukan waktu ISO 8601: {args.until!r}") from None
        if until.tzinfo is None:
            until = until.replace(tzinfo=dt.UTC)
    if url.startswith("sqlite:///"):
        from pathlib import Path

        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url, must_exist=False, statement_timeout_ms=0)  # bulk load: no query limit
    started = time.monotonic()
    prepare_empty_database(engine, args.reset)
    ref = load_reference()
    if args.opds is not None:
        try:
            ref = widen(ref, args.opds)
        except ValueError as exc:
            raise SeedError(str(exc)) from None
    if args.workers < 1:
        raise SeedError("--workers harus 1 atau lebih")
    gen = Generator(ref, seed=args.seed, until=until, complaints=args.complaints)
    secondary = [ix for t in (schema.complaint, schema.complaint_event) for ix in t.indexes]
    with engine.begin() as conn:
        create_schema(conn)
        for ix in secondary:  # load first, index after: much faster at scale
            ix.drop(conn)
        for table, rows in (("opd", ref.opd), ("region", ref.region), ("sector", ref.sector), ("channel", ref.channel)):
            conn.execute(insert(schema.metadata.tables[table]), rows)
        days = write_calendar(conn)
        conn.execute(
            insert(schema.seed_meta),
            [
                {"key": "created_by", "value": SEED_MARK},
                {"key": "seed", "value": str(args.seed)},
                {"key": "created_at", "value": dt.datetime.now(dt.UTC).isoformat()},
            ],
        )
    total_events = 0
    with tqdm(total=gen.total, unit="aduan", desc="Memuat aduan", disable=args.quiet, file=sys.stderr) as bar:
        if engine.dialect.name == "postgresql":
            total_events = pgload.load(
                engine, gen, bar, args.workers, secondary, args.quiet, body_index=args.text_index == "now"
            )
        else:
            for chunk in gen.chunks():
                with engine.begin() as conn:
                    bulk_insert(conn, schema.complaint, chunk.complaints)
                    bulk_insert(conn, schema.complaint_event, chunk.events)
                total_events += len(chunk.events)
                bar.update(len(chunk.complaints))
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            reset_sequences(conn)
    else:
        with engine.begin() as conn:
            for ix in secondary:
                ix.create(conn)
    engine.dispose()
    print(
        f"Selesai: {gen.total} aduan, {total_events} kejadian, {days} hari kalender "
        f"di {redact(url)} dalam {time.monotonic() - started:.1f} s"
    )
    if engine.dialect.name == "postgresql" and args.text_index == "later":
        print("Indeks pencarian teks isi aduan belum dibuat: jalankan `python -m data_seed text-index`.")
    return 0


def cmd_text_index(url: str) -> int:
    """The trigram indexes ``init --text-index later`` left out, built without locking out the pages."""
    engine = make_engine(url, statement_timeout_ms=0)
    if engine.dialect.name != "postgresql":
        raise SeedError("text-index hanya untuk PostgreSQL (SQLite mencari tanpa indeks)")
    started = time.monotonic()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql(f"SET maintenance_work_mem = '{pgload.MAINTENANCE_MEMORY}'")
        for ddl in schema.TEXT_SEARCH_DDL:
            print(f"{ddl} ...", file=sys.stderr, flush=True)
            conn.exec_driver_sql(ddl.replace("CREATE INDEX", "CREATE INDEX CONCURRENTLY"))
    engine.dispose()
    print(f"Indeks pencarian teks siap di {redact(url)} dalam {time.monotonic() - started:.1f} s")
    return 0


def cmd_calendar(url: str, args) -> int:
    engine = make_engine(url)
    with engine.begin() as conn:
        schema.work_calendar.create(conn, checkfirst=True)
        days = write_calendar(conn, overrides_path=args.overrides)
    print(f"Kalender hari kerja ditulis: {days} hari di {redact(url)}")
    return 0
