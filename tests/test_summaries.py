"""The summary worker's stored figures (python -m summaries): the plain computation's answer, on both backends.

Checked against the plain query on the hostile dataset (every data-quality finding present), after the NTB
Care application changes old rows (status, OPD, priority, timestamps), after a restart (a new engine), and
when the worker has stopped (a stale figure is not used: the page computes it itself).
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError

from core.codes import OPEN_STATUSES
from core.engine import make_engine
from queries import quality
from queries._sql import wita_period
from queries.schema import complaint
from queries.summary_store import read_figure
from summaries.worker import create_indexes, index_statements, main, rebuild
from tests import hostile
from tests.hostile import NOW

DAY = dt.timedelta(days=1)


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, db_factory):
    url = db_factory.url(request.param)
    engine = make_engine(url, must_exist=False)
    hostile.build(engine)
    yield url, engine
    engine.dispose()


def stored(engine, now=NOW) -> pd.DataFrame | None:
    with engine.connect() as conn:
        got = read_figure(conn, quality.STORED_NAME, now, DAY)
    return None if got is None else got[0]


def plain(engine, now=NOW) -> pd.DataFrame:
    with engine.connect() as conn:
        return quality.data_quality(conn, now)


def test_the_stored_figure_is_the_plain_one_and_follows_updates_of_old_rows(db):
    url, engine = db
    assert stored(engine) is None  # no worker yet: nothing stored, the page computes
    rebuild(engine, NOW)
    before = plain(engine)
    pd.testing.assert_frame_equal(stored(engine), before)
    assert before["count"].sum() > 0
    with engine.begin() as conn:  # the application edits its oldest complaints
        first = conn.execute(select(func.min(complaint.c.id))).scalar_one()
        opd = conn.execute(select(complaint.c.opd_id).where(complaint.c.opd_id.is_not(None)).limit(1)).scalar()
        conn.execute(
            update(complaint)
            .where(complaint.c.id.in_([first, first + 1, first + 2]))
            .values(status="selesai", resolved_at=None, priority="kilat", opd_id=opd, classification="x")
        )
    after = plain(engine)
    assert not after["count"].equals(before["count"])  # the edit shows in the plain figure ...
    pd.testing.assert_frame_equal(stored(engine), before)  # ... and in the stored one after the next run
    rebuild(engine, NOW)
    pd.testing.assert_frame_equal(stored(engine), after)
    restarted = make_engine(url)  # survives a restart: it is in the database
    try:
        pd.testing.assert_frame_equal(stored(restarted), after)
        with restarted.connect() as conn:
            pd.testing.assert_frame_equal(quality.data_quality_stored(conn, NOW), after)
    finally:
        restarted.dispose()


def test_a_stale_or_missing_figure_is_computed_by_the_page(db, monkeypatch):
    _, engine = db
    rebuild(engine, NOW - 3 * DAY)
    monkeypatch.setenv("NTBCARE_SUMMARY_INTERVAL", "3600")
    assert stored(engine) is None  # older than twice the interval
    with engine.begin() as conn:
        conn.execute(
            update(complaint)
            .where(complaint.c.id == select(func.min(complaint.c.id)).scalar_subquery())
            .values(priority="kilat")
        )
    with engine.connect() as conn:
        pd.testing.assert_frame_equal(quality.data_quality_stored(conn, NOW), quality.data_quality(conn, NOW))


def test_the_command_stores_the_figure_of_its_own_time(db):
    url, engine = db
    assert main(["rebuild", "--database-url", url]) == 0
    with engine.connect() as conn:
        got = read_figure(conn, quality.STORED_NAME, dt.datetime.now(dt.UTC), DAY)
        assert got is not None
        pd.testing.assert_frame_equal(got[0], quality.data_quality(conn, got[1]))


def test_the_scale_indexes_install_twice_and_change_no_figure(db_factory):
    url = db_factory.url("postgresql")
    engine = make_engine(url, must_exist=False)
    try:
        hostile.build(engine)
        before = plain(engine)
        assert len(create_indexes(engine)) == len(index_statements()) == 11  # 6 indexes, 4 statistics, ANALYZE
        create_indexes(engine)  # idempotent: run on every deploy
        with engine.connect() as conn:
            sql = text("SELECT indexname FROM pg_indexes WHERE indexname LIKE :p")
            names = set(conn.execute(sql, {"p": "ix_scale%"}).scalars())
        assert names == {
            "ix_scale_resolved_v2",
            "ix_scale_first_response_v2",
            "ix_scale_received",
            "ix_scale_dispatched",
            "ix_scale_open",
            "ix_scale_opd_dispatched",
        }
        with engine.connect() as conn:  # the partial index's statuses are the open ones of core.codes
            where = conn.execute(
                text("SELECT pg_get_expr(indpred, indrelid) FROM pg_index WHERE indexrelid = 'ix_scale_open'::regclass")
            ).scalar_one()
        assert set(re.findall(r"'([a-z]+)'", where)) == set(OPEN_STATUSES)
        pd.testing.assert_frame_equal(plain(engine), before)
    finally:
        engine.dispose()


def test_an_index_left_invalid_by_an_interrupted_build_is_built_again(db_factory):
    """A CREATE INDEX CONCURRENTLY that fails half-way leaves an INVALID index of its name, which PostgreSQL
    never reads and ``IF NOT EXISTS`` would skip: the next ``python -m summaries indexes`` replaces it."""
    engine = make_engine(db_factory.url("postgresql"), must_exist=False)

    def state() -> tuple[bool, str] | None:
        with engine.connect() as conn:
            row = conn.execute(
                text(
                    "SELECT indisvalid, pg_get_indexdef(indexrelid) FROM pg_index"
                    " WHERE indexrelid = to_regclass('ix_scale_open')"
                )
            ).first()
        return (row[0], row[1]) if row else None

    try:
        hostile.build(engine)
        # many complaints share a status: the unique build fails late, as an interrupted one does
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn, pytest.raises(IntegrityError):
            conn.exec_driver_sql("CREATE UNIQUE INDEX CONCURRENTLY ix_scale_open ON complaint (status)")
        left = state()
        assert left is not None and left[0] is False and "UNIQUE" in left[1]
        done = create_indexes(engine)
        assert "DROP INDEX CONCURRENTLY IF EXISTS ix_scale_open" in done
        valid, definition = state() or (False, "")
        assert valid and "UNIQUE" not in definition and "WHERE" in definition
        assert "DROP INDEX CONCURRENTLY IF EXISTS ix_scale_open" not in create_indexes(engine)  # valid: kept
    finally:
        engine.dispose()


def test_the_planner_statistics_are_on_what_the_trend_queries_group_by(db_factory):
    """A statistic helps only when PostgreSQL finds the query's very expression in it: each one in
    deploy/scale_indexes.sql is wita_period's compiled form (so a change of how the queries write the WITA week or
    month fails here, not silently at national scale), and once installed the planner expects as many months as
    the data holds instead of its blind guess."""
    engine = make_engine(db_factory.url("postgresql"), must_exist=False)
    try:
        hostile.build(engine)
        month = wita_period(complaint.c.received_at, "month")
        query = str(select(month, func.count()).group_by(month).compile(dialect=engine.dialect))

        def expected_groups() -> int:
            with engine.connect() as conn:
                return conn.execute(text("EXPLAIN (FORMAT JSON) " + query)).scalar_one()[0]["Plan"]["Plan Rows"]

        with engine.connect() as conn:
            months = conn.execute(select(func.count(func.distinct(month)))).scalar_one()
        guessed = expected_groups()
        create_indexes(engine)
        assert guessed > months and expected_groups() == months  # hostile: 3 months, guessed as 60 groups

        compiled = {
            f"st_scale_{col.removesuffix('_at')}_{grain}": str(
                wita_period(complaint.c[col], grain).compile(dialect=engine.dialect)
            ).replace("complaint.", "")
            for col in ("received_at", "resolved_at")
            for grain in ("week", "month")
        }
        found = [
            re.fullmatch(r"CREATE STATISTICS IF NOT EXISTS (\w+) ON \((.*)\) FROM complaint", st)
            for st in index_statements()
            if st.startswith("CREATE STATISTICS")
        ]
        assert {m.group(1): m.group(2) for m in found if m} == compiled and len(found) == 4
    finally:
        engine.dispose()
