"""AppTest of the explorer, the complaint detail and the leaders' summary on the hand-built dataset."""

import base64
import datetime as dt
import json

import numpy as np
import pytest
from sqlalchemy import create_engine

from core.locale import LOCALES
from core.periods import Period
from core.settings import SlaRules
from core.sla import reference_complaint_sla
from core.textsafe import md_literal
from queries import headline, lookup
from tests import dataset

LEADER = "leader"  # the explorer, the detail and the summary are all a leader's
STAGE_COLUMNS = ["Tahap", "Tenggat", "Keadaan tenggat", "Terlambat (hk)"]


def qp(at, key):
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def test_explorer_shows_the_filtered_count_and_rows(app_env, open_page):
    at = open_page(LEADER, "aduan", {"dari": "2026-03-01", "sampai": "2026-03-31"})
    assert not at.exception
    assert at.subheader[0].value == "7 aduan cocok"
    table = at.dataframe[0].value
    assert table["Tiket"].tolist() == ["T12", "T02", "T09", "T08", "T01", "T03", "T05"]
    # citizen text is a dataframe cell, never markdown
    assert "<img src=x onerror=alert(1)>" in table["Judul"].tolist()


def test_explorer_list_leads_with_status_deadline_and_opd(app_env, open_page):
    """What a reader acts on comes first (visible at 1440 px without scrolling sideways); the deadline is the
    earliest of the stages still running, by the reference clock."""
    at = open_page(LEADER, "aduan")
    table = at.dataframe[0].value
    assert list(table.columns[:5]) == ["Tiket", "Status", "Keadaan tenggat", "Tenggat", "OPD"]
    now = dt.datetime.now(dt.UTC)
    for _, row in table.iterrows():
        case = {
            **{k: None for k in ("dispatched_at", "first_response_at", "resolved_at")},
            **dataset.CASES[row["Tiket"]],
        }
        ref = reference_complaint_sla(case, SlaRules(), now)
        running = [
            ref[f"{s}_deadline"]
            for s in ("dispatch", "response", "completion")
            if ref[f"{s}_state"] in ("breached", "at_risk", "on_track")
        ]
        assert row["Tenggat"] == (min(running).strftime("%d-%m-%Y") if running else "–"), row["Tiket"]
        assert row["Status"] == LOCALES["id"].label("status", case["status"])


def test_filters_are_folded_and_the_active_ones_are_removable_chips(app_env, open_page):
    at = open_page(LEADER, "aduan", {"sektor": "infrastruktur", "sla": "breached"})
    assert not at.exception
    (box,) = at.expander
    assert not box.proto.expanded and box.label == "Saring (2 aktif)"
    chips = [b for b in at.button if b.key and b.key.startswith("exp-chip-")]
    with create_engine(app_env).connect() as conn:
        ref = lookup.reference_codes(conn)
    sector = ref[(ref["kind"] == "sector") & (ref["code"] == "infrastruktur")]["name"].item()
    assert [b.label for b in chips] == [md_literal(f"Sektor: {sector}"), md_literal("Status tenggat: Terlambat")]
    assert at.subheader[0].value == "2 aduan cocok"
    chips[0].click()  # removes the sector, keeps the deadline state
    at.run()
    assert qp(at, "sektor") is None and qp(at, "sla") == "breached"
    assert at.subheader[0].value == f"{len(breached_now())} aduan cocok"
    assert [b.label for b in at.button if b.key and b.key.startswith("exp-chip-")] == [
        md_literal("Status tenggat: Terlambat")
    ]
    unfiltered = open_page(LEADER, "aduan")
    assert not unfiltered.expander[0].proto.expanded and unfiltered.expander[0].label == "Saring"
    assert not [b for b in unfiltered.button if b.key and b.key.startswith("exp-chip-")]


def test_one_click_on_a_row_opens_its_ticket_here(app_env, open_page):
    at = open_page(LEADER, "aduan", {"sla": "breached"})
    tickets = at.dataframe[0].value["Tiket"].tolist()
    at.session_state["exp-table"] = {"selection": {"rows": [], "columns": [], "cells": [(1, "Status")]}}
    at.run()
    assert not at.exception
    assert qp(at, "tiket") == tickets[1] and qp(at, "sla") == "breached"  # the way back keeps the list's filters
    assert at.subheader[0].value == f"Aduan {tickets[1]}"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_date_fields_are_never_blank_and_use_the_page_format(app_env, open_page, lang):
    """A blank st.date_input shows Streamlit's English "dd-mm-yyyy": the fields always hold a day, in the
    catalogue's format, and a checkbox says whether they filter."""
    at = open_page(LEADER, "aduan", {"lang": lang} if lang == "en" else None)
    loc = LOCALES[lang]
    assert [d.value is not None for d in at.date_input] == [True, True]
    assert {d.proto.format for d in at.date_input} == {loc.t("exp.date_format")}
    (by_date,) = [c for c in at.checkbox if c.label == loc.t("exp.by_date")]
    assert by_date.value is False
    by_date.check()
    at.date_input[0].set_value(dt.date(2026, 3, 1))
    at.date_input[1].set_value(dt.date(2026, 3, 31))
    next(b for b in at.button if b.label == loc.t("exp.apply")).click()
    at.run()
    assert (qp(at, "dari"), qp(at, "sampai")) == ("2026-03-01", "2026-03-31")
    assert qp(at, "lang") == ("en" if lang == "en" else None)  # the language survives a new filter
    assert at.subheader[0].value == loc.tn("exp.count", 7)


def breached_now(**where) -> list[str]:
    """Tickets of the hand-built cases that the reference clock says are breached now."""
    now = dt.datetime.now(dt.UTC)
    out = []
    for ticket, c in dataset.CASES.items():
        case = {**{k: None for k in ("dispatched_at", "first_response_at", "resolved_at")}, **c}
        if (
            all(case.get(k) == v for k, v in where.items())
            and reference_complaint_sla(case, SlaRules(), now)["sla_state"] == "breached"
        ):
            out.append(ticket)
    return out


def test_explorer_form_writes_the_url_and_the_url_drives_the_form(app_env, open_page):
    at = open_page(LEADER, "aduan", {"sla": "breached"})
    assert at.subheader[0].value == f"{len(breached_now())} aduan cocok"
    sla = next(m for m in at.multiselect if m.label == "Status tenggat")
    assert sla.value == ["breached"]
    next(m for m in at.multiselect if m.label == "Sektor").set_value(["infrastruktur"])
    next(b for b in at.button if b.label == "Terapkan").click()
    at.run()
    assert not at.exception
    assert qp(at, "sektor") == "infrastruktur" and qp(at, "sla") == "breached"
    expected = breached_now(sector="infrastruktur")
    assert sorted(expected) == ["T01", "T06"]  # Gerung's road and Praya's bridge
    assert at.subheader[0].value == "2 aduan cocok"
    assert sorted(at.dataframe[0].value["Tiket"]) == expected


def test_explorer_bad_url_values_get_a_note_not_a_traceback(app_env, open_page):
    at = open_page(LEADER, "aduan", {"opd": "1;DROP TABLE complaint--", "sla": "x' OR '1'='1", "hal": "abc"})
    assert not at.exception
    assert any("diabaikan" in w.value and "opd\\=1\\;DROP TABLE complaint\\-\\-" in w.value for w in at.warning)
    assert at.subheader[0].value == f"{len(dataset.CASES)} aduan cocok"  # every filter ignored, nothing harmed


def test_explorer_pages(app_env, open_page):
    at = open_page(LEADER, "aduan", {"hal": "1"})
    first = at.dataframe[0].value["Tiket"].tolist()
    assert len(first) == len(dataset.CASES) == 12  # fewer than a page
    assert any(c.value == "Halaman 1 dari 1" for c in at.caption)


@pytest.mark.parametrize("ticket", sorted(dataset.CASES))
def test_detail_stages_match_the_reference_clock(app_env, open_page, ticket):
    at = open_page(LEADER, "aduan", {"tiket": ticket})
    assert not at.exception
    stages = next(d.value for d in at.dataframe if list(d.value.columns) == STAGE_COLUMNS)
    case = {**{k: None for k in ("dispatched_at", "first_response_at", "resolved_at")}, **dataset.CASES[ticket]}
    ref = reference_complaint_sla(case, SlaRules(), dt.datetime.now(dt.UTC))
    labels = {
        "on_track": "Sesuai jadwal",
        "at_risk": "Hampir jatuh tempo",
        "breached": "Terlambat",
        "met": "Tepat waktu",
        "late": "Terlambat selesai",
        "ditunda": "Ditunda",
        None: "–",
    }
    for (_, row), stage in zip(stages.iterrows(), ("dispatch", "response", "completion"), strict=True):
        deadline = ref[f"{stage}_deadline"]
        assert row["Tenggat"] == (deadline.strftime("%d-%m-%Y") if deadline else "–"), (ticket, stage)
        assert row["Keadaan tenggat"] == labels[ref[f"{stage}_state"]], (ticket, stage)
        late = ref[f"{stage}_late_by"]
        assert row["Terlambat (hk)"] == ("–" if late is None else str(late)), (ticket, stage)
    assert str(case["title"]) in [t_.value for t_ in at.text]


@pytest.mark.parametrize("periode", ["bulan_ini", "tahun_ini", "12_bulan", "rentang", "zzz"])
def test_summary_renders_every_period(app_env, open_page, periode):
    query = {"periode": periode}
    if periode == "rentang":
        query.update(dari="2026-03-01", sampai="2026-03-31")
    at = open_page(LEADER, "ringkasan", query)
    assert not at.exception
    assert len(at.metric) == 6 and len(at.get("plotly_chart")) == 9
    if periode == "rentang":
        received = {m.label: m.value for m in at.metric}["Aduan masuk"]
        in_march = sum(
            1 for c in dataset.CASES.values() if dt.date(2026, 3, 1) <= c["received_at"].date() <= dt.date(2026, 3, 31)
        )
        assert received == str(in_march) == "7"
    if periode == "zzz":
        assert any("diabaikan" in c.value for c in at.caption)


def test_summary_asks_its_figures_several_at_a_time_and_shows_the_same(app_env, open_page, monkeypatch):
    """The summary's thirteen queries run ``PAGE_WORKERS`` at a time (at ten million complaints the page waits
    for its slowest query, about 2 s, instead of the 3.5 s sum): each query waits until that many are running
    (5 s at most); one after the other, none would ever see company. The figures are the page's usual ones."""
    import threading

    from dashboard import data
    from dashboard.summary import view

    running, most, lock, crowd = 0, 0, threading.Lock(), threading.Event()

    def counted_fetch(*args, **kwargs):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
            if running >= data.PAGE_WORKERS:
                crowd.set()
        crowd.wait(5)
        try:
            return data.fetch(*args, **kwargs)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(view, "fetch", counted_fetch)
    at = open_page(LEADER, "ringkasan", {"periode": "rentang", "dari": "2026-03-01", "sampai": "2026-03-31"})
    assert not at.exception
    assert most == data.PAGE_WORKERS == 3
    assert {m.label: m.value for m in at.metric}["Aduan masuk"] == "7"
    assert len(at.get("plotly_chart")) == 9


def test_summary_in_a_short_period_draws_days_and_speaks_of_percentage_points(app_env, open_page):
    first, last = dt.date(2026, 3, 14), dt.date(2026, 3, 31)  # 18 days; the 18 days before hold a completion too
    at = open_page(LEADER, "ringkasan", {"periode": "rentang", "dari": first.isoformat(), "sampai": last.isoformat()})
    assert not at.exception
    assert "Masuk dan selesai per hari" in [s.value for s in at.subheader]
    flow = json.loads(at.get("plotly_chart")[0].proto.spec)

    every_day = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    assert flow["data"][0]["x"] == [f"{d:%d-%m}" for d in every_day]  # one bar per day, quiet days as zero
    received = [sum(1 for c in dataset.CASES.values() if c["received_at"].date() == d) for d in every_day]
    y = flow["data"][0]["y"]  # plotly sends numbers as typed binary
    assert np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist() == received
    # the change of the on-time share, in words, equal to the figures of both periods
    now, rules = dt.datetime.now(dt.UTC), SlaRules()
    with create_engine(app_env).connect() as conn:
        shares = [
            headline.period_counts(conn, now, rules, *Period(a, b).bounds())["on_time_share"]
            for a, b in ((first, last), (first - dt.timedelta(days=18), first - dt.timedelta(days=1)))
        ]
    assert None not in shares
    share = next(m for m in at.metric if m.label == "Selesai tepat waktu")
    assert share.delta == LOCALES["id"].signed((shares[0] - shares[1]) * 100, 1) + " poin persen"
    assert " pp" not in str(at.main)


def test_summary_hides_the_map_on_a_phone_and_keeps_the_ranked_bars(app_env, open_page):
    at = open_page(LEADER, "ringkasan", {"periode": "12_bulan"})
    css = " ".join(h.proto.body for h in at.get("html"))
    assert "@media (max-width: 639px)" in css and ".st-key-sum-region-map-box { display: none; }" in css
    assert "Aduan per 100.000 penduduk, diurutkan" in [s.value for s in at.subheader]


def test_search_text_in_the_filter_title_is_shown_literally(app_env, open_page):
    hostile = "**tebal** [x](javascript:alert(1)) <b>"
    at = open_page(LEADER, "aduan", {"q": hostile})
    assert not at.exception
    (label,) = [b.label for b in at.button if b.key == "exp-chip-q"]
    assert label.endswith("\\*\\*tebal\\*\\* \\[x\\]\\(javascript\\:alert\\(1\\)\\) \\<b\\>”")
    from core.textsafe import md_literal

    assert md_literal(hostile).replace("\\", "") == hostile  # nothing lost, only escaped


def test_the_late_opd_table_is_read_once_for_kepatuhan_ringkasan_and_the_wall(app_env, open_page, monkeypatch):
    """kepatuhan's rapor (its open half), ringkasan's open-now figures and the wall's late OPDs are one cache
    entry: at ten million complaints one pass over the open complaints (0.4 s) serves the three pages."""
    import functools

    import pandas as pd

    from core.codes import OPEN_STATUSES
    from queries import overdue
    from queries.sla_sql import complaint_sla

    calls = []
    plain = overdue.overdue_by_opd

    @functools.wraps(plain)
    def counted(*args, **kwargs):
        calls.append(kwargs.get("rollup"))
        return plain(*args, **kwargs)

    monkeypatch.setattr(overdue, "overdue_by_opd", counted)
    monkeypatch.setattr(headline, "overdue_by_opd", counted)  # ``open_counts``: a second pass, were it asked
    kep = open_page("adviser", "kepatuhan")
    ring = open_page(LEADER, "ringkasan")
    wall = open_page("wall", "monitor", {"kiosk": "1"})
    assert not kep.exception and not ring.exception and not wall.exception
    assert calls == [True]
    # the figures are the full SLA clock's at the page's moment (the dataset's open complaints age with the clock)
    engine = create_engine(app_env)
    with engine.connect() as conn:
        states = pd.DataFrame(conn.execute(complaint_sla(SlaRules(), dt.datetime.now(dt.UTC))).mappings().all())
    engine.dispose()
    open_now = states[states["status"].isin(OPEN_STATUSES)]
    figures = {m.label: m.value for m in ring.metric}
    assert figures["Belum selesai (kini)"] == str(len(open_now)) == "8"
    assert figures["Terlambat (kini)"] == str(int((open_now["sla_state"] == "breached").sum()))
