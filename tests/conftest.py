"""Shared fixtures: real PostgreSQL (the local server) and SQLite databases, built once per session."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.settings import SlaRules
from core.engine import make_engine
from tests import dataset
from tests.access_users import set_access_env

PG_ADMIN_URL = os.environ.get("NTBCARE_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
BACKENDS = ("sqlite", "postgresql")


def _pg_admin():
    engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - turned into a clear test failure
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is not reachable ({exc.__class__.__name__}); start it with "
                    "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", pytrace=False)
    return engine


class DatabaseFactory:
    """Creates empty databases of either backend and drops them at the end of the session."""

    def __init__(self, tmp_path_factory):
        self._tmp = tmp_path_factory
        self._pg_admin = None
        self._created: list[str] = []

    def url(self, backend: str) -> str:
        name = f"ntbcare_t_{uuid.uuid4().hex[:10]}"
        if backend == "sqlite":
            return f"sqlite:///{self._tmp.mktemp('db') / (name + '.sqlite')}"
        if self._pg_admin is None:
            self._pg_admin = _pg_admin()
        with self._pg_admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self._created.append(name)
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def close(self):
        if self._pg_admin is None:
            return
        with self._pg_admin.connect() as conn:
            for name in self._created:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._pg_admin.dispose()


@pytest.fixture(scope="session")
def db_factory(tmp_path_factory):
    factory = DatabaseFactory(tmp_path_factory)
    yield factory
    factory.close()


@pytest.fixture(scope="session", params=BACKENDS)
def small_db(request, db_factory):
    """The hand-built dataset (tests/dataset.py) on each backend: yields an engine."""
    url = db_factory.url(request.param)
    engine = make_engine(url, must_exist=False)
    dataset.build(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def empty_db_url(request, db_factory):
    return db_factory.url(request.param)


@pytest.fixture
def rules():
    return SlaRules()


@pytest.fixture(autouse=True)
def access_mapping(monkeypatch):
    """Every test runs with the role mapping of the test accounts (tests/access_users.py). An AppTest that opens
    a page other than the wall logs in first: ``at.user = USERS["leader"]`` (who sees what: dashboard/access.py)."""
    set_access_env(monkeypatch)


@pytest.fixture
def app_env(monkeypatch, db_factory):
    """The hand-built dataset on SQLite as the app's DATABASE_URL, with the app's caches reset."""
    from dashboard import data

    url = db_factory.url("sqlite")
    dataset.build(make_engine(url, must_exist=False))
    monkeypatch.setenv("DATABASE_URL", url)
    data.reset()
    yield url
    data.reset()


@pytest.fixture(scope="session", params=BACKENDS)
def hostile_db(request, db_factory):
    """The hostile and odd dataset (tests/hostile.py) on each backend: yields an engine."""
    from tests import hostile

    url = db_factory.url(request.param)
    engine = make_engine(url, must_exist=False)
    hostile.build(engine)
    yield engine
    engine.dispose()
