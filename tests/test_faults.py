"""Faults on a PostgreSQL the tests control (tests/readonly.py), the app running as the read-only role.

Database down at start, down mid-session and back, a query slower than the statement timeout, the
connection pool exhausted: each gives its own clear Indonesian message, the data pages keep the last
good data with its age, nothing is written, and the next run recovers. AppTest plays the page's
automatic retries with ``at.run()`` (it never fires timers); tests/test_faults_browser.py shows a real
server recovering by itself.
"""

import datetime as dt
import re

import pandas as pd
import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest  # the type

from core.timefmt import to_wita
from dashboard import data
from tests import dataset
from tests.readonly import fingerprint

MARCH = {"periode": "rentang", "dari": "2026-03-01", "sampai": "2026-03-31"}
STALE = re.compile(
    r"Menampilkan data terakhir per (\d\d:\d\d:\d\d) WITA \((\d+) (dtk|mnt) lalu\)\. "
    r"Mencoba lagi otomatis\."
)


@pytest.fixture
def app_as_role(monkeypatch, readonly_db):
    """Configure the app (as the read-only role) with extra env settings; yields a setup function.

    Always leaves the server running and the caches empty; checks that nothing was written."""
    owner = readonly_db.owner_engine()
    before = fingerprint(owner)

    def setup(**env):
        monkeypatch.setenv("DATABASE_URL", readonly_db.ro_url)
        for k, v in env.items():
            monkeypatch.setenv(k, str(v))
        data.reset()
        return readonly_db.pg

    yield setup
    readonly_db.pg.start()
    data.reset()
    assert fingerprint(owner) == before  # nothing written, whatever happened
    owner.dispose()


def rapor(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


def assert_no_traceback(at: AppTest) -> None:
    assert not at.exception
    assert not at.error  # st.error is kept for configuration mistakes
    assert "Traceback" not in str(at.main)


def expire_cache() -> None:
    """What the passing of the cache ttl does: the next run asks the database again (last good data kept)."""
    data._run_slow.clear()
    data._run_fast.clear()


def assert_stale(at: AppTest, cause: str, good: pd.DataFrame, read_between: tuple[dt.datetime, dt.datetime]) -> None:
    """``cause`` is shown, the last good rapor is still on screen, with the time it was read and its age."""
    assert_no_traceback(at)
    (message,) = [w for w in warnings(at) if "Menampilkan data terakhir" in w]
    assert message.startswith(cause), message
    shown = STALE.search(message)
    assert shown, message
    lo, hi = (to_wita(t).strftime("%H:%M:%S") for t in read_between)
    at_ = shown.group(1)  # the moment the rapor on screen was read
    assert lo <= at_ <= hi if lo <= hi else (at_ >= lo or at_ <= hi)  # (read across midnight WITA)
    pd.testing.assert_frame_equal(rapor(at), good)


def test_database_down_at_start_then_back(app_as_role, open_page):
    pg = app_as_role()
    pg.stop()
    at = open_page("adviser", "kepatuhan", MARCH)
    assert_no_traceback(at)
    assert warnings(at) == ["Basis data tidak dapat dihubungi. Data belum tersedia; mencoba lagi otomatis."]
    assert not at.dataframe
    pg.start()
    at.run()  # the page's own retry
    assert_no_traceback(at)
    assert not warnings(at)
    every = at.dataframe[1].value.set_index("OPD")  # the rapor's figures in full (below the rapor)
    assert int(every.loc["ESDM", "Didisposisikan (periode)"]) == 1


def test_database_down_mid_session_keeps_the_rapor_with_its_age_then_recovers(app_as_role, open_page):
    pg = app_as_role()
    t0 = dt.datetime.now(dt.UTC)
    at = open_page("adviser", "kepatuhan", MARCH)
    t1 = dt.datetime.now(dt.UTC)
    assert not warnings(at)
    good = rapor(at)
    drill = at.dataframe[2].value  # after the rapor and its figures in full
    pg.stop("immediate")  # a crash, not a polite shutdown
    expire_cache()
    at.run()
    assert_stale(at, "Basis data tidak dapat dihubungi.", good, (t0, t1))
    pd.testing.assert_frame_equal(at.dataframe[2].value, drill)  # the drill-down too
    at.selectbox(key="kep-opd").set_value("N02").run()  # clicking around during the outage: no crash
    assert_no_traceback(at)
    assert any(w.startswith("Basis data tidak dapat dihubungi.") for w in warnings(at))
    pg.start()
    expire_cache()
    at.run()
    assert_no_traceback(at)
    assert not warnings(at)
    pd.testing.assert_frame_equal(rapor(at), good)
    assert at.dataframe[2].value["Tiket"].tolist() == ["T06"]  # N02's drill-down, read after the outage


def test_query_slower_than_the_statement_timeout(app_as_role, open_page, readonly_db):
    app_as_role(NTBCARE_STATEMENT_TIMEOUT_MS=400)
    t0 = dt.datetime.now(dt.UTC)
    at = open_page("adviser", "kepatuhan", MARCH)
    t1 = dt.datetime.now(dt.UTC)
    good = rapor(at)
    locker = readonly_db.owner_engine()
    with locker.connect() as conn:
        conn.execute(text("LOCK TABLE complaint IN ACCESS EXCLUSIVE MODE"))  # held until rollback
        expire_cache()
        at.run()
        assert_stale(
            at, "Kueri melebihi batas waktu 0,4 detik (basis data lambat atau tabel sedang dikunci).", good, (t0, t1)
        )
        conn.rollback()
    locker.dispose()
    expire_cache()
    at.run()
    assert_no_traceback(at)
    assert not warnings(at)
    pd.testing.assert_frame_equal(rapor(at), good)


def test_connection_pool_exhausted(app_as_role, open_page):
    app_as_role(NTBCARE_DB_POOL_SIZE=2, NTBCARE_DB_MAX_OVERFLOW=0, NTBCARE_DB_POOL_TIMEOUT=1)
    t0 = dt.datetime.now(dt.UTC)
    at = open_page("adviser", "kepatuhan", MARCH)
    t1 = dt.datetime.now(dt.UTC)
    good = rapor(at)
    engine = data.get_engine()  # the app's own engine and pool
    held = [engine.connect(), engine.connect()]  # every connection it may open
    assert engine.pool.checkedout() == 2
    expire_cache()
    at.run()
    assert_stale(at, "Semua koneksi ke basis data sedang terpakai (server dasbor sibuk).", good, (t0, t1))
    for conn in held:
        conn.close()
    expire_cache()
    at.run()
    assert_no_traceback(at)
    assert not warnings(at)
    pd.testing.assert_frame_equal(rapor(at), good)


@pytest.mark.parametrize(
    "env,needle",
    [
        ({"NTBCARE_STATEMENT_TIMEOUT_MS": "lima"}, "NTBCARE_STATEMENT_TIMEOUT_MS harus berupa bilangan bulat"),
        ({"NTBCARE_DB_POOL_SIZE": "0"}, "NTBCARE_DB_POOL_SIZE harus 1 atau lebih"),
    ],
)
def test_bad_fault_settings_give_a_clear_message(app_as_role, open_page, env, needle):
    app_as_role(**env)
    at = open_page("adviser", "kepatuhan", MARCH)
    assert not at.exception and "Traceback" not in str(at.main)
    assert any(needle in e.value.replace("\\", "") for e in at.error)  # shown escaped (literal markdown)


def test_english_messages(app_as_role, open_page):
    pg = app_as_role()
    pg.stop()
    at = open_page("adviser", "kepatuhan", {"lang": "en"})
    assert_no_traceback(at)
    assert warnings(at) == ["The database cannot be reached. No data yet; retrying automatically."]


def test_explorer_down_mid_session_keeps_its_list(app_as_role, open_page):
    """The explorer (aduan) reads three results with two warnings' worth of places: one message, no crash."""
    pg = app_as_role()
    at = open_page("leader", "aduan")
    assert_no_traceback(at)
    assert not warnings(at)
    listed = at.dataframe[0].value
    assert len(listed) == len(dataset.CASES)
    pg.stop()
    expire_cache()
    at.run()
    assert_no_traceback(at)
    assert len([w for w in warnings(at) if w.startswith("Basis data tidak dapat dihubungi.")]) == 1
    pd.testing.assert_frame_equal(at.dataframe[0].value, listed)
    pg.start()
    expire_cache()
    at.run()
    assert_no_traceback(at)
    assert not warnings(at)
