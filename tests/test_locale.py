"""The locale: both languages' formats through Babel, counted texts, and no builder with a default language."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import re
from pathlib import Path

import pandas as pd
import pytest

from core import i18n
from core.locale import LOCALES, get_locale

ID, EN = LOCALES["id"], LOCALES["en"]
ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime(2026, 12, 2, 4, 0, tzinfo=dt.UTC)  # 12:00 WITA


@pytest.mark.parametrize(
    "loc, expected",
    [
        (
            ID,
            {
                "num": "1.234",
                "dec": "12,3",
                "pct": "89,9%",
                "pct0": "90%",
                "signed": "-3,5",
                "plus": "+1.234",
                "date": "2 Des 2026",
                "month": "Desember 2026",
                "short_month": "Agu",
                "wd": "6,5 hari kerja",
                "wd_int": "2 hari kerja",
                "ago": "3 mnt",
                "sep": ",.",
                "range": "01-03-2026 s.d. 31-03-2026",
            },
        ),
        (
            EN,
            {
                "num": "1,234",
                "dec": "12.3",
                "pct": "89.9%",
                "pct0": "90%",
                "signed": "-3.5",
                "plus": "+1,234",
                "date": "2 Dec 2026",
                "month": "December 2026",
                "short_month": "Aug",
                "wd": "6.5 working days",
                "wd_int": "2 working days",
                "ago": "3 min",
                "sep": ".,",
                "range": "01-03-2026 to 31-03-2026",
            },
        ),
    ],
)
def test_each_language_formats_numbers_dates_and_ages(loc, expected):
    from core.periods import Period

    got = {
        "num": loc.num(1234),
        "dec": loc.num(12.34, 1),
        "pct": loc.pct(0.8994, 1),
        "pct0": loc.pct(0.8995),
        "signed": loc.signed(-3.5, 1),
        "plus": loc.signed(1234),
        "date": loc.date(dt.date(2026, 12, 2)),
        "month": loc.month(dt.date(2026, 12, 2)),
        "short_month": loc.month(dt.date(2026, 8, 1), "LLL"),
        "wd": loc.workdays(6.5),
        "wd_int": loc.workdays(2.0),
        "ago": loc.ago(NOW - dt.timedelta(minutes=3), NOW),
        "sep": loc.separators,
        "range": Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)).label(loc),
    }
    assert got == expected


def test_dates_are_wita_and_missing_values_are_a_dash():
    late_utc = pd.Timestamp("2026-11-30T16:30:00Z")  # 1 December 00:30 WITA
    assert ID.date(late_utc) == "1 Des 2026" and EN.date_numeric(late_utc) == "01-12-2026"
    assert {ID.num(None), EN.pct(float("nan")), ID.date(None), EN.signed(None), ID.ago(None)} == {"–"}
    assert ID.workdays(None) == ID.t("unit.none")
    # one working day is singular in English (the median card said "1 working days"); 1.04 shows as 1 too
    assert (EN.workdays(1), EN.workdays(1.04), EN.workdays(1.5)) == (
        "1 working day",
        "1 working day",
        "1.5 working days",
    )
    assert (ID.workdays(1), ID.workdays(1.5)) == ("1 hari kerja", "1,5 hari kerja")


def test_unknown_or_missing_language_is_indonesian():
    assert get_locale(None) is ID and get_locale("EN ") is EN and get_locale("fr") is ID
    assert get_locale("id' OR '1'='1") is ID


def test_counted_texts_take_the_form_gettext_picks_for_the_count():
    assert EN.tn("exp.count", 1) == "1 matching complaint" and EN.tn("exp.count", 1234) == "1,234 matching complaints"
    assert ID.tn("exp.count", 1) == "1 aduan cocok" and ID.tn("exp.count", 1234) == "1.234 aduan cocok"
    assert EN.tn("exp.count", 0) == "0 matching complaints"
    assert EN.tn("alert.breached.subject", 1, opd="Dishub") == "1 stage breached: Dishub"
    assert EN.tn("alert.breached.subject", 2, opd="Dishub") == "2 stages breached: Dishub"
    assert EN.tn("wall.urgent_more", 1) == "+1 more urgent complaint to follow"
    assert ID.tn("wall.urgent_more", 1) == ID.tn("wall.urgent_more", 2).replace("2", "1")  # one form in Indonesian


def test_a_missing_text_is_its_key_and_an_unknown_code_its_own_label():
    assert EN.t("no.such.key") == "no.such.key" and EN.tn("no.such.key", 3) == "no.such.key"
    assert (EN.label("status", "selesai"), EN.label("status", "zz"), EN.label("status", None)) == (
        "Completed",
        "zz",
        "–",
    )
    with pytest.raises(TypeError):
        i18n.t("kpi.breached", "fr")  # a raw URL value reaching the catalogue is a bug, not a fallback


BUILDER_MODULES = (
    "dashboard.charts",
    "dashboard.components",
    "dashboard.wall.html",
    "dashboard.access_ui",
    "dashboard.explorer.listing",
    "core.rapor",
)


def test_no_builder_has_a_default_language_or_a_bare_lang_parameter():
    checked = 0
    for name in BUILDER_MODULES:
        module = importlib.import_module(name)
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__:
                continue
            params = inspect.signature(fn).parameters
            assert "lang" not in params, f"{name}.{fname} takes a bare lang"
            if "loc" in params:
                checked += 1
                assert params["loc"].default is inspect.Parameter.empty, f"{name}.{fname} defaults its locale"
    assert checked >= 25
    assert inspect.signature(i18n.t).parameters["lang"].default is inspect.Parameter.empty


def test_english_pages_show_english_numbers(app_env, open_page):
    """`ringkasan` for March 2026 with ?lang=en: the same figures as in Indonesian, in English forms."""
    shown = {}
    for lang in ("id", "en"):
        at = open_page(
            "leader", "ringkasan", {"periode": "rentang", "dari": "2026-03-01", "sampai": "2026-03-31", "lang": lang}
        )
        assert not at.exception
        shown[lang] = {m.label: m.value for m in at.metric}
        assert any(re.search(r"\d", c.value) for c in at.caption)
    assert len(shown["id"]) == len(shown["en"]) == 6
    received_id = shown["id"][ID.t("sum.received")]
    received_en = shown["en"][EN.t("sum.received")]
    assert received_id == received_en == "7"  # seven complaints in March in the hand-built dataset
    on_time_id, on_time_en = shown["id"][ID.t("sum.on_time")], shown["en"][EN.t("sum.on_time")]
    assert on_time_id.endswith("%") and on_time_id.replace(",", ".") == on_time_en
