"""The kiosk's nightly self-reload: when it is due (in WITA), and that only the kiosk wall schedules it."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest

from core.codes import WITA
from dashboard.wall.kiosk import RELOAD_ENV, next_reload, parse_reload_at, reload_at_from_env, reload_script

UTC = dt.UTC
THREE = dt.time(3, 0)


@pytest.mark.parametrize(
    "now_utc,expected_utc",
    [
        # 03:00 WITA is 19:00 UTC of the day before (WITA is UTC+8, no daylight saving)
        (dt.datetime(2026, 11, 22, 18, 59, 59, tzinfo=UTC), dt.datetime(2026, 11, 22, 19, 0, tzinfo=UTC)),
        (
            dt.datetime(2026, 11, 22, 19, 0, 0, tzinfo=UTC),
            dt.datetime(2026, 11, 23, 19, 0, tzinfo=UTC),
        ),  # strictly after
        (dt.datetime(2026, 11, 22, 19, 0, 1, tzinfo=UTC), dt.datetime(2026, 11, 23, 19, 0, tzinfo=UTC)),
        (
            dt.datetime(2026, 11, 22, 16, 30, tzinfo=UTC),
            dt.datetime(2026, 11, 22, 19, 0, tzinfo=UTC),
        ),  # 00:30 WITA, 23 Nov
        (dt.datetime(2026, 11, 22, 3, 0, tzinfo=UTC), dt.datetime(2026, 11, 22, 19, 0, tzinfo=UTC)),  # 11:00 WITA
        (dt.datetime(2026, 12, 31, 20, 0, tzinfo=UTC), dt.datetime(2027, 1, 1, 19, 0, tzinfo=UTC)),  # over the new year
        (dt.datetime(2028, 2, 28, 19, 30, tzinfo=UTC), dt.datetime(2028, 2, 29, 19, 0, tzinfo=UTC)),  # leap day
    ],
)
def test_next_reload_is_the_next_03_00_wita(now_utc, expected_utc):
    when = next_reload(now_utc, THREE)
    assert when == expected_utc
    assert when.tzinfo is not None and when.utcoffset() == dt.timedelta(hours=8)
    assert (when.hour, when.minute, when.second) == (3, 0, 0)


def test_next_reload_from_any_timezone_and_with_seconds():
    now = dt.datetime(2026, 11, 22, 21, 49, 50, tzinfo=WITA)
    assert next_reload(now, dt.time(21, 49, 55)) == dt.datetime(2026, 11, 22, 21, 49, 55, tzinfo=WITA)
    jakarta = dt.timezone(dt.timedelta(hours=7))  # 20:49:50 WIB is 21:49:50 WITA
    assert next_reload(now.astimezone(jakarta), dt.time(21, 0)) == dt.datetime(2026, 11, 23, 21, 0, tzinfo=WITA)


@pytest.mark.parametrize(
    "raw,expected",
    [
        (None, dt.time(3, 0)),
        ("", None),
        ("   ", None),
        ("04:30", dt.time(4, 30)),
        (" 23:59 ", dt.time(23, 59)),
        ("03:00:15", dt.time(3, 0, 15)),
    ],
)
def test_parse_reload_at(raw, expected):
    assert parse_reload_at(raw) == expected


@pytest.mark.parametrize("raw", ["3am", "25:00", "03.00", "tengah malam"])
def test_parse_reload_at_rejects_nonsense_with_a_clear_message(raw):
    with pytest.raises(ValueError, match=f"{RELOAD_ENV} harus berupa jam WITA HH:MM"):
        parse_reload_at(raw)


def test_a_bad_setting_falls_back_to_03_00_with_a_warning(monkeypatch, caplog):
    monkeypatch.setenv(RELOAD_ENV, "jam tiga")
    with caplog.at_level(logging.WARNING, logger="ntbcare.kiosk"):
        assert reload_at_from_env() == dt.time(3, 0)
    assert "jam tiga" in caplog.text


def test_reload_script_waits_for_the_delay_and_checks_the_server_first():
    script = reload_script(1234)
    assert "const delayMs = 1234;" in script and "setTimeout(attempt, delayMs)" in script
    assert script.index("_stcore/health") < script.index("location.reload()")


def wall_scripts(open_page, query: dict) -> list[str]:
    at = open_page("anonymous", query=query)
    assert not at.exception
    assert "w-feed" in " ".join(h.proto.body for h in at.get("html"))
    return [h.proto.body for h in at.get("html") if "location.reload()" in h.proto.body]


def test_only_the_kiosk_wall_schedules_the_reload_for_the_configured_time(app_env, open_page, monkeypatch):
    at = (dt.datetime.now(WITA) + dt.timedelta(hours=2)).replace(microsecond=0)
    monkeypatch.setenv(RELOAD_ENV, at.strftime("%H:%M:%S"))
    assert wall_scripts(open_page, {}) == []  # an adviser's wall in a normal browser tab is never reloaded
    scripts = wall_scripts(open_page, {"kiosk": "1"})
    assert len(scripts) == 1
    delay_ms = int(re.search(r"const delayMs = (\d+);", scripts[0])[1])
    due = dt.datetime.now(WITA) + dt.timedelta(milliseconds=delay_ms)
    assert abs((due - at).total_seconds()) < 60  # the page ran just now: the delay points at the configured time


def test_an_empty_setting_disables_the_reload(app_env, open_page, monkeypatch):
    monkeypatch.setenv(RELOAD_ENV, "")
    assert wall_scripts(open_page, {"kiosk": "1"}) == []
