"""Least privilege: deploy/readonly_role.sql makes a role that can read the contract and nothing else; the app
works as that role, and the app's own engine refuses writes (as that role, and even as the owner).

The role lives on a private PostgreSQL (tests/readonly.py); AppTest runs every page as the role.
"""

import datetime as dt

import pytest
from sqlalchemy import delete, insert, text, update
from sqlalchemy.exc import DBAPIError
from streamlit.testing.v1 import AppTest  # the type

from core.engine import make_engine
from core.i18n import t
from core.settings import SlaRules
from core.sla import reference_complaint_sla
from dashboard import data
from queries import schema
from tests import dataset
from tests.readonly import CONTRACT_TABLES, ROLE, apply_script, fingerprint, psql

READ_ONLY_TXN, NO_PRIVILEGE = "25006", "42501"


@pytest.fixture
def as_role(monkeypatch, readonly_db):
    """The app configured with the read-only role's URL; yields the owner's engine (for checks)."""
    monkeypatch.setenv("DATABASE_URL", readonly_db.ro_url)
    data.reset()
    owner = readonly_db.owner_engine()
    yield owner
    data.reset()
    owner.dispose()


# each page as the weakest role that may open it (dashboard/access.py): kepatuhan is an adviser's, the rest a leader's
MARCH = {"periode": "rentang", "dari": "2026-03-01", "sampai": "2026-03-31"}


def assert_clean(at: AppTest) -> None:
    assert not at.exception
    assert not at.warning and not at.error, [w.value for w in (*at.warning, *at.error)]
    assert "Traceback" not in str(at.main)


# --- the script -------------------------------------------------------------------------------------


def test_role_may_select_the_contract_tables_and_nothing_else(readonly_db, as_role):
    with as_role.connect() as conn:
        attrs = conn.execute(
            text(
                "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolconfig "
                "FROM pg_roles WHERE rolname = :r"
            ),
            {"r": ROLE},
        ).one()
        grants = conn.execute(
            text(
                "SELECT table_name, privilege_type FROM information_schema.role_table_grants WHERE grantee = :r "
                "ORDER BY 1, 2"
            ),
            {"r": ROLE},
        ).all()
        member_of = conn.execute(
            text("SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = :r"),
            {"r": ROLE},
        ).scalar_one()
        schema_rights = conn.execute(
            text(
                "SELECT has_schema_privilege(:r, 'public', 'USAGE'), has_schema_privilege(:r, 'public', 'CREATE'), "
                "has_database_privilege(:r, current_database(), 'CONNECT'), "
                "has_database_privilege(:r, current_database(), 'CREATE')"
            ),
            {"r": ROLE},
        ).one()
        sequences = conn.execute(
            text(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
                "AND c.relkind = 'S' AND (has_sequence_privilege(:r, c.oid, 'USAGE') "
                "OR has_sequence_privilege(:r, c.oid, 'UPDATE'))"
            ),
            {"r": ROLE},
        ).scalar_one()
    assert tuple(attrs[:6]) == (True, False, False, False, False, False)
    assert attrs.rolconfig == ["default_transaction_read_only=on"]
    assert grants == [(t, "SELECT") for t in CONTRACT_TABLES]
    assert member_of == 0 and sequences == 0
    assert tuple(schema_rights) == (True, False, True, False)


def test_script_is_re_runnable_and_resets_extra_privileges(readonly_db, as_role):
    with as_role.begin() as conn:  # an operator widened the role by hand
        conn.execute(text(f"GRANT INSERT, UPDATE ON complaint TO {ROLE}"))
        conn.execute(text(f"REVOKE SELECT ON work_calendar FROM {ROLE}"))
        conn.execute(text(f"ALTER ROLE {ROLE} CREATEDB"))
    res = apply_script(readonly_db.pg, readonly_db.database)
    assert res.returncode == 0, res.stderr
    assert "nothing else" in res.stdout and "WARNING" not in res.stdout
    with as_role.connect() as conn:
        grants = conn.execute(
            text(
                "SELECT table_name, privilege_type FROM information_schema.role_table_grants "
                "WHERE grantee = :r ORDER BY 1, 2"
            ),
            {"r": ROLE},
        ).all()
        createdb = conn.execute(text("SELECT rolcreatedb FROM pg_roles WHERE rolname = :r"), {"r": ROLE}).scalar_one()
    assert grants == [(t, "SELECT") for t in CONTRACT_TABLES] and createdb is False


def test_script_warns_about_missing_tables(readonly_db):
    readonly_db.pg.create_database("ntbcare_empty")
    res = apply_script(readonly_db.pg, "ntbcare_empty", role="ntbcare_ro_empty")
    assert res.returncode == 0, res.stderr
    assert (
        "tables missing in schema public: channel, complaint, complaint_event, opd, region, sector, work_calendar"
        in res.stdout
    )


def test_the_role_cannot_write_even_when_it_asks_for_a_read_write_transaction(readonly_db, as_role):
    before = fingerprint(as_role)
    res = psql(readonly_db.pg, readonly_db.database, "-c", "UPDATE complaint SET status = 'selesai'", user=ROLE)
    assert res.returncode != 0 and "read-only transaction" in res.stderr
    for statement in (
        "UPDATE complaint SET status = 'selesai'",
        "DELETE FROM complaint_event",
        "INSERT INTO sector (code, name) VALUES ('x', 'x')",
        "TRUNCATE seed_meta",
        "CREATE TABLE public.mine (id int)",
        "ALTER TABLE complaint ADD COLUMN x int",
    ):
        res = psql(
            readonly_db.pg,
            readonly_db.database,
            "-c",
            "SET default_transaction_read_only = off",
            "-c",
            statement,
            user=ROLE,
        )
        assert res.returncode != 0 and ("permission denied" in res.stderr or "must be owner" in res.stderr), (
            statement,
            res.stderr,
        )
    assert fingerprint(as_role) == before


# --- the app as the role ------------------------------------------------------------------------------


def test_monitor_works_as_the_role(as_role, open_page):
    at = open_page("leader")
    assert_clean(at)
    got = {m.label: m.value for m in at.metric}
    now = dt.datetime.now(dt.UTC)
    open_cases = [
        c for c in dataset.CASES.values() if c["status"] in ("diterima", "terdisposisi", "diproses", "ditunda")
    ]
    states = [
        reference_complaint_sla(
            {**dict.fromkeys(("dispatched_at", "first_response_at", "resolved_at")), **c}, SlaRules(), now
        )["sla_state"]
        for c in open_cases
    ]
    assert got["Belum selesai"] == str(len(open_cases)) == "8"
    assert got["Terlambat"] == str(states.count("breached"))
    html = " ".join(h.proto.body for h in at.get("html"))
    newest = sorted(dataset.CASES, key=lambda k: dataset.CASES[k]["received_at"], reverse=True)[:8]
    assert all(f'data-ticket="{ticket}"' in html for ticket in newest)  # the live feed


def test_kepatuhan_works_as_the_role(as_role, open_page):
    at = open_page("adviser", "kepatuhan", MARCH)
    assert_clean(at)
    rapor, every = (at.dataframe[i].value.set_index("OPD") for i in (0, 1))  # the rapor, then all its figures
    assert every.loc["ESDM", "Didisposisikan (periode)"] == "1"
    assert rapor.loc["PUPR-PKP", "Terlambat kini"] == "1"
    at.selectbox(key="kep-opd").set_value("-").run()  # the complaints without an OPD
    assert sorted(at.dataframe[2].value["Tiket"]) == ["T01", "T02", "T12", "T13"]
    at.button(key="btn-kep.pdf_all").click().run()  # the all-OPD PDF reads every late complaint
    assert not at.exception and any(b.label == "Unduh PDF" for b in at.get("download_button"))


def test_aduan_works_as_the_role(as_role, open_page):
    at = open_page("leader", "aduan", {"tiket": "T05"})
    assert_clean(at)
    assert "Tambang ilegal di sungai" in [x.value for x in at.text]
    assert at.dataframe[1].value["OPD"].tolist() == ["DLHK", "ESDM", "ESDM", "ESDM"]  # the timeline


def test_explorer_works_as_the_role(as_role, open_page):
    at = open_page("leader", "aduan")
    assert_clean(at)
    assert sorted(at.dataframe[0].value["Tiket"]) == sorted(dataset.CASES)  # a row opens its ticket (one click)


def test_ringkasan_works_as_the_role(as_role, open_page):
    at = open_page("leader", "ringkasan", MARCH)
    assert_clean(at)
    got = {m.label: m.value for m in at.metric}
    march = [c for c in dataset.CASES.values() if (c["received_at"].year, c["received_at"].month) == (2026, 3)]
    assert got[t("sum.received", "id")] == str(len(march))
    assert got[t("sum.open_now", "id")] == "8"


def test_a_missing_grant_gets_its_own_message(readonly_db, as_role, open_page):
    with as_role.begin() as conn:
        conn.execute(text(f"REVOKE SELECT ON work_calendar FROM {ROLE}"))
    try:
        at = open_page("adviser", "kepatuhan")
        assert not at.exception
        assert any("tidak berhak membaca data ini" in w.value and "readonly_role.sql" in w.value for w in at.warning)
    finally:
        assert apply_script(readonly_db.pg, readonly_db.database).returncode == 0
    data.reset()
    assert_clean(open_page("adviser", "kepatuhan"))


# --- writes through the app's own engine -----------------------------------------------------------------


def _try_writes(engine) -> list[str]:
    """Every kind of write through ``engine``; returns the SQLSTATE of each refusal."""
    codes = []
    for stmt in (
        update(schema.complaint).values(status="selesai"),
        delete(schema.complaint_event),
        insert(schema.sector).values(code="x", name="x"),
    ):
        with pytest.raises(DBAPIError) as err, engine.begin() as conn:
            conn.execute(stmt)
        codes.append(getattr(err.value.orig, "pgcode", None))
    return codes


def test_a_write_through_the_apps_engine_is_refused(as_role, open_page):
    open_page("leader")  # the app made its engine
    engine = data.get_engine()
    assert engine.url.username == ROLE
    before = fingerprint(as_role)
    assert _try_writes(engine) == [READ_ONLY_TXN] * 3
    # lifting the read-only default does not help: no privilege
    with pytest.raises(DBAPIError) as err, engine.begin() as conn:
        conn.execute(text("SET TRANSACTION READ WRITE"))
        conn.execute(update(schema.complaint).values(status="selesai"))
    assert err.value.orig.pgcode == NO_PRIVILEGE
    assert fingerprint(as_role) == before


def test_the_apps_engine_is_read_only_even_as_the_owner(monkeypatch, readonly_db):
    """Defence in depth: with an owner's URL by mistake, the app still cannot write."""
    monkeypatch.setenv("DATABASE_URL", readonly_db.owner_url)
    data.reset()
    owner = readonly_db.owner_engine()
    try:
        before = fingerprint(owner)
        assert _try_writes(data.get_engine()) == [READ_ONLY_TXN] * 3
        assert fingerprint(owner) == before
    finally:
        data.reset()
        owner.dispose()


def test_the_apps_engine_is_read_only_on_sqlite(monkeypatch, db_factory):
    url = db_factory.url("sqlite")
    dataset.build(make_engine(url, must_exist=False))
    monkeypatch.setenv("DATABASE_URL", url)
    data.reset()
    try:
        engine = data.get_engine()
        with pytest.raises(DBAPIError, match="readonly"), engine.begin() as conn:
            conn.execute(update(schema.complaint).values(status="selesai"))
        with make_engine(url).connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM complaint WHERE status = 'selesai'")).scalar_one() == sum(
                c["status"] == "selesai" for c in dataset.CASES.values()
            )
    finally:
        data.reset()
