"""Creating SQLAlchemy engines with clear errors; no Streamlit here (the CLI uses it too)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from core.settings import SettingError, value

# Every PostgreSQL connection notices a dead peer (a network partition, a crashed host) within about 30 s
# instead of the kernel's two hours: TCP keepalives after 10 s idle, every 5 s, 3 lost = dead, and
# tcp_user_timeout for data sent but never acknowledged. The alert worker's lock connection also asks the
# server to end its session when it goes silent (alerts/worker.py), so the standby worker takes over.
KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 30000,
}


class DatabaseConfigError(Exception):
    """DATABASE_URL is malformed, names an unsupported database, or points at a missing file."""


def redact(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as a placeholder
        return "<DATABASE_URL tidak valid>"


def _setting(name: str) -> int:
    try:
        return value(name)
    except SettingError as exc:
        raise DatabaseConfigError(str(exc)) from None


def default_statement_timeout_ms() -> int:
    """NTBCARE_STATEMENT_TIMEOUT_MS: the longest a PostgreSQL statement of the app may run (default 15 s;
    0: no limit)."""
    return _setting("NTBCARE_STATEMENT_TIMEOUT_MS")


def pool_settings() -> dict[str, int]:
    """The app's PostgreSQL connection pool, per server process: NTBCARE_DB_POOL_SIZE (5) kept open,
    NTBCARE_DB_MAX_OVERFLOW (5) more under load, NTBCARE_DB_POOL_TIMEOUT (10 s) to wait for a free one."""
    return {
        "pool_size": _setting("NTBCARE_DB_POOL_SIZE"),
        "max_overflow": _setting("NTBCARE_DB_MAX_OVERFLOW"),
        "pool_timeout": _setting("NTBCARE_DB_POOL_TIMEOUT"),
    }


def make_engine(
    url: str, *, must_exist: bool = True, statement_timeout_ms: int | None = None, read_only: bool = False
) -> Engine:
    """An engine for ``url`` (PostgreSQL or SQLite). Raises DatabaseConfigError with a one-line message.

    ``read_only`` (the dashboard's engine): every transaction is read-only (PostgreSQL
    ``default_transaction_read_only``, SQLite ``PRAGMA query_only``), a second line of defence behind the
    read-only database role of ``deploy/readonly_role.sql``.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseConfigError(f"DATABASE_URL tidak valid: {exc}") from None
    backend = parsed.get_backend_name()
    if backend not in ("postgresql", "sqlite"):
        raise DatabaseConfigError(f"Basis data '{backend}' tidak didukung (gunakan postgresql atau sqlite)")
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(
            drivername="postgresql+psycopg2"
        )  # the pinned driver (SQLAlchemy 2.1 defaults to psycopg 3)
    # 0: no limit (bulk loads)
    timeout = default_statement_timeout_ms() if statement_timeout_ms is None else int(statement_timeout_ms)
    try:
        if backend == "sqlite":
            path = parsed.database
            if must_exist and path and path != ":memory:" and not Path(path).exists():
                raise DatabaseConfigError(
                    f"Berkas basis data SQLite tidak ditemukan: {path} (jalankan: python -m data_seed init)"
                )
            engine = create_engine(parsed, connect_args={"timeout": 15})
            event.listen(engine, "connect", _sqlite_pragmas_read_only if read_only else _sqlite_pragmas)
        else:
            options = f"-c statement_timeout={timeout}"
            if read_only:
                options += " -c default_transaction_read_only=on"
            engine = create_engine(
                parsed,
                pool_pre_ping=True,
                pool_recycle=1800,
                **pool_settings(),
                connect_args={
                    "connect_timeout": 5,
                    "options": options,
                    "application_name": "ntbcare-monitor",
                    **KEEPALIVES,
                },
            )
    except (NoSuchModuleError, ImportError) as exc:
        raise DatabaseConfigError(f"Driver basis data tidak tersedia: {exc}") from None
    return engine


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # the simulator writes while the app reads
    cur.execute("PRAGMA busy_timeout=15000")
    cur.close()


def _sqlite_pragmas_read_only(dbapi_conn, record):
    _sqlite_pragmas(dbapi_conn, record)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.close()
