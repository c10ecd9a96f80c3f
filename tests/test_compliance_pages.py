"""Page `kepatuhan` with AppTest on the hand-built dataset: who to summon and why, the fair rules' labels.

The dataset's March 2026 (tests/dataset.py): one or two complaints per OPD, so with the default minimum of five
decided stages no OPD is graded; ``NTBCARE_RAPOR_MIN_DECIDED=1`` shows the grades and their reasons. The "now"
figures are as of the real clock: every complaint still open is long past its deadline.
"""

import base64
import datetime as dt
import json

import numpy as np
import pytest

from core.engine import make_engine
from core.exports import FIGURE_WIDTHS, LIST_WIDTHS, cell_lines, table_row
from dashboard.compliance import logic as compliance
from tests import dataset

MARCH = {"periode": "rentang", "dari": "2026-03-01", "sampai": "2026-03-31"}
COLUMNS = ["OPD", "Nilai", "Alasan nilai", "Terlambat kini", "Tertua (hk)", "% tepat waktu", "Menunggu"]


def values(v) -> list:
    """A plotly trace's values, decoded when plotly sent them as a typed array (``bdata``)."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"])).tolist()
    return list(v)


def cells(at) -> list[str]:
    """Every cell and header of every table on the page, as the text the browser shows."""
    out = []
    for frame in at.dataframe:
        df = frame.value
        out += [str(c) for c in df.columns] + [str(v) for v in df.to_numpy().ravel()]
    return out


def test_the_rapor_shows_who_and_why_breached_first(app_env, open_page):
    at = open_page("adviser", "kepatuhan", MARCH)
    assert not at.exception
    rapor = at.dataframe[0].value
    assert rapor.columns.tolist() == COLUMNS  # what explains a grade, and only that: no horizontal scroll
    # complaints without an OPD are counted apart, not ranked as an OPD
    assert "(belum didisposisikan)" not in rapor["OPD"].tolist()
    line = [m.value for m in at.markdown if "dihitung terpisah" in m.value]
    assert line == ["Belum didisposisikan ke OPD (dihitung terpisah): 4 belum selesai, 4 terlambat kini."]
    # breached now first, then the oldest breach
    keys = [
        (-int(b), -int(o) if o != "–" else 0)
        for b, o in zip(rapor["Terlambat kini"], rapor["Tertua (hk)"], strict=True)
    ]
    assert keys == sorted(keys) and rapor["OPD"].iloc[0] == "PUPR-PKP" and rapor["Terlambat kini"].iloc[0] == "1"
    assert "3 OPD dengan aduan terlambat kini" in " ".join(c.value for c in at.caption)
    # one decided stage each: below the minimum of 5, each says why it is not graded
    row = rapor.set_index("OPD")
    assert row.loc["ESDM", "Nilai"] == "–"
    assert row.loc["ESDM", "Alasan nilai"] == "belum dinilai: kurang dari 5 tahap selesai (baru 1)"
    assert row.loc["ESDM", "% tepat waktu"] == "belum dinilai"
    assert row.loc["Dinkes", "% tepat waktu"] == "menunggu"  # its one stage is postponed: waiting
    assert row.loc["ESDM", "Tertua (hk)"] == "–"
    shown = cells(at)
    assert not [c for c in shown if c in ("None", "nan", "NaN", "<NA>") or c.startswith("grade.")]


def test_grades_and_their_reasons_with_a_minimum_of_one(app_env, open_page, monkeypatch):
    monkeypatch.setenv("NTBCARE_RAPOR_MIN_DECIDED", "1")
    at = open_page("adviser", "kepatuhan", MARCH)
    row = at.dataframe[0].value.set_index("OPD")
    got = {
        k: (row.loc[k, "Nilai"], row.loc[k, "Alasan nilai"], row.loc[k, "% tepat waktu"])
        for k in ("Dispar", "ESDM", "Dishub")
    }
    assert got == {
        "Dispar": ("A", "A: 1 dari 1 dijawab tepat waktu", "100,0%"),
        "ESDM": ("D", "D: 0 dari 1 dijawab tepat waktu", "0,0%"),
        # its answer is past due: a decided stage, late; and one grade lower for the breach
        "Dishub": ("D", "D: 1 terlambat kini; 0 dari 1 dijawab tepat waktu", "0,0%"),
    }
    en = open_page("adviser", "kepatuhan", {**MARCH, "lang": "en"}).dataframe[0].value.set_index("OPD")
    assert en.loc["Dishub", "Why this grade"] == "D: 1 breached now; 0 of 1 answered on time"


def test_a_complaint_not_yet_due_is_waiting_not_zero_percent(app_env, open_page, monkeypatch):
    """Before: an OPD whose only complaint was dispatched today showed 0 % and grade D."""
    monkeypatch.setenv("NTBCARE_RAPOR_MIN_DECIDED", "1")
    now = dt.datetime.now(dataset.WITA)
    case = dict(
        title="Baru saja",
        sector="infrastruktur",
        region="5271",
        channel="aplikasi",
        classification="pengaduan",
        priority="biasa",
        status="terdisposisi",
        opd="D21",
        received_at=now - dt.timedelta(minutes=2),
        dispatched_at=now - dt.timedelta(minutes=1),
    )
    engine = make_engine(app_env)
    with engine.begin() as conn:
        dataset.insert_cases(conn, {"W-1": case})
    engine.dispose()
    at = open_page("adviser", "kepatuhan", {"periode": "bulan_ini"})
    row = at.dataframe[0].value.set_index("OPD").loc["ESDM"]
    assert (row["Nilai"], row["% tepat waktu"], row["Menunggu"]) == ("–", "menunggu", "1")
    assert row["Alasan nilai"] == "belum dinilai: kurang dari 1 tahap selesai (baru 0)"


def test_drill_down_and_its_trend_chart(app_env, open_page):
    at = open_page("adviser", "kepatuhan", MARCH)
    # the worst OPD is preselected: its open complaints, each with a link to the detail page
    drill = at.dataframe[2].value
    assert drill["Tiket"].tolist() == ["T06"] and drill["Tenggat"].tolist() == ["21-01-2026"]
    assert drill["Rincian"].tolist() == ["aduan?tiket=T06"] and drill["Terlambat (hk)"].str.isdigit().all()
    trend = json.loads(at.get("plotly_chart")[1].proto.spec)
    legend, title = trend["layout"]["legend"], trend["layout"]["title"]
    assert title["text"] == "Per bulan — PUPR-PKP"
    # the title in the top 44 px, the legend below it and above the plot (which starts at the top margin)
    height, top = trend["layout"]["height"], trend["layout"]["margin"]["t"]
    assert (title["yref"], title["y"], title["yanchor"]) == ("container", 1, "top")
    assert legend["yref"] == "container" and legend["yanchor"] == "top"
    assert round(height * (1 - legend["y"])) >= 44 and top >= round(height * (1 - legend["y"])) + 30
    months = trend["data"][0]["x"]
    assert months == ["2025-12", "2026-01", "2026-02", "2026-03"]  # months without dispatches show as zero
    assert values(trend["data"][0]["y"]) == [0, 0, 0, 0] and values(trend["data"][2]["y"]) == [1, 0, 0, 0]
    at.selectbox(key="kep-opd").set_value("D11").run()
    assert at.dataframe[2].value["Tiket"].tolist() == ["T03"]
    assert at.query_params["opd"] == ["D11"] or at.query_params["opd"] == "D11"
    # the complaints without an OPD: not a rapor row, but the picker still reaches them
    at.selectbox(key="kep-opd").set_value("-").run()
    assert sorted(at.dataframe[2].value["Tiket"]) == ["T01", "T02", "T12", "T13"]


def test_download_names_say_which_opd_and_period():
    march = compliance.resolve_period("rentang", dt.date(2026, 3, 30), dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    names = compliance.download_names(march, "N02")
    assert names["pdf_one"] == "rapor-opd-N02-20260301-20260331.pdf"
    assert names["pdf_all"] == "rapor-opd-semua-OPD-20260301-20260331.pdf"
    assert names["late_csv"] == "terlambat-N02-20260301-20260331.csv"
    assert compliance.download_names(march, None)["late_xlsx"] == "terlambat-semua-OPD-20260301-20260331.xlsx"
    assert (
        compliance.download_names(march, compliance.NO_OPD)["late_csv"] == "terlambat-tanpa-OPD-20260301-20260331.csv"
    )
    assert compliance.file_opd("../x y") == "x-y"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_pdf_cells_hold_their_text(lang):
    """Every header of the breached list and every figure label wraps inside its cell: no line wider than it."""
    from fpdf import FPDF

    from core.exports import _font_path
    from core.locale import LOCALES
    from core.rapor import pdf_labels

    pdf = FPDF()
    pdf.add_font("Body", "", str(_font_path()))
    pdf.add_page()
    pdf.set_font("Body", size=8)
    heads = pdf_labels(LOCALES[lang])["columns"]
    for head, w in zip(heads, LIST_WIDTHS, strict=True):
        assert all(pdf.get_string_width(line) <= w - 2 * pdf.c_margin for line in cell_lines(pdf, head, w)), head
    table_row(pdf, heads, LIST_WIDTHS, 4)
    # the late column's header did not fit the old 16 mm cell on one line: the test can tell
    assert pdf.get_string_width("Terlambat (hk)") > 16 - 2 * pdf.c_margin
    pdf.set_font("Body", size=11)
    reason = "D: 17 terlambat kini; 123 dari 456 dijawab tepat waktu (tanggapan yang sudah diputus)"
    lines = cell_lines(pdf, reason, FIGURE_WIDTHS[1])
    assert len(lines) >= 1 and all(pdf.get_string_width(x) <= FIGURE_WIDTHS[1] - 2 * pdf.c_margin for x in lines)


def test_history_switch_shows_the_old_units(app_env, open_page):
    at = open_page("adviser", "kepatuhan", {**MARCH, "historis": "1"})
    opds = at.dataframe[0].value["OPD"].tolist()
    assert "PUPR" in opds and "PUPR-PKP" not in opds
    assert not at.warning  # the calendar reaches far enough: no warning


@pytest.mark.parametrize(
    "query",
    [
        {"periode": "zzz"},
        {"periode": "rentang", "dari": "kemarin", "sampai": "2026-13-40"},
        {"opd": "'; DROP TABLE opd; --"},
    ],
)
def test_bad_url_values_are_ignored_with_a_note(app_env, open_page, query):
    at = open_page("adviser", "kepatuhan", query)
    assert not at.exception
    assert len(at.dataframe) >= 1
    if "periode" in query:
        assert any("diabaikan" in c.value for c in at.caption)


def test_pdf_button_builds_a_pdf(app_env, open_page):
    at = open_page("adviser", "kepatuhan", MARCH)
    at.button(key="btn-kep.pdf_all").click().run()
    assert not at.exception
    assert any(b.label == "Unduh PDF" for b in at.get("download_button"))


def test_kepatuhan_warns_when_the_calendar_runs_out(app_env, open_page):
    from sqlalchemy import delete

    from queries.schema import work_calendar

    with make_engine(app_env).begin() as conn:  # the calendar ends tomorrow-ish: operators must refresh it
        conn.execute(delete(work_calendar).where(work_calendar.c.day > dt.date.today() + dt.timedelta(days=10)))
    at = open_page("adviser", "kepatuhan")
    assert any("python -m data_seed calendar" in w.value for w in at.warning)
