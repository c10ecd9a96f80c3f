"""The plain-Python working-day clock on dates checked by hand against the 2026 calendar."""

import datetime as dt

import pytest

from core.sla import ReferenceClock, build_calendar, holiday_map, load_overrides
from tests.dataset import wita

D = dt.date


@pytest.fixture(scope="module")
def clock():
    return ReferenceClock()


def test_three_working_days_after_17_march_2026_is_27_march(clock):
    assert clock.add_workdays(D(2026, 3, 17), 3) == D(2026, 3, 27)


@pytest.mark.parametrize(
    "start,n,expected",
    [
        (D(2026, 3, 13), 1, D(2026, 3, 16)),  # Friday -> Monday
        (D(2026, 3, 17), 1, D(2026, 3, 25)),  # across Nyepi, Idul Fitri and cuti bersama
        (D(2025, 12, 30), 14, D(2026, 1, 21)),  # across New Year and Isra Mikraj (16 Jan)
        (D(2026, 2, 13), 1, D(2026, 2, 18)),  # Imlek (17 Feb) and its cuti bersama (16 Feb)
        (D(2026, 12, 23), 1, D(2026, 12, 28)),  # cuti bersama 24 Dec and Christmas
        (D(2026, 3, 21), 0, D(2026, 3, 21)),
    ],
)
def test_add_workdays(clock, start, n, expected):
    assert clock.add_workdays(start, n) == expected


def test_cuti_bersama_and_public_holidays_2026_are_days_off():
    hol = holiday_map(2026, 2026)
    public = [
        "01-01",
        "01-16",
        "02-17",
        "03-19",
        "03-21",
        "03-22",
        "04-03",
        "04-05",
        "05-01",
        "05-14",
        "05-27",
        "05-31",
        "06-01",
        "06-16",
        "08-17",
        "08-25",
        "12-25",
    ]
    cuti = ["02-16", "03-18", "03-20", "03-23", "03-24", "05-15", "05-28", "12-24"]
    assert {D.fromisoformat(f"2026-{d}") for d in public + cuti} == set(hol)


def test_stage_states_around_the_holidays(clock):
    now = wita(2026, 3, 30, 10)
    st = clock.stage(wita(2026, 3, 17, 9), None, 3, now)
    assert (st["state"], st["deadline"], st["late_by"]) == ("breached", D(2026, 3, 27), 1)
    assert clock.stage(wita(2026, 3, 26, 8), None, 3, now)["state"] == "at_risk"
    assert clock.stage(wita(2026, 3, 27, 8), None, 3, now)["state"] == "on_track"
    closed = clock.stage(wita(2026, 3, 3, 9), wita(2026, 3, 12, 11), 5, now)
    assert (closed["state"], closed["elapsed"], closed["late_by"]) == ("late", 7, 2)
    # a timestamp after midnight WITA belongs to the WITA day, not the UTC one
    late = clock.stage(wita(2026, 3, 13, 10), wita(2026, 3, 26, 7), 3, now)
    assert (late["state"], late["late_by"]) == ("late", 1)


def test_calendar_index_matches_the_clock(clock):
    cal = build_calendar(D(2025, 12, 1), D(2026, 4, 30))
    cum = {c.day: c.wd_cum for c in cal}
    for c in cal:
        assert c.is_workday == clock.is_workday(c.day)
    assert cum[D(2026, 3, 27)] - cum[D(2026, 3, 17)] == 3
    assert cum[D(2026, 3, 24)] == cum[D(2026, 3, 17)]  # nothing but days off in between


def test_local_overrides_add_and_remove_days(tmp_path):
    f = tmp_path / "override.csv"
    f.write_text("date,libur,name\n2026-03-25,1,Libur daerah\n2026-03-24,0,\n", encoding="utf-8")
    assert load_overrides(f) == {D(2026, 3, 25): "Libur daerah", D(2026, 3, 24): None}
    clock = ReferenceClock(str(f))
    assert clock.is_workday(D(2026, 3, 24)) and not clock.is_workday(D(2026, 3, 25))
    assert clock.add_workdays(D(2026, 3, 17), 3) == D(2026, 3, 27)  # 24, 26, 27
