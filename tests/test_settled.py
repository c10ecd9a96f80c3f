"""Stored SLA outcomes of closed complaints (queries/settled.py) give exactly the plain rapor, on both backends.

Checked on the hand-built dataset (pauses, merged OPDs, every state) and on the hostile one (odd rows), for a
month, a year and both OPD views: with a fresh store, after the NTB Care application edits old rows and adds
events while the store is stale (those complaints are computed live at once), after the next refresh, under
other SLA rules and after a calendar edit (the store is not used), and through the summary worker's rebuild.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import func, insert, select, update

from core.codes import OPEN_STATUSES
from core.engine import make_engine
from core.settings import SlaRules
from data_seed import cli as seed_cli
from queries import headline, scorecard, settled
from queries.schema import complaint, complaint_event, work_calendar
from queries.summary_store import summary_conn
from summaries.worker import rebuild
from tests import dataset, hostile
from tests.dataset import NOW, wita

PERIODS = {
    "march": (wita(2026, 3, 1, 0), wita(2026, 4, 1, 0)),
    "year": (wita(2025, 4, 1, 0), wita(2026, 4, 1, 0)),
}


def _engine(db_factory, backend, build):
    engine = make_engine(db_factory.url(backend), must_exist=False)
    build(engine)
    return engine


def generated(engine) -> None:
    """3,000 complaints of data_seed up to NOW: thousands of closed ones, with pauses, archives, every state."""
    url = engine.url.render_as_string(hide_password=False)
    assert (
        seed_cli.main(
            [
                "init",
                "--database-url",
                url,
                "--complaints",
                "3000",
                "--seed",
                "5",
                "--until",
                NOW.isoformat(),
                "--quiet",
            ]
        )
        == 0
    )


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, db_factory):
    engine = _engine(db_factory, request.param, generated)
    yield engine
    engine.dispose()


def rapor(engine, period: str, rollup: bool, rules=None, use_store: bool = True) -> pd.DataFrame:
    rules = rules or SlaRules()
    with engine.connect() as conn:
        if not use_store:
            with pytest.MonkeyPatch.context() as mp:
                mp.setattr(settled, "usable_mark", lambda conn, rules: None)
                return scorecard.opd_scorecard(conn, *PERIODS[period], NOW, rules, rollup=rollup)
        return scorecard.opd_scorecard(conn, *PERIODS[period], NOW, rules, rollup=rollup)


def stored_count(engine, period: str, rules=None) -> int:
    """How many complaints of the period the store answers for (0 when it is not usable)."""
    with engine.connect() as conn:
        mark = settled.usable_mark(summary_conn(conn), rules or SlaRules())
        if mark is None:
            return 0
        start, end = PERIODS[period]
        stored, _ = settled.split(mark, [complaint.c.dispatched_at >= start, complaint.c.dispatched_at < end])
        return int(summary_conn(conn).execute(select(func.count()).select_from(stored)).scalar_one())


def refresh(engine, rules=None, full: bool = True) -> dict[str, int]:
    with engine.begin() as conn:
        return settled.refresh(conn, rules or SlaRules(), NOW, full=full)


def monthly(engine, opd_id, rollup: bool, rules=None, use_store: bool = True) -> pd.DataFrame:
    with engine.connect() as conn, pytest.MonkeyPatch.context() as mp:
        if not use_store:
            mp.setattr(settled, "usable_mark", lambda conn, rules: None)
        return scorecard.opd_monthly(conn, opd_id, *PERIODS["year"], NOW, rules or SlaRules(), rollup=rollup)


def on_time(engine, grain, rules=None, use_store: bool = True) -> pd.DataFrame:
    with engine.connect() as conn, pytest.MonkeyPatch.context() as mp:
        if not use_store:
            mp.setattr(settled, "usable_mark", lambda conn, rules: None)
        rules = rules or SlaRules()
        if grain is None:
            return headline.completion_counts(conn, rules, *PERIODS["march"], now=NOW)
        return headline.on_time_by_period(conn, *PERIODS["year"], rules, grain=grain)


def assert_same(engine, rules=None):
    """The rapor (a month, a year), the on-time counts by resolution and the month-by-month chart of the first three OPDs and of the unassigned, both OPD views: the plain figures."""
    for rollup in (True, False):
        for period in PERIODS:
            plain = rapor(engine, period, rollup, rules, use_store=False)
            pd.testing.assert_frame_equal(rapor(engine, period, rollup, rules), plain)
        for opd_id in [None, *plain["opd_id"].dropna().astype(int)[:3]]:
            expected = monthly(engine, opd_id, rollup, rules, use_store=False)
            pd.testing.assert_frame_equal(monthly(engine, opd_id, rollup, rules), expected)
    for grain in (None, "month", "day"):  # the summary page's on-time figures, by month of resolution
        pd.testing.assert_frame_equal(on_time(engine, grain, rules), on_time(engine, grain, rules, use_store=False))


def test_a_fresh_store_gives_the_plain_rapor(db):
    plain = rapor(db, "year", True, use_store=False)
    assert plain["dispatched"].sum() > 0 and plain["responded"].sum() > 0
    got = refresh(db)
    with db.connect() as conn:
        closed = conn.execute(select(func.count()).where(complaint.c.status.not_in(OPEN_STATUSES))).scalar_one()
    assert got["added"] == closed > 0  # every closed complaint stored, no open one
    assert stored_count(db, "year") > 0  # the store answers for part of the year ...
    assert_same(db)  # ... and the rapor is the plain one, for a month and a year, both OPD views
    assert refresh(db) == {"dropped": 0, "added": 0}  # nothing changed: nothing to do


def test_the_hand_built_and_hostile_datasets_give_the_plain_rapor_too(db_factory):
    for backend, build in [(b, d) for b in ("sqlite", "postgresql") for d in (dataset.build, hostile.build)]:
        engine = _engine(db_factory, backend, build)
        try:
            refresh(engine)
            assert_same(engine)
        finally:
            engine.dispose()


def test_edits_of_old_rows_and_new_events_are_live_before_the_next_refresh(db):
    refresh(db)
    before = stored_count(db, "year")
    unedited = rapor(db, "year", True, use_store=False)
    with db.begin() as conn:
        closed = conn.execute(
            select(complaint.c.id, complaint.c.opd_id)
            .where(complaint.c.status.not_in(OPEN_STATUSES), complaint.c.dispatched_at >= PERIODS["year"][0])
            .order_by(complaint.c.id)
        ).all()
        opened = (
            conn.execute(select(complaint.c.id).where(complaint.c.status.in_(OPEN_STATUSES)).order_by(complaint.c.id))
            .scalars()
            .all()
        )
        other_opd = next(o for _, o in closed if o != closed[1].opd_id)
        # reopened, moved to another OPD, answered later, and a pause added to a closed one
        conn.execute(
            update(complaint).where(complaint.c.id == closed[0].id).values(status="diproses", resolved_at=None)
        )
        conn.execute(update(complaint).where(complaint.c.id == closed[1].id).values(opd_id=other_opd))
        answered = conn.execute(
            select(complaint.c.first_response_at).where(complaint.c.id == closed[2].id)
        ).scalar_one()
        conn.execute(
            update(complaint)
            .where(complaint.c.id == closed[2].id)
            .values(first_response_at=answered + dt.timedelta(days=9))
        )
        conn.execute(
            insert(complaint_event).values(
                complaint_id=closed[3].id, occurred_at=wita(2026, 3, 2), kind="ditunda", actor="uji", note="jeda"
            )
        )
        # and an open complaint closed now: it has no stored row yet, so it is computed live
        conn.execute(update(complaint).where(complaint.c.id == opened[0]).values(status="selesai", resolved_at=NOW))
    assert not rapor(db, "year", True, use_store=False).equals(unedited)  # the edits change the rapor
    assert stored_count(db, "year") < before  # the edited complaints left the stored part at once ...
    assert_same(db)  # ... and the rapor is still the plain one
    quick = refresh(db, full=False)  # the worker's run between full passes: the complaints with new events
    assert quick == {"dropped": 1, "added": 1}
    assert_same(db)
    got = refresh(db)  # the full pass finds the edits that came without an event
    assert got["dropped"] == 3 and got["added"] == 3
    assert refresh(db) == {"dropped": 0, "added": 0}
    assert_same(db)


def test_other_rules_or_an_edited_calendar_do_not_use_the_store(db):
    refresh(db)
    other = dataclasses.replace(SlaRules(), response_days=SlaRules().response_days + 2)
    assert stored_count(db, "year", other) == 0
    assert_same(db, other)
    assert stored_count(db, "year") > 0
    with db.begin() as conn:  # a new holiday on a working day in March
        day = conn.execute(
            select(func.min(work_calendar.c.day)).where(
                work_calendar.c.day >= dt.date(2026, 3, 10), work_calendar.c.is_workday.is_(True)
            )
        ).scalar_one()
        conn.execute(update(work_calendar).where(work_calendar.c.day == day).values(is_workday=False))
        conn.execute(update(work_calendar).where(work_calendar.c.day >= day).values(wd_cum=work_calendar.c.wd_cum - 1))
    assert stored_count(db, "year") == 0
    assert_same(db)
    refresh(db)  # the worker starts over under the new calendar
    assert stored_count(db, "year") > 0
    assert_same(db)


def test_the_summary_worker_keeps_the_store(db):
    rebuild(db, NOW)
    assert stored_count(db, "year") > 0
    assert_same(db)
