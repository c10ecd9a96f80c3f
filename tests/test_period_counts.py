"""Counting per WITA period by ranges (``queries._sql.period_bounds``, ``per_period``): the ranges tile the asked
interval exactly, and the trends counted through them equal a recount from the raw rows, on both databases."""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from core.codes import WITA
from core.engine import make_engine
from core.timefmt import wita_date, wita_midnight
from queries import trend
from queries._sql import period_bounds
from queries.schema import complaint

GRAINS = ("day", "week", "month")
INSTANTS = st.datetimes(min_value=dt.datetime(2023, 1, 1), max_value=dt.datetime(2027, 12, 31)).map(
    lambda d: d.replace(tzinfo=dt.UTC)
)


def first_day(day: dt.date, grain: str) -> dt.date:
    """The period's first day, written out apart from the code under test."""
    if grain == "month":
        return dt.date(day.year, day.month, 1)
    if grain == "week":
        return dt.date.fromordinal(day.toordinal() - day.weekday())
    return day


@settings(max_examples=300, deadline=None)
@given(a=INSTANTS, b=INSTANTS, grain=st.sampled_from(GRAINS))
def test_period_bounds_tile_the_interval_one_period_each(a, b, grain):
    start, end = min(a, b), max(a, b)
    rows = period_bounds(start, end, grain)
    if start == end:
        assert rows == []
        return
    assert rows[0][1] == start and rows[-1][2] == end
    for (_, _, hi), (_, lo, _) in itertools.pairwise(rows):
        assert hi == lo  # no gap, no overlap
    for label, lo, hi in rows:
        assert lo < hi
        day = wita_date(lo)
        assert label == first_day(day, grain).isoformat()
        # the range's last instant is in the same period as its first
        assert first_day(wita_date(hi - dt.timedelta(microseconds=1)), grain) == first_day(day, grain)
    assert len({r[0] for r in rows}) == len(rows)


def test_period_bounds_start_on_wita_midnights():
    start = dt.datetime(2026, 2, 27, 10, 30, tzinfo=WITA)
    end = dt.datetime(2026, 3, 2, 0, 0, tzinfo=WITA)
    assert period_bounds(start, end, "month") == [
        ("2026-02-01", start.astimezone(dt.UTC), wita_midnight(dt.date(2026, 3, 1))),
        ("2026-03-01", wita_midnight(dt.date(2026, 3, 1)), end.astimezone(dt.UTC)),
    ]
    with pytest.raises(ValueError):
        period_bounds(start, end, "year")


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def generated(request, db_factory):
    """2,000 generated complaints up to now, on each backend."""
    engine = make_engine(db_factory.generated(request.param, complaints=2000, seed=5))
    with engine.connect() as conn:
        raw = pd.read_sql(select(complaint.c.received_at, complaint.c.resolved_at, complaint.c.status), conn)
    yield engine, raw
    engine.dispose()


def recount(raw: pd.DataFrame, col: str, start, end, grain: str, where=None) -> dict[str, int]:
    """Rows of ``col`` in [start, end) per WITA period, from the raw rows in pandas."""
    ts = pd.to_datetime(raw[col], utc=True, format="mixed")
    keep = (ts >= pd.Timestamp(start)) & (ts < pd.Timestamp(end))
    if where is not None:
        keep &= where
    days = ts[keep].dt.tz_convert(WITA).dt.date
    labels = days.map(lambda d: first_day(d, grain).isoformat()[: 7 if grain == "month" else 10])
    return {k: int(v) for k, v in labels.value_counts().items()}


CASES = [  # odd bounds on purpose: mid-day, mid-week, mid-month, across a year, nothing at all
    ("month", dt.datetime(2025, 1, 1, tzinfo=WITA), dt.datetime(2027, 1, 1, tzinfo=WITA)),
    ("month", dt.datetime(2025, 11, 17, 13, 5, tzinfo=WITA), dt.datetime(2026, 12, 3, 8, tzinfo=WITA)),
    ("week", dt.datetime(2026, 6, 3, 23, 59, 59, tzinfo=WITA), dt.datetime(2026, 12, 7, 12, tzinfo=WITA)),
    ("day", dt.datetime(2026, 10, 30, 16, tzinfo=dt.UTC), dt.datetime(2026, 12, 6, 16, tzinfo=dt.UTC)),
    ("day", dt.datetime(2026, 3, 1, tzinfo=WITA), dt.datetime(2026, 3, 1, tzinfo=WITA)),
]


@pytest.mark.parametrize(("grain", "start", "end"), CASES)
def test_trends_per_period_match_a_recount_of_the_rows(generated, grain, start, end):
    engine, raw = generated
    with engine.connect() as conn:
        flow = trend.received_vs_completed(conn, start, end, grain)
        done = trend.received_and_done(conn, start, end, grain)
    received = recount(raw, "received_at", start, end, grain)
    completed = recount(raw, "resolved_at", start, end, grain, where=raw["status"] == "selesai")
    if grain == "month" and start.year == 2025 and start.month == 1:
        assert sum(received.values()) > 300 and sum(completed.values()) > 150  # the case counts real rows
    got_received = {p: n for p, n in zip(flow["period"], flow["received"], strict=True) if n}
    got_completed = {p: n for p, n in zip(flow["period"], flow["completed"], strict=True) if n}
    assert got_received == received
    assert got_completed == completed
    assert set(flow["period"]) == set(received) | set(completed)  # periods with neither are absent
    assert dict(zip(done["period"], done["received"], strict=True)) == received
    selesai = raw["status"] == "selesai"
    assert dict(zip(done["period"], done["done"], strict=True)) == {
        p: n for p, n in recount(raw, "received_at", start, end, grain, where=selesai).items()
    } | {p: 0 for p in set(received) - set(recount(raw, "received_at", start, end, grain, where=selesai))}
