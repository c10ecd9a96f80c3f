"""deploy/alerts_role.sql through the real psql: the worker's role reads the contract and writes only its own
schema; the dashboard's read-only role reads the worker's tables and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from alerts import outbox as q
from core.engine import make_engine
from tests import alerts_cases as ac
from tests.browser_support import ROOT
from tests.dataset import wita
from tests.readonly import ROLE, psql, role_url

SCRIPT = ROOT / "deploy" / "alerts_role.sql"
WORKER_ROLE, WORKER_PASSWORD = "ntbcare_alerts", "rahasia-alerts"


def apply(db):
    return psql(
        db.pg,
        db.database,
        "-v",
        f"role={WORKER_ROLE}",
        "-v",
        f"password={WORKER_PASSWORD}",
        "-v",
        f"dashboard_role={ROLE}",
        "-f",
        str(SCRIPT),
    )


def test_worker_role_writes_only_its_schema_and_the_dashboard_only_reads_it(readonly_db):
    for _ in range(2):  # re-runnable
        res = apply(readonly_db)
        assert res.returncode == 0, res.stderr
    worker_url = role_url(readonly_db.pg, readonly_db.database, WORKER_ROLE, WORKER_PASSWORD)
    engine = make_engine(worker_url)
    w = ac.worker(engine, ac.load_recipients(secrets={}, read_files=False), ac.Clock(wita(2026, 3, 30, 7, 30)))
    assert w.cycle() == "active"
    res = apply(readonly_db)  # once more with the worker's tables there: still fine
    assert res.returncode == 0, res.stderr
    with engine.connect() as conn:
        box = q.outbox_rows(conn)
        assert len(box) > 0 and set(box["status"]) == {"demo"}
        with pytest.raises(ProgrammingError, match="permission denied"):
            conn.execute(text("UPDATE complaint SET status = 'selesai'"))
        conn.rollback()
        with pytest.raises(ProgrammingError, match="permission denied"):
            conn.execute(text("CREATE TABLE public.x (i int)"))
        conn.rollback()
        failed_id = int(box["id"].iloc[0])
        conn.execute(text("UPDATE ntbcare_alerts.alerts_outbox SET status = 'failed' WHERE id = :i"), {"i": failed_id})
        conn.commit()
    engine.dispose()
    writer = make_engine(readonly_db.ro_url)  # the dashboard's role, as its "Kirim ulang" engine uses it
    with writer.begin() as conn:
        conn.exec_driver_sql("SET TRANSACTION READ WRITE")
        assert q.resend(conn, failed_id, dt.datetime.now(dt.UTC))
    writer.dispose()
    dash = make_engine(readonly_db.ro_url, read_only=True)
    with dash.connect() as conn:
        assert len(q.outbox_rows(conn)) == len(box)
        assert q.worker_heartbeat(conn)["worker"].tolist() == ["uji"]
        with pytest.raises(DBAPIError):  # read-only transaction, and no DELETE privilege (checked below)
            conn.execute(text("DELETE FROM ntbcare_alerts.alerts_outbox"))
    dash.dispose()
    owner = readonly_db.owner_engine()
    with owner.connect() as conn:
        rights = conn.execute(
            text(
                "SELECT has_table_privilege(:d, 'ntbcare_alerts.alerts_outbox', 'INSERT'), "
                "has_table_privilege(:d, 'ntbcare_alerts.alerts_outbox', 'SELECT'), "
                "has_table_privilege(:w, 'public.complaint', 'INSERT'), "
                "has_table_privilege(:w, 'public.complaint', 'SELECT'), "
                "has_column_privilege(:d, 'ntbcare_alerts.alerts_outbox', 'status', 'UPDATE'), "
                "has_column_privilege(:d, 'ntbcare_alerts.alerts_outbox', 'body', 'UPDATE'), "
                "has_table_privilege(:d, 'ntbcare_alerts.alerts_outbox', 'DELETE')"
            ),
            {"d": ROLE, "w": WORKER_ROLE},
        ).one()
    owner.dispose()
    assert tuple(rights) == (False, True, False, True, True, False, False)  # "Kirim ulang" only
