"""Creating SQLAlchemy engines with clear errors; no Streamlit here (the CLI uses it too)."""
from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError


class DatabaseConfigError(Exception):
    """DATABASE_URL is malformed, names an unsupported database, or points at a missing file."""


def redact(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as a placeholder
        return "<DATABASE_URL tidak valid>"


def make_engine(url: str, *, must_exist: bool = True, statement_timeout_ms: int | None = None) -> Engine:
    """An engine for ``url`` (PostgreSQL or SQLite). Raises DatabaseConfigError with a one-line message."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseConfigError(f"DATABASE_URL tidak valid: {exc}") from None
    backend = parsed.get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise DatabaseConfigError(f"Basis data '{backend}' tidak didukung (gunakan postgresql atau sqlite)")
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg2")  # the pinned driver (SQLAlchemy 2.1 defaults to psycopg 3)
    timeout = (int(os.environ.get("NTBCARE_STATEMENT_TIMEOUT_MS", "15000")) if statement_timeout_ms is None
               else int(statement_timeout_ms))  # 0: no limit (bulk loads)
    try:
        if backend == "sqlite":
            path = parsed.database
            if must_exist and path and path != ":memory:" and not Path(path).exists():
                raise DatabaseConfigError(
                    f"Berkas basis data SQLite tidak ditemukan: {path} (jalankan: python -m data_seed init)")
            engine = create_engine(parsed, connect_args={"timeout": 15})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(
                parsed, pool_pre_ping=True, pool_size=5, max_overflow=5, pool_timeout=10, pool_recycle=1800,
                connect_args={"connect_timeout": 5, "options": f"-c statement_timeout={timeout}",
                              "application_name": "ntbcare-monitor"},
            )
    except (NoSuchModuleError, ImportError) as exc:
        raise DatabaseConfigError(f"Driver basis data tidak tersedia: {exc}") from None
    return engine


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # the simulator writes while the app reads
    cur.execute("PRAGMA busy_timeout=15000")
    cur.close()
