"""tests/pg_instance.py for real: a private PostgreSQL server that tests can stop, restart and throw away."""

import socket

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from tests import pg_instance as pgi
from tests.pg_instance import PgInstance


def engine_for(url):
    # NullPool: every connect() is a new connection attempt; short timeout so a dead server fails fast.
    return create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 3})


def refuses_connections(port):
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    return True


def test_data_survives_stop_and_start_on_the_same_port(pg_instance):
    port = pg_instance.port
    url = pg_instance.create_database("ntbcare_fault")
    assert url == f"postgresql+psycopg2://postgres@127.0.0.1:{port}/ntbcare_fault"
    engine = engine_for(url)

    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE probe (id integer PRIMARY KEY, note text)"))
        conn.execute(text("INSERT INTO probe VALUES (1, 'before the outage')"))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id, note FROM probe")).all() == [(1, "before the outage")]
        assert conn.execute(text("SELECT current_database(), inet_server_port()")).one() == ("ntbcare_fault", port)
        assert conn.execute(text("SHOW fsync")).scalar() == "off"

    held = engine.connect()  # an open connection, like an app's pooled one
    pg_instance.stop()
    assert not pg_instance.is_running()
    assert refuses_connections(port)
    with pytest.raises(OperationalError) as refused:
        engine.connect()
    assert str(port) in str(refused.value)
    with pytest.raises(OperationalError):
        held.execute(text("SELECT 1"))
    held.invalidate()

    pg_instance.start()
    assert pg_instance.is_running() and pg_instance.port == port
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id, note FROM probe")).all() == [(1, "before the outage")]
    engine.dispose()


def test_immediate_stop_is_also_survivable(pg_instance):
    engine = engine_for(pg_instance.create_database("ntbcare_crash"))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE probe AS SELECT 42 AS answer"))
    pg_instance.stop(mode="immediate")  # like a crash: crash recovery runs on the next start
    with pytest.raises(OperationalError):
        engine.connect()
    pg_instance.start()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT answer FROM probe")).scalar() == 42
    engine.dispose()


def test_close_stops_the_server_and_deletes_the_directory():
    with PgInstance() as pg:
        directory, port = pg.directory, pg.port
        assert (directory / "data" / "PG_VERSION").is_file()
        with engine_for(pg.url()).connect() as conn:
            assert conn.execute(text("SELECT current_user")).scalar() == "postgres"
        pid = int((directory / "data" / "postmaster.pid").read_text().split()[0])
    assert pg.closed and not pg.is_running()
    assert not directory.exists()
    assert refuses_connections(port)
    assert not pgi.process_alive(pid)
    pg.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        pg.start()


def test_a_failing_test_body_still_leaves_no_server_behind():
    with pytest.raises(ZeroDivisionError), PgInstance() as pg:
        directory, port = pg.directory, pg.port
        raise ZeroDivisionError("the test body fails")
    assert not directory.exists()
    assert refuses_connections(port)


def test_stop_when_not_running_is_a_no_op_and_bad_modes_are_refused(pg_instance):
    pg_instance.stop()
    pg_instance.stop()
    assert not pg_instance.is_running()
    with pytest.raises(ValueError, match="smart"):
        pg_instance.stop(mode="graceful")


def test_missing_binaries_give_a_one_line_error(monkeypatch):
    monkeypatch.setattr(pgi, "REQUIRED_BINARIES", ("initdb", "pg_ctl", "postgres", "pg_no_such_tool"))
    with pytest.raises(RuntimeError) as missing:
        PgInstance()
    message = str(missing.value)
    assert "\n" not in message
    assert message.startswith("PostgreSQL binaries missing: pg_no_such_tool not found in /usr/lib/postgresql/")

    monkeypatch.setattr(pgi.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(pgi.shutil, "which", lambda name: None)
    with pytest.raises(RuntimeError, match=r"^PostgreSQL binaries missing: no /usr/lib/postgresql/\*/bin"):
        PgInstance()
