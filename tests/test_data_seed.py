"""`python -m data_seed`: realistic, reproducible data; refusals that protect databases; clear errors."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select, text

from core.engine import make_engine
from data_seed.cli import main
from data_seed.generator import Generator
from data_seed.reference import load_reference, widen
from queries import schema
from tests.browser_support import ROOT

UNTIL = "2026-11-20T04:00:00+00:00"


def run_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "data_seed", *args], check=False, cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A demo-volume database made by the real CLI (SQLite)."""
    path = tmp_path_factory.mktemp("seed") / "demo.sqlite"
    url = f"sqlite:///{path}"
    assert main(["init", "--database-url", url, "--seed", "3", "--until", UNTIL, "--quiet"]) == 0
    engine = make_engine(url)
    yield url, engine
    engine.dispose()


def test_reference_data_has_the_2026_reorganisation():
    ref = load_reference()
    assert len([o for o in ref.opd if o["code"][0] != "N"]) == 49
    active = [o for o in ref.opd if o["successor_id"] is None]
    kinds = pd.Series([o["kind"] for o in active]).value_counts().to_dict()
    assert kinds["dinas"] + kinds["dinas-setara"] == 19 and kinds["biro"] == 7 and kinds["badan"] == 9
    by_code = {o["code"]: o for o in ref.opd}
    pupr, perkim = by_code["D03"], by_code["D04"]
    assert pupr["successor_id"] == perkim["successor_id"] == by_code["N02"]["id"]
    assert pupr["valid_to"] == dt.date(2026, 1, 1) and by_code["N02"]["valid_from"] == dt.date(2026, 1, 2)
    assert len(ref.region) == 10 and {r["code"] for r in ref.region} >= {"5201", "5271", "5272"}


def test_demo_volume_and_mix_look_like_ntb_care(seeded):
    _, engine = seeded
    with engine.connect() as conn:
        df = pd.read_sql(select(schema.complaint), conn)
        channels = dict(conn.execute(select(schema.channel.c.id, schema.channel.c.code)).all())
    received = pd.to_datetime(df["received_at"], utc=True)
    months = received.dt.tz_convert("Asia/Makassar").dt.tz_localize(None).dt.to_period("M").value_counts()
    assert received.min() >= pd.Timestamp("2018-10-15T16:00Z")
    assert 40 <= months.median() <= 70  # about 45 to 70 a month
    fb = df[df["channel_id"].map(channels) == "facebook"]
    assert len(fb) > 100 and pd.to_datetime(fb["received_at"], utc=True).min() >= pd.Timestamp("2020-11-30T16:00Z")
    status = df["status"].value_counts(normalize=True)
    assert status["selesai"] > 0.7 and 0.03 < status["diarsipkan"] < 0.12
    assert 0 < status.get("terdisposisi", 0) + status.get("diproses", 0) < 0.1
    assert df["ticket"].is_unique and df["reporter_contact"].str.match(r"^08\d{9,11}$").all()
    assert df["region_id"].isna().mean() < 0.05 and df["opd_id"].notna().mean() > 0.85


def test_delays_are_long_tailed_and_some_opds_are_chronically_late(seeded):
    _, engine = seeded
    with engine.connect() as conn:
        df = pd.read_sql(
            select(schema.complaint.c.opd_id, schema.complaint.c.dispatched_at, schema.complaint.c.first_response_at),
            conn,
        )
    df = df.dropna()
    days = (
        pd.to_datetime(df["first_response_at"], utc=True) - pd.to_datetime(df["dispatched_at"], utc=True)
    ).dt.total_seconds() / 86400
    assert days.min() < 0.1 and days.max() > 60 and days.median() < 6
    by_opd = days.groupby(df["opd_id"]).median()
    assert by_opd.max() > 2 * by_opd.median()


def test_redispatch_events_point_to_the_current_opd(seeded):
    _, engine = seeded
    with engine.connect() as conn:
        rows = conn.execute(
            select(schema.complaint_event.c.opd_id, schema.complaint.c.opd_id)
            .join(schema.complaint, schema.complaint.c.id == schema.complaint_event.c.complaint_id)
            .where(schema.complaint_event.c.kind == "dialihkan")
        ).all()
    assert len(rows) > 50 and all(ev == cur for ev, cur in rows)


def test_same_seed_same_data():
    ref = load_reference()
    until = dt.datetime.fromisoformat(UNTIL)
    a = next(Generator(ref, seed=9, until=until, complaints=3000).chunks())
    b = next(Generator(ref, seed=9, until=until, complaints=3000).chunks())
    c = next(Generator(ref, seed=10, until=until, complaints=3000).chunks())
    pd.testing.assert_frame_equal(a.complaints, b.complaints)
    pd.testing.assert_frame_equal(a.events, b.events)
    assert not a.complaints["title"].equals(c.complaints["title"])


def test_init_refuses_non_empty_and_foreign_databases(seeded, tmp_path):
    url, _ = seeded
    res = run_cli("init", "--database-url", url, "--quiet")
    assert res.returncode == 2 and "tidak kosong" in res.stderr and "Traceback" not in res.stderr
    foreign = tmp_path / "foreign.sqlite"
    eng = make_engine(f"sqlite:///{foreign}", must_exist=False)
    with eng.begin() as conn:
        conn.execute(text("CREATE TABLE complaint (id INTEGER PRIMARY KEY, note TEXT)"))
        conn.execute(text("INSERT INTO complaint (note) VALUES ('milik orang lain')"))
    res = run_cli("init", "--database-url", f"sqlite:///{foreign}", "--reset", "--quiet")
    assert res.returncode == 2 and "tidak dibuat oleh data_seed" in res.stderr
    with eng.connect() as conn:
        assert conn.execute(text("SELECT note FROM complaint")).scalar_one() == "milik orang lain"
    res = run_cli("live", "--database-url", f"sqlite:///{foreign}", "--duration", "1")
    assert res.returncode == 2 and "menolak" in res.stderr


def test_reset_recreates_a_seeded_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    assert main(["init", "--database-url", url, "--complaints", "200", "--until", UNTIL, "--quiet"]) == 0
    assert main(["init", "--database-url", url, "--complaints", "300", "--until", UNTIL, "--quiet", "--reset"]) == 0
    with make_engine(url).connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.complaint)).scalar_one() == 300


@pytest.mark.parametrize(
    "url,needle",
    [
        ("bogus://x", "tidak didukung"),
        ("::::", "tidak valid"),
        ("postgresql://postgres@127.0.0.1:1/x", "tidak dapat dipakai"),
        ("sqlite:////nonexistent/dir/x.sqlite", "tidak ditemukan"),
    ],
)
def test_bad_database_url_gives_one_clear_line(url, needle):
    cmd = "live" if url.startswith("sqlite") else "init"
    res = (
        run_cli(cmd, "--database-url", url, "--duration", "1") if cmd == "live" else run_cli(cmd, "--database-url", url)
    )
    assert res.returncode == 2
    assert needle in res.stderr and "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_live_simulator_adds_and_moves_complaints(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    assert main(["init", "--database-url", url, "--complaints", "300", "--quiet"]) == 0
    engine = make_engine(url)
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(schema.complaint)).scalar_one()
        events_before = conn.execute(select(func.count()).select_from(schema.complaint_event)).scalar_one()
    res = run_cli("live", "--database-url", url, "--rate", "240", "--duration", "4", "--seed", "1")
    assert res.returncode == 0, res.stderr
    with engine.connect() as conn:
        after = conn.execute(select(func.count()).select_from(schema.complaint)).scalar_one()
        newest = conn.execute(
            select(schema.complaint.c.ticket, schema.complaint.c.status).order_by(schema.complaint.c.id.desc()).limit(1)
        ).one()
        events_after = conn.execute(select(func.count()).select_from(schema.complaint_event)).scalar_one()
    assert after > before and events_after > events_before + (after - before)
    assert newest.ticket.startswith(f"NTB-{dt.datetime.now(dt.UTC).year}-")


def _contents(engine) -> dict[str, list]:
    """Every table and its rows: equal before and after, nothing was written."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        return {
            name: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{name}"')).all()), key=repr)
            for name in sorted(inspect(conn).get_table_names())
        }


def test_data_seed_writes_only_to_databases_it_created(empty_db_url, capsys):
    """init, init --reset and live refuse a database that init did not create, on both backends, and leave it
    exactly as it was; calendar (meant for production databases) writes its own table and nothing else."""
    engine = make_engine(empty_db_url, must_exist=False)
    with engine.begin() as conn:  # someone else's database, with a table of the same name as ours
        conn.execute(text("CREATE TABLE complaint (id INTEGER PRIMARY KEY, note VARCHAR(50))"))
        conn.execute(text("CREATE TABLE warga (nik VARCHAR(16) PRIMARY KEY)"))
        conn.execute(text("INSERT INTO complaint VALUES (1, 'milik orang lain')"))
        conn.execute(text("INSERT INTO warga VALUES ('5271000000000001')"))
    before = _contents(engine)
    for argv, needle in (
        (["init"], "tidak kosong"),
        (["init", "--reset"], "tidak dibuat oleh data_seed"),
        (["live", "--duration", "1"], "menolak menulis"),
    ):
        assert main([*argv, "--database-url", empty_db_url, *(["--quiet"] if argv[0] == "init" else [])]) == 2
        assert needle in capsys.readouterr().err
        assert _contents(engine) == before
    assert main(["calendar", "--database-url", empty_db_url]) == 0
    after = _contents(engine)
    assert set(after) == set(before) | {"work_calendar"} and len(after["work_calendar"]) > 365
    assert {k: v for k, v in after.items() if k != "work_calendar"} == before
    engine.dispose()


def test_live_refuses_an_empty_database_and_reset_refuses_foreign_tables(empty_db_url, capsys):
    if empty_db_url.startswith("sqlite"):  # no file: refused, and no file made
        path = Path(empty_db_url.removeprefix("sqlite:///"))
        assert main(["live", "--database-url", empty_db_url, "--duration", "1"]) == 2
        assert "tidak ditemukan" in capsys.readouterr().err and not path.exists()
        path.touch()
    engine = make_engine(empty_db_url, must_exist=False)
    assert main(["live", "--database-url", empty_db_url, "--duration", "1"]) == 2
    assert "menolak menulis" in capsys.readouterr().err and _contents(engine) == {}
    assert main(["init", "--database-url", empty_db_url, "--complaints", "30", "--until", UNTIL, "--quiet"]) == 0
    with engine.begin() as conn:  # a table of someone else's inside a data_seed database
        conn.execute(text("CREATE TABLE catatan_lain (id INTEGER PRIMARY KEY)"))
        conn.execute(text("INSERT INTO catatan_lain VALUES (7)"))
    before = _contents(engine)
    assert main(["init", "--database-url", empty_db_url, "--reset", "--quiet"]) == 2
    assert "tabel lain (catatan_lain)" in capsys.readouterr().err
    assert _contents(engine) == before
    engine.dispose()


def test_postgresql_demo_gets_the_text_search_indexes(db_factory):
    """The explorer's text search uses trigram indexes on PostgreSQL (EXPLAIN shows them used)."""
    url = db_factory.url("postgresql")
    assert main(["init", "--database-url", url, "--complaints", "400", "--until", UNTIL, "--quiet"]) == 0
    engine = make_engine(url)
    with engine.connect() as conn:
        names = {r[0] for r in conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'complaint'"))}
        assert {"ix_complaint_title_trgm", "ix_complaint_body_trgm"} <= names
        conn.exec_driver_sql("SET enable_seqscan = off")  # a 400-row table: make the planner show its options
        plan = "\n".join(
            r[0]
            for r in conn.execute(
                text("EXPLAIN SELECT id FROM complaint WHERE lower(title) LIKE '%jalan%' OR lower(body) LIKE '%jalan%'")
            )
        )
    engine.dispose()
    assert "ix_complaint_title_trgm" in plan and "ix_complaint_body_trgm" in plan


def test_text_index_later_leaves_the_body_index_to_its_own_command(db_factory, capsys):
    """``init --text-index later`` (a 10M seed in minutes): every other index is there, the body's trigram index
    is not, and ``text-index`` adds it (CONCURRENTLY); the data is the same as with ``now``."""

    def indexes(url):
        engine = make_engine(url)
        with engine.connect() as conn:
            names = {r[0] for r in conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'complaint'"))}
            rows = conn.execute(text("SELECT count(*), sum(length(body)) FROM complaint")).one()
        engine.dispose()
        return names, tuple(rows)

    now_url, later_url = db_factory.url("postgresql"), db_factory.url("postgresql")
    args = ["--complaints", "300", "--until", UNTIL, "--quiet"]
    assert main(["init", "--database-url", now_url, *args]) == 0
    assert main(["init", "--database-url", later_url, "--text-index", "later", *args]) == 0
    assert "data_seed text-index" in capsys.readouterr().out  # it says what to run next
    full, data = indexes(now_url)
    without, same = indexes(later_url)
    assert same == data and data[0] == 300
    assert full - without == {"ix_complaint_body_trgm"}
    assert main(["text-index", "--database-url", later_url]) == 0
    assert indexes(later_url)[0] == full
    assert main(["text-index", "--database-url", later_url]) == 0  # idempotent


def test_a_national_number_of_agencies_all_get_complaints():
    ref = widen(load_reference(), 400)
    active = [o for o in ref.opd if o["successor_id"] is None]
    assert len(active) == 400
    assert len({o["code"] for o in ref.opd}) == len({o["name"] for o in ref.opd}) == len(ref.opd)
    # the pages name an OPD by its short name: no two active units share one (Kab. Bima and Kota Bima did)
    assert len({o["short_name"] for o in active}) == 400
    gen = Generator(ref, seed=5, until=dt.datetime.fromisoformat(UNTIL), complaints=60_000)
    counts = pd.concat([c.complaints for c in gen.chunks()])["opd_id"].value_counts()
    routed = {o["id"] for o in ref.opd if any(o["code"] in codes for codes in ref.sector_opd_codes.values())}
    added = {o["id"] for o in ref.opd if o["code"].startswith("X")}
    assert len(added) == 400 - len(load_reference_active()) and added - routed == set()  # every new unit routed
    assert counts.reindex(sorted(added)).fillna(0).min() > 0  # and holds complaints
    with pytest.raises(ValueError):
        widen(load_reference(), 10)


def load_reference_active() -> list:
    return [o for o in load_reference().opd if o["successor_id"] is None]


def test_chunks_are_the_same_whichever_order_they_are_made_in():
    ref = load_reference()
    until = dt.datetime.fromisoformat(UNTIL)
    gen = Generator(ref, seed=4, until=until, complaints=30_000)
    plan = gen.plan(max_rows=8_000)
    forwards = [gen.chunk(k, *months).complaints for k, months in enumerate(plan)]
    backwards = [gen.chunk(k, *months).complaints for k, months in reversed(list(enumerate(plan)))][::-1]
    for a, b in zip(forwards, backwards, strict=True):
        pd.testing.assert_frame_equal(a, b)
    whole = pd.concat(forwards)
    assert whole["id"].tolist() == list(range(1, 30_001)) and whole["ticket"].is_unique
    years = whole["ticket"].str.slice(4, 8).astype(int)
    wita_years = pd.to_datetime(whole["received_at"], utc=True).dt.tz_convert("Asia/Makassar").dt.year
    assert (years == wita_years).all()  # numbered per year of receipt, in WITA
    numbers = whole["ticket"].str.slice(9).astype(int).groupby(years)
    assert (numbers.min() == 1).all() and (numbers.max() == numbers.count()).all()
