"""The rapor OPD: exact figures on the hand-built dataset (both backends), grades, and the exported files."""

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from core import exports
from core.locale import LOCALES
from dashboard.compliance import logic as compliance
from queries import calendar, overdue, scorecard
from tests.dataset import NOW, wita

ID = LOCALES["id"]

MARCH = compliance.resolve_period("rentang", dt.date(2026, 3, 30), dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture
def conn(small_db):
    with small_db.connect() as c:
        yield c


def test_periods():
    today = dt.date(2026, 3, 30)
    assert compliance.resolve_period("bulan_ini", today) == compliance.Period(dt.date(2026, 3, 1), today)
    assert compliance.resolve_period("bulan_lalu", today) == compliance.Period(
        dt.date(2026, 2, 1), dt.date(2026, 2, 28)
    )
    assert compliance.resolve_period("tahun_ini", today).start == dt.date(2026, 1, 1)
    assert compliance.resolve_period("rentang", today, dt.date(2026, 3, 9), dt.date(2026, 3, 2)) == compliance.Period(
        dt.date(2026, 3, 2), dt.date(2026, 3, 9)
    )
    assert compliance.resolve_period("rentang", today) == compliance.Period(dt.date(2026, 3, 1), today)
    start, end = MARCH.bounds()
    assert start == wita(2026, 3, 1, 0) and end == wita(2026, 4, 1, 0)


@pytest.mark.parametrize(
    "pct,breached,expected",
    [
        (95.0, 0, "A"),
        (95.0, 1, "B"),
        (95.0, 5, "C"),
        (80.0, 0, "B"),
        (60.0, 0, "C"),
        (40.0, 0, "D"),
        (40.0, 9, "D"),
        (None, 0, None),
        (None, 2, None),  # fair rules: no share (too few decided stages), no grade, breaches or not
        (float("nan"), 0, None),
    ],
)
def test_grades(pct, breached, expected):
    assert compliance.grade(pct, breached) == expected


def test_historical_units_keep_the_merged_opd(conn, rules):
    start, end = MARCH.bounds()
    rolled = scorecard.opd_scorecard(conn, start, end, NOW, rules).set_index("opd")
    hist = scorecard.opd_scorecard(conn, start, end, NOW, rules, rollup=False).set_index("opd")
    assert int(rolled.loc["PUPR-PKP", "breached"]) == 1 and "PUPR" not in rolled.index
    assert int(hist.loc["PUPR", "breached"]) == 1 and "PUPR-PKP" not in hist.index


def test_drill_down_lists_open_complaints_with_deadlines(conn, rules):
    rolled = overdue.overdue_by_opd(conn, NOW, rules).set_index("opd")
    pupr_pkp = int(rolled.loc["PUPR-PKP", "opd_id"])
    df = overdue.open_complaints(conn, NOW, rules, opd_id=pupr_pkp)
    assert df["ticket"].tolist() == ["T06"]
    t06 = df.iloc[0]
    assert (t06["sla_state"], t06["deadline"], t06["status"]) == ("breached", dt.date(2026, 1, 21), "diproses")
    assert int(t06["overdue_wd"]) == int(t06["age_wd"]) - 1 - 14  # received 29 Dec, dispatched the next working day
    late = overdue.open_complaints(conn, NOW, rules, only_late=True)
    assert sorted(late["ticket"]) == ["T01", "T02", "T06"]
    assert sorted(overdue.open_complaints(conn, NOW, rules, unassigned=True)["ticket"]) == ["T01", "T02", "T12", "T13"]
    assert len(overdue.open_complaints(conn, NOW, rules)) == 8
    assert late.iloc[-1]["sla_state"] == "at_risk" and late.iloc[-1]["deadline"] == dt.date(2026, 3, 31)
    assert "reporter_name" not in df.columns and "reporter_contact" not in df.columns


def test_monthly_trend_of_one_opd(conn, rules):
    pupr_pkp = int(overdue.overdue_by_opd(conn, NOW, rules).set_index("opd").loc["PUPR-PKP", "opd_id"])
    df = scorecard.opd_monthly(conn, pupr_pkp, wita(2025, 1, 1, 0), wita(2026, 4, 1, 0), NOW, rules)
    # every month of the range has a row (a chart's axis skips none), zeros where nothing was dispatched
    assert df["period"].tolist() == [f"2025-{m:02d}" for m in range(1, 13)] + ["2026-01", "2026-02", "2026-03"]
    assert df[df["dispatched"] > 0].to_dict("records") == [
        {"period": "2025-12", "dispatched": 1, "completed_on_time": 0, "completed_late": 0, "breached_now": 1}
    ]
    assert int(df.drop(columns="period").to_numpy().sum()) == 2
    esdm = int(scorecard.opd_scorecard(conn, *MARCH.bounds(), NOW, rules).set_index("opd").loc["ESDM", "opd_id"])
    assert scorecard.opd_monthly(conn, esdm, *MARCH.bounds(), NOW, rules).to_dict("records") == [
        {"period": "2026-03", "dispatched": 1, "completed_on_time": 1, "completed_late": 0, "breached_now": 0}
    ]


@pytest.fixture
def rapor_and_late(conn, rules):
    start, end = MARCH.bounds()
    # the hand-built dataset has one or two complaints per OPD: graded from one decided stage up, to see grades
    rapor = compliance.with_grades(scorecard.opd_scorecard(conn, start, end, NOW, rules), minimum=1)
    late = overdue.open_complaints(conn, NOW, rules, only_late=True)
    return rapor, late


def test_xlsx_and_csv_exports_carry_the_rapor_and_are_safe(rapor_and_late):
    rapor, late = rapor_and_late
    wb = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes({"rapor": rapor, "terlambat": late})))
    ws = wb["rapor"]
    header = [c.value for c in ws[1]]
    rows = {
        r[header.index("opd")]: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)
    }
    assert rows["ESDM"]["dispatched"] == 1 and rows["ESDM"]["responded_on_time"] == 0
    assert rows["DPMPTSP"]["response_on_time_pct"] == 100.0 and rows["PUPR-PKP"]["breached"] == 1
    assert rows["Dispar"]["grade"] == "A" and rows["ESDM"]["grade"] == "D"
    wl = wb["terlambat"]
    lheader = [c.value for c in wl[1]]
    titles = {r[lheader.index("ticket")]: r[lheader.index("title")] for r in wl.iter_rows(min_row=2, values_only=True)}
    assert titles["T02"] == "<img src=x onerror=alert(1)>"
    assert "reporter_name" not in lheader and "reporter_contact" not in lheader
    received = {
        r[lheader.index("ticket")]: r[lheader.index("received_at")] for r in wl.iter_rows(min_row=2, values_only=True)
    }
    assert received["T01"] == "2026-03-17 09:00"  # WITA
    hostile = pd.DataFrame(
        {
            "ticket": ["X1", "X2", "X3", "X4", "X5"],
            "title": ['=HYPERLINK("http://x","klik")', "+1+2", "-2+3", "@SUM(A1)", "aman"],
            "reporter_name": ["Rahasia"] * 5,
        }
    )
    csv = exports.to_csv_bytes(hostile).decode("utf-8-sig").splitlines()
    assert csv[0] == "ticket,title"
    assert csv[1] == 'X1,"\'=HYPERLINK(""http://x"",""klik"")"' and csv[2] == "X2,'+1+2"
    assert csv[4] == "X4,'@SUM(A1)" and csv[5] == "X5,aman"
    cells = [c.value for c in openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes({"x": hostile})))["x"]["B"]]
    assert cells == ["title", '\'=HYPERLINK("http://x","klik")', "'+1+2", "'-2+3", "'@SUM(A1)", "aman"]


def test_pdf_rapor_has_the_figures_and_the_breached_list(rapor_and_late, rules):
    rapor, late = rapor_and_late
    labels = {
        "title": "Rapor OPD",
        "period": "Periode",
        "generated": "Dibuat",
        "breached_list": "Aduan terlambat",
        "columns": ["Tiket", "Judul", "Diterima", "Tenggat", "Terlambat (hk)"],
    }
    steps = []
    pupr = rapor[rapor["opd"] == "PUPR-PKP"]["opd_id"].tolist()
    pdf = exports.rapor_pdf(
        compliance.pdf_sections(rapor, late, ID, pupr),
        MARCH.label(ID),
        compliance.rules_text(rules, ID),
        dt.datetime(2026, 3, 30, 2, 0, tzinfo=dt.UTC),
        labels,
        progress=steps.append,
    )
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Rapor OPD — PUPR-PKP" in text and "01-03-2026 s.d. 31-03-2026" in text
    assert "30-03-2026 10:00 WITA" in text
    assert "Aduan terlambat (1)" in text and "T06" in text and "Jembatan putus di Praya" in text
    assert "21-01-2026" in text  # T06's completion deadline
    flat = " ".join(text.split())
    assert "Aturan tenggat (hari kerja, Senin–Jumat" in flat and "hari sejak disposisi" in flat
    assert "Baiq Rahasia" not in text and "081200000000" not in text
    assert steps == [1.0]
    everyone = exports.rapor_pdf(
        compliance.pdf_sections(rapor, late, ID),
        MARCH.label(ID),
        "aturan",
        dt.datetime(2026, 3, 30, tzinfo=dt.UTC),
        labels,
        progress=steps.append,
    )
    reader = PdfReader(io.BytesIO(everyone))
    assert len(reader.pages) == len(rapor)
    first = reader.pages[0].extract_text()
    assert "Rapor OPD — PUPR-PKP" in first


def test_calendar_coverage_and_warning(conn):
    from dashboard.components import CALENDAR_WARN_DAYS

    cov = calendar.calendar_coverage(conn).iloc[0]
    assert (cov["first_day"], cov["last_day"]) == (dt.date(2018, 1, 1), dt.date(2027, 12, 31))
    assert (cov["last_day"] - dt.date(2027, 11, 30)).days <= CALENDAR_WARN_DAYS  # warned in Nov 2027
    assert (cov["last_day"] - dt.date(2026, 3, 30)).days > CALENDAR_WARN_DAYS  # quiet in 2026
