"""Issue 13 without a browser: the map's shapes, the urgent cue, the screens registry, the change check."""

from __future__ import annotations

import datetime as dt
import json
import wave
from pathlib import Path

import pandas as pd
import pytest

from core.locale import LOCALES
from dashboard import charts
from dashboard.geo import KABKOTA_GEOJSON, region_shapes
from dashboard.wall import screens
from dashboard.wall.html import feed_ago, urgent_banner_html
from dashboard.wall.urgent import Announcement, UrgentQueue, is_quiet, parse_quiet_hours, quiet_hours_or_default

ROOT = Path(__file__).resolve().parent.parent
UTC = dt.UTC
NOW = dt.datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # 11:00 WITA


def urgent_frame(*rows):
    """rows: (id, seconds before NOW, title)."""
    return pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "ticket": [f"NTB-{r[0]}" for r in rows],
            "received_at": [pd.Timestamp(NOW - dt.timedelta(seconds=r[1])) for r in rows],
            "title": [r[2] for r in rows],
            "sector": "Kesehatan",
            "region": "Kota Mataram",
        }
    )


def test_the_shapes_are_the_ten_regions_of_the_contract_with_their_licence():
    geo = region_shapes()
    codes = {f["id"] for f in geo["features"]}
    reference = pd.read_csv(ROOT / "data_seed" / "reference" / "kabkota.csv", dtype={"kode_bps": str})
    assert codes == set(reference["kode_bps"]) == set(charts.CALLOUT)
    for f in geo["features"]:
        assert f["geometry"]["type"] == "MultiPolygon" and f["properties"]["kode_bps"] == f["id"]
        lon, lat = f["properties"]["label_lon"], f["properties"]["label_lat"]
        assert 115.7 < lon < 119.3 and -9.2 < lat < -8.0
    assert KABKOTA_GEOJSON.stat().st_size < 100_000  # light enough to send with every map
    here = KABKOTA_GEOJSON.parent
    assert "Cahya DSN" in (here / "LICENSE.txt").read_text() and "MIT" in (here / "LICENSE.txt").read_text()
    assert "cahyadsn/wilayah_boundaries" in (here / "README.md").read_text()


def test_the_map_colours_every_region_and_names_the_small_cities():
    regions = pd.DataFrame(
        {"key": ["5271", "5272", "5204"], "label": ["Kota Mataram", "Kota Bima", "Kab. Sumbawa"], "count": [40, 1, 10]}
    )
    fig = charts.region_map(
        regions,
        region_shapes(),
        None,
        LOCALES["id"],
        links=["aduan?wilayah=5271", "aduan?wilayah=5272", "aduan?wilayah=5204"],
    )
    shapes = [t for t in fig.data if t.fill == "toself"]
    assert len(shapes) == 10
    fills = {t.customdata[0] if t.customdata is not None else None: t.fillcolor for t in shapes}
    assert fills["aduan?wilayah=5271"] == charts.MAP_SCALE[-1]  # the most
    assert fills[None] == charts.MAP_SCALE[0]  # regions without open complaints: the lowest colour
    dots = fig.data[-1]
    assert list(dots.customdata)[:3] == ["aduan?wilayah=5271", "aduan?wilayah=5272", "aduan?wilayah=5204"]
    names = [t.split("<br><b>")[0] for t in dots.text]
    assert names[:3] == ["Kota<br>Mataram", "Kota<br>Bima", "Sumbawa"] and len(names) == 10  # every region named
    assert "Sumbawa<br>Barat<br><b><span style='font-size:18px'>0</span></b>" in dots.text
    hostile = charts.region_map(
        pd.DataFrame({"key": ["5271"], "label": ["<img src=x>"], "count": [1]}), region_shapes(), None, LOCALES["id"]
    )
    assert "<img" not in json.dumps(hostile.to_dict()["data"])


def test_a_new_urgent_complaint_is_announced_for_the_set_time_then_leaves_the_banner():
    q = UrgentQueue(duration_s=30)
    assert q.update(urgent_frame((1, 3600, "lama")), NOW) is None  # already old when the wall opened
    later = NOW + dt.timedelta(seconds=5)
    item = q.update(urgent_frame((1, 3600, "lama"), (2, -5, "Banjir di Ampenan")), later)
    assert item.id == 2 and item.title == "Banjir di Ampenan"
    assert q.update(None, later + dt.timedelta(seconds=29)).id == 2
    assert q.update(None, later + dt.timedelta(seconds=30)) is None


def test_several_urgent_complaints_are_announced_one_after_the_other():
    q = UrgentQueue(duration_s=20)
    q.update(urgent_frame(), NOW)
    t0 = NOW + dt.timedelta(seconds=1)
    frame = urgent_frame((5, -1, "a"), (6, -1, "b"), (7, -1, "c"))
    assert q.update(frame, t0).id == 5 and q.waiting(t0) == 2
    assert q.update(frame, t0 + dt.timedelta(seconds=20)).id == 6
    assert q.update(None, t0 + dt.timedelta(seconds=45)).id == 7
    assert q.update(None, t0 + dt.timedelta(seconds=60)) is None


def test_a_wall_that_opens_just_after_an_urgent_complaint_still_announces_it():
    q = UrgentQueue(duration_s=30)
    item = q.update(urgent_frame((9, 10, "baru saja")), NOW)
    assert item.id == 9 and q.remaining_s(NOW) == pytest.approx(20)


def test_the_banner_escapes_citizen_text_and_names_sector_and_region():
    item = Announcement(3, "NTB-<3>", "<img src=x onerror=alert(1)> **tebal**", "Kesehatan", "Kota Bima", NOW)
    out = urgent_banner_html(item, LOCALES["id"], waiting=2)
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt; **tebal**" in out
    assert "Kesehatan · Kota Bima" in out and "ADUAN MENDESAK BARU" in out and "+2 aduan mendesak lain" in out
    assert "NEW URGENT COMPLAINT" in urgent_banner_html(item, LOCALES["en"])


def test_quiet_hours_wrap_past_midnight_in_wita():
    hours = parse_quiet_hours("20:00-07:00")
    wita = dt.timezone(dt.timedelta(hours=8))
    assert is_quiet(dt.datetime(2026, 12, 2, 21, 0, tzinfo=wita), hours)
    assert is_quiet(dt.datetime(2026, 12, 2, 6, 59, tzinfo=wita), hours)
    assert not is_quiet(dt.datetime(2026, 12, 2, 7, 0, tzinfo=wita), hours)
    assert not is_quiet(dt.datetime(2026, 12, 2, 12, 0, tzinfo=wita), parse_quiet_hours(""))
    assert is_quiet(dt.datetime(2026, 12, 2, 12, 30, tzinfo=wita), parse_quiet_hours("12:00-13:00"))
    with pytest.raises(ValueError):
        parse_quiet_hours("malam")
    assert quiet_hours_or_default("malam") == hours


def test_the_feed_changes_its_markup_once_a_minute_not_every_refresh():
    assert feed_ago(NOW - dt.timedelta(seconds=5), NOW, LOCALES["id"]) == feed_ago(
        NOW - dt.timedelta(seconds=50), NOW, LOCALES["id"]
    )
    assert feed_ago(NOW - dt.timedelta(seconds=125), NOW, LOCALES["id"]) == "2 mnt"


def test_the_chime_is_a_short_wav_shipped_with_the_app():
    with wave.open(str(ROOT / "dashboard" / "assets" / "chime.wav")) as w:
        assert 0.3 < w.getnframes() / w.getframerate() < 2 and w.getnchannels() == 1


@pytest.mark.parametrize(
    "raw,name",
    [
        ("ruang-staf-ahli", "ruang-staf-ahli"),
        ("Ruang Staf Ahli!", None),  # refused, never rewritten (LOBI! must not become lobi)
        ("LOBI", None),
        ("<script>", None),
        ("", ""),
        (None, ""),
        ("a" * 40, "a" * 40),
        ("a" * 41, None),
        ("lobi/../../x", None),
        ("lobi--2", None),
        ("-lobi", None),
    ],
)
def test_screen_names_are_valid_or_refused(raw, name):
    assert screens.valid_name(raw) == name


def test_the_registry_lists_walls_marks_stopped_ones_and_asks_for_reloads():
    screens.clear()
    try:
        t0 = 1_000_000.0
        common = dict(address="/monitor?kiosk=1", client="10.0.0.5", data_ok=True)
        assert not screens.report(name="lobi", session="s1", session_started=t0, now=t0, data_at=t0, **common)
        assert not screens.report(name="", session="abcdef123456", session_started=t0, now=t0, data_at=t0, **common)
        rows = {s.key: s for s in screens.screens()}
        unnamed = screens.screen_key("", "10.0.0.5", "/monitor?kiosk=1")
        assert set(rows) == {"lobi", unnamed} and unnamed.startswith("tanpa-nama-") and len(unnamed) == 19
        assert screens.state(rows["lobi"], t0 + 1, 0.5, 10) == "live"
        assert screens.state(rows["lobi"], t0 + 11, 0.5, 10) == "stopped"
        screens.report(name="lobi", session="s1", session_started=t0, now=t0 + 20, data_at=t0, **common)
        assert screens.state(screens.screens()[0], t0 + 20, 0.5, 10) == "stale"  # refreshing, old data
        screens.request_reload("lobi", t0 + 21)
        assert screens.report(name="lobi", session="s1", session_started=t0, now=t0 + 22, data_at=t0 + 22, **common)
        assert not screens.report(
            name="", session="abcdef123456", session_started=t0, now=t0 + 22, data_at=t0, **common
        )
        # the reloaded wall is a new session: it is not asked again
        assert not screens.report(
            name="lobi", session="s2", session_started=t0 + 23, now=t0 + 23, data_at=t0 + 23, **common
        )
        screens.request_reload(None, t0 + 30)
        assert screens.reload_pending("lobi", t0 + 23) and screens.reload_pending(unnamed, t0)
        # the unnamed wall reloaded, or its address made ?skala=2 by the page: still one row, live again
        screens.report(
            name="",
            session="fedcba654321",
            session_started=t0 + 31,
            now=t0 + 31,
            data_at=t0 + 31,
            **{**common, "address": "/monitor?kiosk=1&skala=2"},
        )
        rows = {s.key: s for s in screens.screens()}
        assert set(rows) == {"lobi", unnamed} and rows[unnamed].address == "/monitor?kiosk=1&skala=2"
        assert screens.state(rows[unnamed], t0 + 31, 0.5, 10) == "live"
        # another browser, or another page address, is another wall
        assert (
            len(
                {
                    unnamed,
                    screens.screen_key("", "10.0.0.6", "/monitor?kiosk=1"),
                    screens.screen_key("", "10.0.0.5", "/monitor?kiosk=1&lang=en"),
                }
            )
            == 3
        )
    finally:
        screens.clear()


def test_the_screens_page_lists_walls_for_admins_only(app_env):
    """AppTest: the admins' page shows the registry (names, states, addresses); other roles get no list."""
    import time

    from streamlit.testing.v1 import AppTest

    from tests.access_users import USERS
    from tests.browser_support import ROOT as APP_ROOT

    screens.clear()
    try:
        now = time.time()
        screens.report(
            name="lobi",
            address="/monitor?kiosk=1&layar=lobi",
            client="10.1.2.3",
            session="s1",
            session_started=now - 60,
            now=now,
            data_at=now,
            data_ok=True,
        )
        screens.report(
            name="ruang-rapat",
            address="/monitor?kiosk=1&layar=ruang-rapat",
            client="10.1.2.4",
            session="s2",
            session_started=now - 600,
            now=now - 120,
            data_at=now - 120,
            data_ok=True,
        )
        at = AppTest.from_file(str(APP_ROOT / "app.py"), default_timeout=30)
        at.user = USERS["admin"]
        at.run()
        at.switch_page("pages/screens.py").run()
        assert not at.exception
        table = at.dataframe[0].value.head(2)  # then the monitor this AppTest opened first, unnamed
        assert list(table["Layar"]) == ["lobi", "ruang-rapat"]
        assert list(table["Keadaan"]) == ["● Aktif", "■ BERHENTI"]  # a shape and a word, not colour alone
        assert table["Alamat IP perangkat"].tolist() == ["10.1.2.3", "10.1.2.4"]
        labels = [b.label for b in at.button]
        assert "Muat ulang semua layar" in labels and "Muat ulang lobi" in labels
        at.button(key="reload-lobi").click().run()
        assert screens.reload_pending("lobi", now - 60) and not screens.reload_pending("ruang-rapat", now - 600)

        from dashboard import access

        assert not access.may_open("leader", "layar") and not access.may_open("adviser", "layar")
    finally:
        screens.clear()
