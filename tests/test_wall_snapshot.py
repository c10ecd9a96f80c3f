"""The wall's live panel reads one snapshot per refresh: one clock reading for the feed and the received counts,
so that the card "Masuk hari ini" never lags the feed (it did twice in a demo: a new ticket in the feed, the old
count); the late-OPD table and the completions come from the shared panel-interval cache, so a new complaint
never waits for them."""

from __future__ import annotations

import datetime as dt
import os

from core.engine import make_engine
from core.timefmt import now_utc
from dashboard.wall import data as wall_data
from tests.dataset import insert_now


def tickets(snap: wall_data.Snapshot) -> set[str]:
    return set(snap.feed.data["ticket"])


def test_the_card_counts_every_complaint_the_feed_shows_and_none_it_does_not(app_env):
    engine = make_engine(os.environ["DATABASE_URL"])
    now = now_utc().replace(microsecond=0)
    before = wall_data.take_snapshot(("test", 1), now)
    counted = before.received.data["received_today"]
    # one complaint just before the snapshot's instant, one just after it (a sender's clock a minute ahead:
    # the feed's query tolerates that, the count of today does not)
    inside = insert_now(engine, "Lampu jalan padam di Cakranegara", received_at=now - dt.timedelta(seconds=1))
    ahead = insert_now(engine, "Saluran tersumbat di Ampenan", received_at=now + dt.timedelta(seconds=90))
    snap = wall_data.take_snapshot(("test", 2), now)
    assert inside in tickets(snap) and ahead not in tickets(snap)
    assert snap.received.data["received_today"] == counted + 1
    assert all(r.ok for r in snap.results) and snap.now == now
    later = wall_data.take_snapshot(("test", 3), now + dt.timedelta(minutes=2))
    assert {inside, ahead} <= tickets(later)
    assert later.received.data["received_today"] == counted + 2
    # the cards' sums come from the same per-OPD table the late-OPD list shows
    cards = wall_data.headline_figures(later.late, later.period, later.received)
    assert cards["breached"] == int(later.late.data["breached"].sum())
    assert cards["received_today"] == later.received.data["received_today"] == counted + 2
    engine.dispose()


def test_every_wall_takes_the_same_instant_for_the_same_change():
    """The first wall that sees a change reads the clock; the others reuse it (one cache entry for all)."""
    first = wall_data.snapshot_clock(("change", 7), 1234)
    assert wall_data.snapshot_clock(("change", 7), 1234) == first
    assert wall_data.snapshot_clock(("change", 8), 1234) >= first  # a new change: a new reading


def test_a_new_complaint_does_not_wait_for_the_late_opds_but_a_new_panel_interval_reads_them_again(app_env):
    """The late OPDs and the completions are read once per panel interval for every wall (0.4 s and 0.2 s at ten
    million complaints); a change reads only the feed, the activity, the urgent list and the received counts."""
    from dashboard import data

    engine = make_engine(os.environ["DATABASE_URL"])
    now = now_utc().replace(microsecond=0)
    first = wall_data.take_snapshot(("test", 10), now)
    insert_now(engine, "Jembatan retak di Praya", received_at=now - dt.timedelta(seconds=1))
    second = wall_data.take_snapshot(("test", 11), now + dt.timedelta(seconds=1))
    assert second.received.data["received_today"] == first.received.data["received_today"] + 1
    assert second.received.fetched_at != first.received.fetched_at  # read again for the change
    assert second.late.fetched_at == first.late.fetched_at  # the same reading: not asked again
    assert second.period.fetched_at == first.period.fetched_at
    data.reset()  # what the panel interval's end does: the next snapshot reads them again, with the new complaint
    third = wall_data.take_snapshot(("test", 11), now + dt.timedelta(seconds=2))
    assert third.late.fetched_at > first.late.fetched_at
    assert int(third.late.data["open"].sum()) == int(first.late.data["open"].sum()) + 1
    engine.dispose()
