"""The dashboard's read-only role (deploy/readonly_role.sql) on a private PostgreSQL, for tests.

``readonly_db`` (a session fixture in tests/conftest.py; nothing to import) is a started ``PgInstance`` holding the
hand-built dataset, written by the owner (``postgres``), and the role ``ntbcare_ro`` made by the real
script through the real ``psql`` (run twice: it must be re-runnable). Tests run the app with
``DATABASE_URL=readonly_db.ro_url``. A private server keeps the role off the shared local one; tests
that stop it start it again.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from sqlalchemy import text

from core.engine import make_engine
from tests import dataset
from tests.browser_support import ROOT
from tests.pg_instance import HOST, SUPERUSER, PgInstance

SCRIPT = ROOT / "deploy" / "readonly_role.sql"
CONTRACT_TABLES = ("channel", "complaint", "complaint_event", "opd", "region", "sector", "seed_meta", "work_calendar")
ROLE, PASSWORD = "ntbcare_ro", "rahasia-ro"


def psql(pg: PgInstance, database: str, *args: str, user: str = SUPERUSER) -> subprocess.CompletedProcess:
    """The real psql client against ``pg`` (-X: no ~/.psqlrc)."""
    exe = pg.bindir / "psql"
    exe = str(exe) if exe.exists() else shutil.which("psql")
    if exe is None:
        raise RuntimeError("psql missing (apt-get install postgresql-client)")
    return subprocess.run(
        [exe, "-X", "-h", HOST, "-p", str(pg.port), "-U", user, "-d", database, *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def apply_script(pg: PgInstance, database: str, role: str = ROLE, password: str | None = PASSWORD):
    """psql -v role=... -v password=... -f deploy/readonly_role.sql, as the README tells operators."""
    args = ["-v", f"role={role}"] + (["-v", f"password={password}"] if password else [])
    return psql(pg, database, *args, "-f", str(SCRIPT))


def role_url(pg: PgInstance, database: str, role: str = ROLE, password: str = PASSWORD) -> str:
    return f"postgresql://{quote(role)}:{quote(password)}@{HOST}:{pg.port}/{quote(database)}"


def fingerprint(engine) -> dict[str, tuple[int, str]]:
    """Row count and an md5 of every row of each contract table: equal fingerprints, nothing written."""
    out = {}
    with engine.connect() as conn:
        for table in CONTRACT_TABLES:
            out[table] = tuple(
                conn.execute(
                    text(
                        f"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t"
                    )
                ).one()
            )
    return out


@dataclass
class ReadonlyDb:
    pg: PgInstance
    database: str
    owner_url: str
    ro_url: str

    def owner_engine(self):
        return make_engine(self.owner_url)


@contextlib.contextmanager
def readonly_database():
    """A started private PostgreSQL with the dataset and the role (the script applied twice); closed on exit."""
    with PgInstance() as pg:
        database = "ntbcare_ro"
        owner_url = pg.create_database(database)
        engine = make_engine(owner_url)
        dataset.build(engine)
        engine.dispose()
        for _ in range(2):  # re-runnable
            res = apply_script(pg, database)
            assert res.returncode == 0, res.stderr
        yield ReadonlyDb(pg, database, owner_url, role_url(pg, database))


@pytest.fixture(scope="module")
def readonly_db():
    """Kept for modules that import it; tests/conftest.py has the same fixture for the whole session."""
    with readonly_database() as db:
        yield db
