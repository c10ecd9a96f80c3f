"""Random URL values against every page (hypothesis, AppTest): whatever a visitor types, the page shows its
main content and never an exception element. One AppTest per page, run again with each example's query
(a fresh start per example would cost over a second each); the session state is emptied between examples so
that the URL, not the previous example's widgets, decides what the page shows.

``NTBCARE_PROPERTY_EXAMPLES`` (default 25) sets the examples per page; ``PAGES`` lists the parameters each page
reads (docs/pages.md), plus an unknown one.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import i18n
from dashboard.wall import screens

# Examples per page in AppTest (about a second each on the 2-core CI: 25 keeps the file near two minutes;
# `NTBCARE_PROPERTY_EXAMPLES=200` for the full run, docs/development.md) and for the parsers alone (milliseconds).
EXAMPLES = int(os.environ.get("NTBCARE_PROPERTY_EXAMPLES", "25"))
PARSER_EXAMPLES = int(os.environ.get("NTBCARE_PARSER_EXAMPLES", "500"))

COMMON = ("lang", "zz")  # every page reads lang; zz is a parameter no page knows
EXPLORER = (
    "dari",
    "sampai",
    "status",
    "opd",
    "sektor",
    "kanal",
    "wilayah",
    "prioritas",
    "klasifikasi",
    "sla",
    "q",
    "urut",
    "arah",
    "hal",
    "historis",
)
PAGES = {
    "monitor": ("kiosk", "layar", "suara", "rotate", "sektor", "skala"),
    "kepatuhan": ("periode", "dari", "sampai", "historis", "opd"),
    "ringkasan": ("periode", "dari", "sampai"),
    "aduan": EXPLORER,
    "aduan-detail": ("tiket",),
    "kualitas-data": (),
    "notifikasi": (),
    "layar": (),
}
# Values a page knows, so that random choices reach past the first check (periods, codes, flags, ...).
KNOWN = [
    "1", "0", "ya", "true", "en", "id", "rentang", "bulan_ini", "bulan_lalu", "tahun_ini", "7", "30", "today",
    "2", "12_bulan", "terbuka", "diproses", "breached", "-", "naik", "turun", "ticket", "lobi", "LOBI!", "NTB-2026-000123",
    "10", "3600", "3601", "9", "1900-01-01", "2100-12-31", "1899-12-31", "2026-02-30",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(KNOWN),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.integers(min_value=-(10**400), max_value=10**400).map(str),
    st.text(max_size=60),
    st.sampled_from(["9" * 400, "x" * 3000, "<script>alert(1)</script>", "'; DROP TABLE complaint;--", "%00"]),
)


def titles(key: str) -> set[str]:
    return {i18n.t(key, lang) for lang in i18n.LANGS}


def shows_main_content(at, page: str) -> bool:
    """The page's own content, in either language."""
    shown = {t.value for t in at.title}
    if page == "monitor":
        return len(at.metric) == 7
    if page == "aduan-detail":  # the complaint, "not found", or the explorer (a blank ticket)
        return bool(shown or at.subheader or at.info)
    key = {
        "kepatuhan": "kep.title",
        "ringkasan": "sum.title",
        "aduan": "exp.title",
        "kualitas-data": "quality.title",
        "notifikasi": "notif.title",
        "layar": "scr.title",
    }[page]
    return bool(shown & titles(key))


def forget_session(at) -> None:
    """Run ``at`` again as a new visitor: every widget and session value dropped, and no widget values sent from
    the previous run. AppTest has no public way: this is its own start (``AppTest.__init__`` leaves an empty
    SessionState holding only its testing slot, the first ``_run`` sends no widget state)."""
    from streamlit.runtime.state.common import TESTING_KEY

    state = at._session_state._state
    testing = state[TESTING_KEY]
    state.clear()
    state[TESTING_KEY] = testing
    at._run()


@pytest.mark.timeout(120 + 5 * EXAMPLES)  # about a second an example, more under load (pytest.ini: 300 s)
@pytest.mark.parametrize("page", list(PAGES))
def test_random_url_values_never_break_a_page(page, app_env, open_page):
    at = open_page("admin", page.removesuffix("-detail"))
    assert not at.exception and shows_main_content(at, page)
    names = PAGES[page] + COMMON
    seen = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(query=st.dictionaries(st.sampled_from(names), VALUES, min_size=1, max_size=len(names)))
    def check(query):
        at.query_params.clear()
        at.query_params.update(query)
        forget_session(at)
        seen.append(query)
        assert not at.exception, (query, [e.message for e in at.exception])
        assert shows_main_content(at, page), query

    try:
        check()
    finally:
        screens.clear()
    assert len(seen) >= EXAMPLES


# --- the parsers alone: thousands of values in a second or two ------------------------------------------------


@settings(max_examples=PARSER_EXAMPLES, deadline=None, database=None)
@given(query=st.dictionaries(st.sampled_from(PAGES["kepatuhan"] + PAGES["aduan"] + PAGES["monitor"]), VALUES))
def test_every_parser_returns_bounded_values_for_any_query(query):
    """Each page's parser: whatever the URL holds, values within their bounds (dates 1900..today/2100, rotate
    10..3600 or off, page numbers >= 1), periods that the pages can turn into WITA bounds, and one short note per
    ignored value."""
    from dashboard import params
    from dashboard.compliance import logic as compliance
    from dashboard.explorer.url import HAL_MAX, Lookups, parse_params
    from dashboard.summary import logic as summary
    from dashboard.wall.kiosk import ROTATE_MAX_S, ROTATE_MIN_S

    today = dt.date(2026, 12, 6)
    sel, notes = parse_params(query, Lookups())
    for day in (sel.dari, sel.sampai):
        assert day is None or params.DATE_MIN <= day <= params.DATE_MAX
    assert 1 <= sel.hal <= HAL_MAX and len(sel.q) <= 100 and all(len(n) < 120 for n in notes)
    for periods, resolve in ((compliance.PERIODS, compliance.resolve_period), (summary.PERIODS, summary.resolve)):
        url = params.Reader(query)
        choice, start, end = url.period(periods, periods[0], today)
        period = resolve(choice, today, start, end)
        period.bounds()
        assert params.DATE_MIN <= period.start <= period.end <= today
        if resolve is summary.resolve:
            summary.previous(choice, period).bounds()
    url = params.Reader(query)
    rotate = url.integer("rotate", ROTATE_MIN_S, ROTATE_MAX_S, 0)
    assert rotate == 0 or ROTATE_MIN_S <= rotate <= ROTATE_MAX_S
    assert len(url.notes) <= 1 and all(len(n) < 60 for n in url.notes)
