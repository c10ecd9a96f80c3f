"""The dashboard on a PostgreSQL hot standby (tests/pg_instance.PgStandby: pg_basebackup -R, streaming replication),
as the read-only role: every page works on it, what is committed on the primary shows up, and what replication lag
does to the data age the dashboard shows. (The live wall through the standby, in chromium behind nginx:
tests/test_deploy_nginx.py.)
"""

from __future__ import annotations

import datetime as dt
import re
import time

import psycopg2
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from streamlit.testing.v1 import AppTest

from core.engine import make_engine
from core.timefmt import to_wita
from dashboard import data
from tests import dataset
from tests.access_users import USERS
from tests.browser_support import ROOT
from tests.dataset import insert_now
from tests.deploy_stack import DATABASE, primary_and_standby
from tests.pg_instance import HOST, SUPERUSER
from tests.readonly import ROLE, role_url

MARCH = {"periode": "rentang", "dari": "2026-03-01", "sampai": "2026-03-31"}


@pytest.fixture(scope="module")
def replicated():
    with primary_and_standby() as (primary, standby, owner_url):
        engine = make_engine(owner_url)
        yield primary, standby, engine
        engine.dispose()


@pytest.fixture
def on_standby(monkeypatch, replicated):
    """The app's DATABASE_URL is the read-only role on the standby; caches reset around the test."""
    _, standby, _ = replicated
    monkeypatch.setenv("DATABASE_URL", role_url(standby, DATABASE))
    data.reset()
    yield replicated
    data.reset()


def run(page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.user = USERS["admin"]  # every page
    if page:
        at.switch_page(page)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def assert_clean(at: AppTest) -> None:
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert not at.get("stale_warning") and "Basis data" not in str(at.main), str(at.main)[:500]
    assert "Traceback" not in str(at.main)


def wall_html(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def superuser(port: int, sql: str):
    conn = psycopg2.connect(host=HOST, port=port, user=SUPERUSER, dbname="postgres", connect_timeout=5)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql)
            return cur.fetchone() if cur.description else None
    finally:
        conn.close()


def test_the_standby_streams_from_the_primary_and_refuses_writes(replicated):
    primary, standby, owner = replicated
    # replaying the base backup needs no connection: the WAL receiver may connect a moment later (seen under load)
    deadline = time.monotonic() + 30
    state = None
    while state != ("streaming", "async") and time.monotonic() < deadline:
        state = superuser(primary.port, "SELECT state, sync_state FROM pg_stat_replication")
        time.sleep(0.2)
    assert state == ("streaming", "async")
    ro = make_engine(role_url(standby, DATABASE))
    try:
        with ro.connect() as conn:
            assert conn.execute(text("SELECT pg_is_in_recovery(), current_user")).one() == (True, ROLE)
            with pytest.raises(DBAPIError) as err:
                conn.execute(text("CREATE TEMP TABLE probe (i int)"))
            assert err.value.orig.pgcode == "25006"  # read-only transaction: a standby never takes a write
        ticket = insert_now(owner, "Sampah menumpuk di Pagesangan (replikasi)")
        lag = standby.wait_replayed()
        with ro.connect() as conn:
            assert (
                conn.execute(text("SELECT title FROM complaint WHERE ticket = :t"), {"t": ticket}).scalar_one()
                == "Sampah menumpuk di Pagesangan (replikasi)"
            )
        print(f"replayed on the standby {lag * 1000:.0f} ms after the commit on the primary")
    finally:
        ro.dispose()


@pytest.mark.parametrize(
    "page,query,check",
    [
        (None, {"kiosk": "1"}, "wall"),
        ("pages/compliance.py", MARCH, "rapor"),
        ("pages/summary.py", MARCH, "summary"),
        ("pages/complaint.py", {}, "explorer"),
        ("pages/complaint.py", {"tiket": "T05"}, "complaint"),
        ("pages/data_quality.py", {}, "quality"),
    ],
    ids=["monitor", "kepatuhan", "ringkasan", "aduan", "aduan-tiket", "kualitas-data"],
)
def test_every_page_works_on_the_standby(on_standby, page, query, check):
    _, _, owner = on_standby
    with owner.connect() as conn:  # the truth, on the primary (other tests here add complaints)
        newest = conn.execute(text("SELECT ticket FROM complaint ORDER BY received_at DESC LIMIT 8")).scalars().all()
        open_now = conn.execute(
            text("SELECT count(*) FROM complaint WHERE status IN ('diterima', 'terdisposisi', 'diproses', 'ditunda')")
        ).scalar_one()
        total = conn.execute(text("SELECT count(*) FROM complaint")).scalar_one()
    at = run(page, **query)
    assert_clean(at)
    if check == "wall":
        got = {m.label: m.value for m in at.metric}
        assert got["Belum selesai"] == str(open_now)
        html = wall_html(at)
        assert [m for m in re.findall(r'data-ticket="([^"]+)"', html) if m in newest][:8] == newest
    elif check == "rapor":
        rapor, every = (at.dataframe[i].value.set_index("OPD") for i in (0, 1))  # the rapor, then all its figures
        assert int(every.loc["ESDM", "Didisposisikan (periode)"]) == 1
        assert int(rapor.loc["PUPR-PKP", "Terlambat kini"]) == 1
        at.button(key="btn-kep.pdf_all").click().run()  # the all-OPD PDF reads every late complaint
        assert not at.exception and any(b.label == "Unduh PDF" for b in at.get("download_button"))
    elif check == "summary":
        march = [c for c in dataset.CASES.values() if (c["received_at"].year, c["received_at"].month) == (2026, 3)]
        assert {m.label: m.value for m in at.metric}["Aduan masuk"] == str(len(march))
    elif check == "explorer":
        shown = set(at.dataframe[0].value["Tiket"])
        assert len(shown) == total and set(dataset.CASES) <= shown
    elif check == "complaint":
        assert "Tambang ilegal di sungai" in [x.value for x in at.text]
    else:
        assert at.dataframe[0].value.shape[0] > 10
        assert any("data per" in c.value and "WITA" in c.value for c in at.caption)


def test_replication_lag_is_not_in_the_data_age_shown(on_standby):
    """While the standby lags, the wall shows the time it READ the data ("data per ..."), not the time of the
    newest change it has: a complaint committed on the primary is missing although the stamp looks fresh. That
    is what docs/deployment.md tells operators to watch (pg_last_xact_replay_timestamp)."""
    _primary, standby, owner = on_standby
    insert_now(owner, "Penanda sebelum jeda replikasi")
    standby.wait_replayed()  # the standby is level with the primary: its newest replayed change is this one
    superuser(standby.port, "SELECT pg_wal_replay_pause()")
    try:
        ticket = insert_now(owner, "Air PDAM keruh di Selong (selama jeda replikasi)")
        time.sleep(1.5)
        at = run(kiosk="1")
        assert_clean(at)
        html = wall_html(at)
        assert f'data-ticket="{ticket}"' not in html  # not on the standby yet
        h, m, sec = map(int, re.search(r"data per (\d\d):(\d\d):(\d\d) WITA", html).groups())
        now = to_wita(dt.datetime.now(dt.UTC))
        shown_age = (now.hour * 3600 + now.minute * 60 + now.second - (h * 3600 + m * 60 + sec)) % 86400
        assert shown_age <= 5  # the stamp says "fresh": the data was read just now
        lag = superuser(standby.port, "SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())")[0]
        assert lag >= 1.5  # ... yet the newest change the standby has is older than the insert
    finally:
        superuser(standby.port, "SELECT pg_wal_replay_resume()")
    standby.wait_replayed()
    data.reset()
    assert f'data-ticket="{ticket}"' in wall_html(run(kiosk="1"))


def test_the_alert_worker_writes_only_to_the_primary(replicated):
    """The worker's DATABASE_URL is the primary (deploy/alerts.env.example): a mendesak complaint committed there
    is mailed once and the worker's outbox replicates to the standby the dashboard reads. Pointed at the standby by
    mistake, the worker writes nothing, says why in its log, and keeps running until it is configured right."""
    from alerts import outbox as q
    from tests.alerts_support import SmtpSink, WorkerProcess, wait_until

    _primary, standby, engine = replicated
    standby_url = standby.url(DATABASE)
    smtp = SmtpSink().start()
    env = {
        "NTBCARE_ALERTS_SECRETARIAT": smtp.url("sekretariat@ntbprov.go.id"),
        "NTBCARE_ALERTS_POLL_S": "0.2",
        "NTBCARE_ALERTS_DISABLED": "hampir_jatuh_tempo,terlambat,ringkasan_harian,rapor_bulanan",
        "NTBCARE_PUBLIC_URL": "https://monitor.ntbprov.go.id/",
    }
    wrong = WorkerProcess(standby_url, env, "on-standby")
    try:
        assert wait_until(lambda: "read-only" in wrong.log(), timeout=60), wrong.log()[-2000:]
        assert wrong.proc.poll() is None  # it waits for a usable database instead of crashing
    finally:
        wrong.stop()
    with engine.connect() as conn:  # nothing of the worker's reached the primary from the standby
        assert conn.execute(text("SELECT to_regclass('ntbcare_alerts.alerts_outbox')")).scalar() is None

    right = WorkerProcess(engine.url.render_as_string(hide_password=False), env, "on-primary")
    try:

        def active():
            with engine.connect() as conn:
                if not q.tables_exist(conn):
                    return False
                hb = q.worker_heartbeat(conn)
            return dict(zip(hb["worker"], hb["role"], strict=True)).get("on-primary") == "active"

        assert wait_until(active, timeout=60), right.log()[-2000:]  # complaints before its start are history
        ticket = dataset.insert_now(engine, "Jembatan putus di Lenek (uji primer)", priority="mendesak")
        mails = smtp.wait_for(1, timeout=60)
        assert [m["subject"] for m in mails] == [f"[NTB Care] Aduan MENDESAK baru {ticket}"]
        on_standby = make_engine(standby_url)
        try:

            def replicated_outbox():
                with on_standby.connect() as conn:
                    if conn.execute(text("SELECT to_regclass('ntbcare_alerts.alerts_outbox')")).scalar() is None:
                        return None
                    return (
                        conn.execute(
                            text("SELECT status FROM ntbcare_alerts.alerts_outbox WHERE position(:t in title) > 0"),
                            {"t": ticket},
                        )
                        .scalars()
                        .all()
                        or None
                    )

            def sent_on_standby():  # 'sending' replicates first, then the worker's mark
                statuses = replicated_outbox()
                return statuses if statuses == ["sent"] else None

            assert wait_until(sent_on_standby, timeout=30) == ["sent"], replicated_outbox()
        finally:
            on_standby.dispose()
    finally:
        right.stop()
        smtp.stop()
