"""The screens registry (dashboard/wall/screens.py) against a hostile visitor: anyone who can load the wall can
report to it, so it must stay small, cheap and impossible to hijack."""

from __future__ import annotations

import pytest

from dashboard.wall import screens

T0 = 1_000_000.0


@pytest.fixture(autouse=True)
def empty_registry():
    screens.clear()
    yield
    screens.clear()


def report(name="", client="10.0.0.5", address="/monitor?kiosk=1", now=T0, session="s", started=T0):
    return screens.report(
        name=name,
        address=address,
        client=client,
        session=session,
        session_started=started,
        now=now,
        data_at=now,
        data_ok=True,
    )


def test_a_live_walls_name_cannot_be_taken_from_another_address():
    assert report("lobi", client="10.0.0.5").listed
    taken = report("lobi", client="10.9.9.9", now=T0 + 5)
    assert taken.name_taken and not taken.listed
    assert [(s.key, s.client) for s in screens.screens()] == [("lobi", "10.0.0.5")]
    # a stopped wall (quiet for over a minute) may be claimed by its replacement, e.g. after a new DHCP lease
    assert report("lobi", client="10.0.0.7", now=T0 + screens.HOLD_NAME_S + 1).listed
    assert [s.client for s in screens.screens()] == ["10.0.0.7"]


def test_a_misspelt_name_never_revives_a_dead_wall():
    """?layar=LOBI! from another address: refused as a name, listed (if at all) as an unnamed wall."""
    report("lobi", client="10.0.0.5")
    assert screens.valid_name("LOBI!") is None
    report(screens.valid_name("LOBI!") or "", client="10.6.6.6", now=T0 + 3600)
    rows = {s.key: s for s in screens.screens()}
    assert rows["lobi"].client == "10.0.0.5" and rows["lobi"].last_refresh == T0


def test_rows_addresses_and_unnamed_walls_are_bounded():
    huge = "/monitor?kiosk=1&x=" + "A" * 512 * 1024
    for i in range(screens.MAX_SCREENS + 50):
        report(f"wall-{i}", client=f"10.1.{i // 250}.{i % 250}", address=huge, now=T0 + i * 0.001)
    rows = screens.screens()
    assert len(rows) == screens.MAX_SCREENS
    assert max(len(s.address) for s in rows) == screens.ADDRESS_MAX
    # one browser cycling query strings gets a handful of unnamed rows, not one per query string
    screens.clear()
    for i in range(100):
        report("", client="10.2.0.1", address=f"/monitor?kiosk=1&q={i}")
    assert len(screens.screens()) == screens.MAX_UNNAMED_PER_CLIENT


def test_quiet_unnamed_walls_expire_in_minutes_and_named_ones_in_a_day():
    report("", client="10.0.0.1")
    report("lobi", client="10.0.0.2")
    assert len(screens.screens(T0 + screens.FORGET_UNNAMED_AFTER_S - 1)) == 2
    assert [s.key for s in screens.screens(T0 + screens.FORGET_UNNAMED_AFTER_S + 1)] == ["lobi"]
    assert screens.screens(T0 + screens.FORGET_AFTER_S + 1) == []
    # the unnamed wall's count went with its row: the same browser may list new walls again
    for i in range(screens.MAX_UNNAMED_PER_CLIENT):
        assert report("", client="10.0.0.1", address=f"/monitor?kiosk=1&n={i}", now=T0 + 2e5).listed


def test_a_full_registry_makes_room_once_old_rows_expire():
    for i in range(screens.MAX_SCREENS):
        report(f"w{i}", client="10.3.0.1", now=T0)
    assert not report("late", client="10.3.0.2", now=T0 + 10).listed  # full, nothing expired
    later = T0 + screens.FORGET_AFTER_S + 1
    assert report("late", client="10.3.0.2", now=later).listed  # the report path pruned (once per 30 s at most)
    assert [s.key for s in screens.screens()] == ["late"]


def test_a_refresh_does_no_work_per_row(monkeypatch):
    """A wall's refresh looks at no other row, however many there are: rows are examined (for expiry) only by the
    admin page and, on a full registry, by a new wall's report at most every PRUNE_EVERY_S."""
    for i in range(screens.MAX_SCREENS - 1):
        report(f"w{i}", client="10.4.0.1")
    report("lobi", client="10.0.0.5")
    examined = []
    real = screens._expired
    monkeypatch.setattr(screens, "_expired", lambda s, now: examined.append(s.key) or real(s, now))
    for i in range(1000):
        report("lobi", client="10.0.0.5", now=T0 + i * 0.5)
    assert examined == []
    for i in range(100):  # new walls knocking on a full registry: one prune per PRUNE_EVERY_S, not one per knock
        report(f"new-{i}", client="10.5.0.1", now=T0 + 600 + i * 0.1)
    assert len(examined) == screens.MAX_SCREENS
    screens.screens(T0 + 700)
    assert len(examined) == 2 * screens.MAX_SCREENS


def test_only_kiosk_walls_register_and_a_bad_name_is_said(app_env, open_page):
    """AppTest: the wall without ?kiosk=1 (anyone's browser) adds no row; a kiosk wall adds one; a refused name
    is said in a toast and the wall is listed unnamed."""
    at = open_page("anonymous", "monitor", {"layar": "lobi"})
    assert not at.exception and screens.screens() == []
    at = open_page("anonymous", "monitor", {"kiosk": "1", "layar": "LOBI!"})
    assert not at.exception and len(at.metric) == 7
    assert [t.value for t in at.toast] == ["Parameter URL diabaikan: layar\\=LOBI\\!"]  # markdown-escaped
    assert [(s.name, s.key.startswith("tanpa-nama-")) for s in screens.screens()] == [("", True)]
