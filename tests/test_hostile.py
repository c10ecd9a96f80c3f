"""Hostile and odd data (issue 6): data-quality counts, queries, exports and every page on tests/hostile.py.

Query and export tests run on PostgreSQL and SQLite; the page tests (AppTest) run every page on both and
the complaint page once per hostile ticket on SQLite.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader
from sqlalchemy import func, inspect, select

from core import exports
from core.links import complaint as detail_link
from core.locale import LOCALES
from core.sla import reference_complaint_sla
from core.textsafe import md_literal
from dashboard import data
from dashboard.compliance import logic as compliance
from queries import breakdown, complaint, feed, headline, overdue, quality, scorecard, search, trend
from queries.schema import complaint as complaint_t
from queries.schema import complaint_event
from tests.hostile import BIG_BODY, CASES, FORMULA_TICKETS, NOW, wita

ID = LOCALES["id"]

HOSTILE_TITLES = {k: CASES[k]["title"] for k in ("H01", "H02", "H04", "H19", "H22", *FORMULA_TICKETS)}


@pytest.fixture
def conn(hostile_db):
    with hostile_db.connect() as c:
        yield c


def url_of(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


# --- data quality -----------------------------------------------------------------------------------

EXPECTED_QUALITY = {  # check: (count, examples), with the reason
    "unknown_classification": (1, ["H06"]),  # "lainnya"
    "unknown_priority": (1, ["H06"]),  # "darurat"
    "unknown_status": (1, ["H06"]),  # "dibatalkan"
    "no_sector": (1, ["H05"]),
    "no_region": (1, ["H05"]),
    "no_channel": (1, ["H05"]),
    "dispatched_without_opd": (1, ["H05"]),  # diproses, opd_id NULL (H07's OPD id is set, just unknown)
    "unknown_opd": (1, ["H07"]),  # opd_id 987654
    "status_without_time": (1, ["H21"]),  # selesai without resolved_at
    "future_time": (2, ["H09", "H10"]),  # received in 2030; resolved in June 2027
    "before_receipt": (1, ["H18"]),  # dispatched, responded and resolved before 20 March
    "response_before_dispatch": (2, ["H08", "H18"]),
    "large_body": (1, ["H03"]),  # 100,000 characters; every other body is under 1 KB
    "formula_title": (6, ["H12", "H17"]),  # = + - @ tab CR; "   " (H20) and "\x07..." are not formulas
    "empty_title": (1, ["H20"]),
    "no_events": (1, ["H18"]),
    "event_before_receipt": (1, ["H08"]),  # the note of 9 March, received 10 March
    "events_out_of_order": (1, ["H08"]),  # responded 13 March, dispatched 16 March
    "event_unknown_kind": (1, ["H10"]),  # "dihapus"
    "event_future": (2, ["H09", "H10"]),  # H09's receipt (2030) and H10's completion (2027)
    "event_duplicate": (3, ["H11"]),  # diterima twice (1 extra), didisposisikan three times (2 extra)
    "outside_calendar": (2, ["H09", "H21"]),  # 2030 and 2017: the calendar covers 2018 to 2027
    "calendar_missing_today": (0, []),
    "time_format": (0, []),
    "event_time_format": (0, []),  # every time written by SQLAlchemy (tests/test_figures.py)
}


def test_data_quality_counts_every_oddity_exactly(conn):
    df = quality.data_quality(conn, NOW)
    assert df["check"].tolist() == [c for c, _ in quality.CHECKS]
    got = {r.check: (r.count, list(r.examples)) for r in df.itertuples()}
    assert got == EXPECTED_QUALITY
    units = dict(zip(df["check"], df["unit"], strict=True))
    assert {c for c, u in units.items() if u == "peristiwa"} == {
        "event_unknown_kind",
        "event_future",
        "event_duplicate",
        "event_time_format",
    }


def test_data_quality_agrees_with_the_hand_built_dataset(small_db):
    """The other dataset (tests/dataset.py): expectations computed from its case definitions."""
    from core.codes import CLASSIFICATIONS
    from data_seed.reference import load_reference
    from queries._sql import FUTURE_TOLERANCE
    from tests import dataset

    ref = load_reference()
    sectors, regions = {r["code"] for r in ref.sector}, {r["code"] for r in ref.region}
    cases = dataset.CASES.values()
    times = ("received_at", "dispatched_at", "first_response_at", "resolved_at")
    expected = {
        "formula_title": sum(c["title"].startswith(exports.FORMULA_START) for c in cases),
        "no_sector": sum(c.get("sector") not in sectors for c in cases),
        "no_region": sum(c.get("region") not in regions for c in cases),
        "unknown_classification": sum(c["classification"] not in CLASSIFICATIONS for c in cases),
        "future_time": sum(any(c.get(t) and c[t] > dataset.NOW + FUTURE_TOLERANCE for t in times) for c in cases),
        "no_events": 0,
        "event_duplicate": 0,
        "unknown_opd": 0,
        "calendar_missing_today": 0,
    }
    with small_db.connect() as c:
        got = quality.data_quality(c, dataset.NOW).set_index("check")["count"].to_dict()
    assert {k: got[k] for k in expected} == expected
    assert expected["formula_title"] >= 1 and expected["future_time"] >= 1  # the dataset has some of each


def test_data_quality_depends_on_now(conn):
    """In February 2028 H10's completion is past, H09's 2030 receipt still future, and today is past the
    calendar."""
    df = quality.data_quality(conn, wita(2028, 2, 1)).set_index("check")
    assert int(df.loc["future_time", "count"]) == 1 and list(df.loc["future_time", "examples"]) == ["H09"]
    assert int(df.loc["event_future", "count"]) == 1
    assert int(df.loc["calendar_missing_today", "count"]) == 1
    # a complaint received one minute from now is within the clock tolerance, one an hour ahead is not
    soon = quality.data_quality(conn, wita(2030, 1, 15, 8, 59)).set_index("check")
    assert int(soon.loc["future_time", "count"]) == 0
    later = quality.data_quality(conn, wita(2030, 1, 15, 8, 0)).set_index("check")
    assert list(later.loc["future_time", "examples"]) == ["H09"]


def test_data_quality_on_an_empty_database(empty_db_url):
    from core.engine import make_engine
    from data_seed.load import create_schema

    engine = make_engine(empty_db_url, must_exist=False)
    with engine.begin() as c:
        create_schema(c)
    with engine.connect() as c:
        df = quality.data_quality(c, NOW)
    engine.dispose()
    counts = dict(zip(df["check"], df["count"], strict=True))
    assert counts.pop("calendar_missing_today") == 1  # no calendar at all
    assert set(counts.values()) == {0}


def test_example_complaints_return_the_raw_titles(conn):
    df = quality.example_complaints(conn, tickets=("H12", "H17", "H22", "nope"))
    assert df["ticket"].tolist() == ["H12", "H17", "H22"]
    assert df["title"].tolist() == [CASES["H12"]["title"], CASES["H17"]["title"], CASES["H22"]["title"][:300]]
    assert not {"reporter_name", "reporter_contact", "body"} & set(df.columns)
    assert quality.example_complaints(conn, tickets=()).empty


# --- the other queries on hostile data ----------------------------------------------------------------


def test_text_round_trips_exactly_through_the_database(conn, rules):
    for ticket in ("H01", "H02", "H03", "H04", "H19", "H20", "H22", "H-23/#&+ <b>?x=1"):
        row = complaint.complaint_detail(conn, ticket, NOW, rules).iloc[0]
        assert row["title"] == CASES[ticket]["title"]
        assert row["body"] == CASES[ticket].get("body", "Isi aduan: " + CASES[ticket]["title"])
    big = complaint.complaint_detail(conn, "H03", NOW, rules).iloc[0]["body"]
    assert len(big) == 100_000 and big.endswith("AKHIR-ISI") and "🌊" in big


def test_unknown_codes_and_missing_references_do_not_break_the_sla(conn, rules):
    rows = {t: complaint.complaint_detail(conn, t, NOW, rules).iloc[0] for t in ("H06", "H07", "H09", "H21")}
    # unknown classification: the deadline of `pengaduan` (14 days); unknown status: no open stage
    assert int(rows["H06"]["completion_days"]) == 14 and pd.isna(rows["H06"]["sla_state"])
    # dispatched to an OPD that does not exist: still on the SLA clock (as the reference computes it), no OPD name
    h07 = {"dispatched_at": None, "first_response_at": None, "resolved_at": None, **CASES["H07"]}
    assert rows["H07"]["sla_state"] == reference_complaint_sla(h07, rules, NOW)["sla_state"] == "breached"
    assert pd.isna(rows["H07"]["opd_own"])
    # outside the calendar: no deadline rather than a wrong one
    assert rows["H09"]["dispatch_deadline"] is None and pd.isna(rows["H09"]["sla_state"])
    assert rows["H21"]["dispatch_deadline"] is None


def test_every_query_runs_on_hostile_data(conn, rules):
    march = (wita(2026, 3, 1, 0), wita(2026, 4, 1, 0))
    for now in (NOW, dt.datetime.now(dt.UTC)):
        assert len(overdue.overdue_by_opd(conn, now, rules)) >= 1
        late = overdue.open_complaints(conn, now, rules, only_late=True)
        assert set(FORMULA_TICKETS) <= set(late["ticket"])
        assert len(scorecard.opd_scorecard(conn, *march, now, rules)) >= 1
        scorecard.opd_monthly(conn, None, wita(2025, 4, 1, 0), march[1], now, rules)
        headline.headline_counts(conn, now, rules)
        for dim in breakdown.DIMENSIONS:
            assert int(breakdown.count_by(conn, dim)["count"].sum()) == len(CASES)
        trend.received_vs_completed(conn, *march)
        found = search.search_complaints(conn, search.ComplaintFilter(text="<script>"), now, rules)
        assert found["ticket"].tolist() == ["H01"]  # the title; H01's body has no <script>
        pct = search.search_complaints(conn, search.ComplaintFilter(text="%' OR '1'='1"), now, rules)
        assert pct.empty  # the text is matched literally (LIKE wildcards escaped), never as SQL


def test_the_feeds_leave_out_the_future(conn):
    assert feed.new_complaints(conn, 3)["ticket"].tolist()[0] == "H09"  # received in 2030: on top without `now`
    shown = feed.new_complaints(conn, 3, now=NOW)["ticket"].tolist()
    assert shown == ["H22", "H01", "H02"]
    events = feed.recent_events(conn, 3, now=NOW)
    assert events["occurred_at"].max() <= pd.Timestamp(NOW)
    assert feed.recent_events(conn, 1)["ticket"].tolist() == ["H10"]  # its completion dated June 2027


# --- exports ----------------------------------------------------------------------------------------


def _late_and_bodies(conn, rules):
    late = overdue.open_complaints(conn, NOW, rules, unassigned=True)
    bodies = pd.DataFrame(
        [complaint.complaint_detail(conn, t, NOW, rules, include_personal=True).iloc[0] for t in ("H03", "H04", "H01")]
    )[["ticket", "title", "body", "reporter_name", "reporter_contact"]]
    return late, bodies


def test_csv_neutralises_formulas_and_keeps_every_character(conn, rules):
    late, bodies = _late_and_bodies(conn, rules)
    rows = list(csv.DictReader(io.StringIO(exports.to_csv_bytes(late).decode("utf-8-sig"))))
    titles = {r["ticket"]: r["title"] for r in rows}
    for t in FORMULA_TICKETS:
        assert titles[t] == "'" + CASES[t]["title"]
    assert titles["H01"] == CASES["H01"]["title"] and titles["H19"] == CASES["H19"]["title"]
    assert titles["H22"] == CASES["H22"]["title"]
    assert all(not v.startswith(exports.FORMULA_START) for r in rows for v in r.values())
    body_rows = list(csv.DictReader(io.StringIO(exports.to_csv_bytes(bodies).decode("utf-8-sig"))))
    assert body_rows[0]["body"] == BIG_BODY and body_rows[1]["title"] == CASES["H04"]["title"]
    assert "reporter_name" not in body_rows[0] and "Rahasia" not in str(body_rows)


def test_xlsx_is_safe_for_excel(conn, rules):
    late, bodies = _late_and_bodies(conn, rules)
    wb = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes({"terlambat": late, "isi": bodies})))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)  # not one formula
    assert all(not str(c.value).startswith(exports.FORMULA_START) for c in cells)
    ws = wb["terlambat"]
    head = [c.value for c in ws[1]]
    titles = {r[head.index("ticket")]: r[head.index("title")] for r in ws.iter_rows(min_row=2, values_only=True)}
    for t in ("H12", "H13", "H14", "H15", "H16"):
        assert titles[t] == "'" + CASES[t]["title"]
    assert titles["H17"].startswith("'") and titles["H17"][2:] == CASES["H17"]["title"][1:]  # CR may read as LF
    assert titles["H19"] == "Judul\ufffddengan\ufffd[31mkarakter\ufffdkendali"  # XML refuses control characters
    assert titles["H01"] == CASES["H01"]["title"]
    isi = wb["isi"]
    head = [c.value for c in isi[1]]
    assert "reporter_name" not in head and "reporter_contact" not in head
    big, emoji = (isi.cell(row=r, column=head.index("body") + 1).value for r in (2, 3))
    # cut to Excel's limit (one unit short when the next character was a two-unit emoji)
    assert exports.XLSX_CELL_MAX - 1 <= len(big.encode("utf-16-le")) // 2 <= exports.XLSX_CELL_MAX
    assert big.endswith("…") and BIG_BODY.startswith(big[:-1])
    assert isi.cell(row=3, column=head.index("title") + 1).value == CASES["H04"]["title"]
    assert emoji == CASES["H04"]["body"]


@pytest.mark.parametrize(
    "text,expected_units",
    [("a" * 40_000, 32_767), ("🌊" * 20_000, 32_767), ("a" + "🌊" * 20_000, 32_766), ("=" + "x" * 5, 6)],
)
def test_xlsx_cut_never_splits_a_character(text, expected_units):
    cut = exports.xlsx_text(text)
    units = len(cut.encode("utf-16-le")) // 2
    assert units == expected_units and cut.encode("utf-16-le").decode("utf-16-le") == cut
    assert cut == text or (cut.endswith("…") and text.startswith(cut[:-1]))


def test_pdf_with_hostile_titles(conn, rules):
    now = dt.datetime.now(dt.UTC)
    rapor = compliance.with_grades(scorecard.opd_scorecard(conn, wita(2026, 3, 1, 0), wita(2026, 4, 1, 0), now, rules))
    late = overdue.open_complaints(conn, now, rules, only_late=True)
    labels = {
        "title": "Rapor OPD",
        "period": "Periode",
        "generated": "Dibuat",
        "breached_list": "Terlambat",
        "columns": ["Tiket", "Judul", "Diterima", "Tenggat", "Terlambat"],
    }
    pdf = exports.rapor_pdf(compliance.pdf_sections(rapor, late, ID), "Maret", "aturan", now, labels)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "<script>alert('judul')</script>" in text and "@SUM(1+1)" in text and "H-23/#&+ <b>?x=1" in text


def test_monthly_chart_of_a_single_month_keeps_month_labels():
    from dashboard import charts

    one = pd.DataFrame(
        {"period": ["2026-03"], "dispatched": [1], "completed_on_time": [0], "completed_late": [0], "breached_now": [1]}
    )
    fig = charts.monthly_bars(one, "Per bulan", ID)
    assert fig.layout.xaxis.type == "category" and list(fig.data[0].x) == ["2026-03"]


# --- text helpers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["' OR '1'='1", "**x** [a](javascript:alert(1)) <b>y</b> $z$ :red[r]", "H-23/#&+ <b>?x=1", "baris\nbaru\t tab"],
)
def test_md_literal_and_detail_link(value):
    escaped = md_literal(value)
    assert re.sub(r"\\(.)", r"\1", escaped) == " ".join(value.split())  # every backslash escapes one char
    assert not re.search(r"(?<!\\)[*_\[\]<>`$:#]", escaped)  # no markdown character left unescaped
    assert parse_qs(urlsplit(detail_link(value)).query)["tiket"] == [value]


# --- pages (AppTest) ----------------------------------------------------------------------------------


@pytest.fixture
def hostile_app(hostile_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", url_of(hostile_db))
    data.reset()
    yield hostile_db
    data.reset()


ADMIN = "admin"  # the pages as an admin, who may open every page and sees reporter data: the widest view


MARKDOWN_ELEMENTS = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success")


def markdown_bodies(at) -> str:
    return "\n".join(str(getattr(e, "value", "")) for kind in MARKDOWN_ELEMENTS for e in at.get(kind))


def assert_no_raw_citizen_text_in_markdown(at):
    bodies = markdown_bodies(at)
    for title in HOSTILE_TITLES.values():
        assert title.strip() not in bodies


def table_counts(engine) -> tuple:
    with engine.connect() as c:
        return (
            sorted(inspect(c).get_table_names()),
            c.execute(select(func.count()).select_from(complaint_t)).scalar_one(),
            c.execute(select(func.count()).select_from(complaint_event)).scalar_one(),
        )


def test_monitor_escapes_hostile_titles(hostile_app, open_page):
    at = open_page(ADMIN)
    assert not at.exception
    feed_html = next(h.proto.body for h in at.get("html") if 'class="w-feed"' in h.proto.body)
    for t in ("H22", "H01", "H02"):
        assert f'<span class="w-title-text">{html.escape(CASES[t]["title"], quote=True)}</span>' in feed_html
    assert "<script>" not in feed_html and "Diterima pada tahun 2030" not in feed_html  # the future stays out
    assert "Rahasia" not in feed_html
    assert_no_raw_citizen_text_in_markdown(at)


def test_kepatuhan_lists_hostile_titles_literally_with_safe_links(hostile_app, open_page):
    at = open_page(ADMIN, "pages/compliance.py", {"opd": "-"})
    assert not at.exception
    drill = at.dataframe[2].value.set_index("Tiket")  # the complaints not dispatched yet (after the rapor's two tables)
    for t in (*FORMULA_TICKETS, "H01", "H19", "H22"):
        assert drill.loc[t, "Judul"] == CASES[t]["title"]
    link = drill.loc["H-23/#&+ <b>?x=1", "Rincian"]
    assert link == "aduan?tiket=H-23%2F%23%26%2B%20%3Cb%3E%3Fx%3D1"
    assert_no_raw_citizen_text_in_markdown(at)


@pytest.mark.parametrize("hostile_db", ["sqlite"], indirect=True)
@pytest.mark.parametrize("ticket", list(CASES))
def test_complaint_page_shows_each_hostile_ticket_as_text(hostile_app, open_page, ticket):
    at = open_page(ADMIN, "pages/complaint.py", {"tiket": ticket})
    assert not at.exception
    case = CASES[ticket]
    texts = [e.value for e in at.text]
    assert texts[0] == case["title"].strip()  # st.text trims surrounding whitespace, nothing else
    body = case.get("body", "Isi aduan: " + case["title"])
    # the body is the main area's last text (the complaint's facts come before it, as labelled texts)
    assert at.main.text[-1].value == (body.strip() if body else "–")
    assert "Rahasia" not in str(at.main) and "081200000000" not in str(at.main)
    assert_no_raw_citizen_text_in_markdown(at)


def test_complaint_page_timeline_shows_events_in_time_order(hostile_app, open_page):
    at = open_page(ADMIN, "pages/complaint.py", {"tiket": "H08"})
    timeline = at.dataframe[-1].value
    assert timeline["Waktu (WITA)"].tolist() == [
        "09-03-2026 08:00",
        "10-03-2026 09:00",
        "13-03-2026 09:00",
        "16-03-2026 09:00",
        "20-03-2026 09:00",
    ]
    assert timeline["Catatan"].iloc[0] == "<script>alert(4)</script> **catatan** =1+1"


def test_summary_page_renders(hostile_app, open_page):
    at = open_page(ADMIN, "pages/summary.py")
    assert not at.exception
    assert_no_raw_citizen_text_in_markdown(at)


def test_data_quality_page(hostile_app, open_page):
    at = open_page(ADMIN, "pages/data_quality.py")
    assert not at.exception
    table = at.dataframe[0].value.set_index("Pemeriksaan")
    formula = table.loc["Judul yang dibaca spreadsheet sebagai rumus (diawali = + - @)"]
    assert int(formula["Jumlah"]) == 6 and list(formula["Contoh tiket"]) == ["H12", "H17"]
    assert int(table.loc["Peristiwa ganda (aduan, jenis dan waktu sama)", "Jumlah"]) == 3
    assert table.loc["Peristiwa ganda (aduan, jenis dan waktu sama)", "Satuan"] == "peristiwa"
    assert any("data per" in c.value and "WITA" in c.value for c in at.caption)
    assert any("01-01-2018 s.d. 31-12-2027" in c.value for c in at.caption)
    at.selectbox(key="quality-check").set_value("formula_title").run()
    examples = at.dataframe[1].value
    assert examples["Judul"].tolist() == [CASES["H12"]["title"], CASES["H17"]["title"]]
    assert examples["Rincian"].tolist() == ["aduan?tiket=H12", "aduan?tiket=H17"]
    assert_no_raw_citizen_text_in_markdown(at)


def test_data_quality_page_in_english(hostile_app, open_page):
    at = open_page(ADMIN, "pages/data_quality.py", {"lang": "en"})
    assert not at.exception and at.title[0].value == "Data quality"
    table = at.dataframe[0].value.set_index("Check")
    assert int(table.loc["Duplicate events (same complaint, kind and time)", "Count"]) == 3
    assert table.loc["Duplicate events (same complaint, kind and time)", "Unit"] == "events"


SQL_FRAGMENTS = [
    ("pages/compliance.py", {"opd": "1;DROP TABLE complaint--"}, "caption", "diabaikan"),
    ("pages/compliance.py", {"periode": "' OR 1=1--"}, "caption", "diabaikan"),
    (
        "pages/compliance.py",
        {"periode": "rentang", "dari": "2026-01-01' OR '1'='1", "sampai": "2026-03-31"},
        "caption",
        "diabaikan",
    ),
    ("pages/complaint.py", {"tiket": "' OR '1'='1"}, "info", "tidak ditemukan"),
    ("pages/complaint.py", {"tiket": "H01'; DELETE FROM complaint_event; --"}, "info", "tidak ditemukan"),
    ("pages/complaint.py", {"tiket": "%"}, "info", "tidak ditemukan"),
    ("pages/complaint.py", {"tiket": "**x** :material/warning: <b>y</b>"}, "info", "tidak ditemukan"),
    (None, {"sektor": "7; DROP TABLE complaint", "rotate": "1 OR 1=1", "lang": "en'--"}, None, None),
    ("pages/data_quality.py", {"lang": "id' OR '1'='1"}, None, None),
]


@pytest.mark.parametrize("page,query,kind,note", SQL_FRAGMENTS)
def test_sql_fragments_in_the_url_are_only_text(hostile_app, open_page, page, query, kind, note):
    before = table_counts(hostile_app)
    at = open_page(ADMIN, page, query)
    assert not at.exception
    if kind:
        assert any(note in e.value for e in at.get(kind)), [e.value for e in at.get(kind)]
    assert len(at.main.children) > 0
    assert table_counts(hostile_app) == before
