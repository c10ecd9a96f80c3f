"""A national number of agencies (``data_seed init --opds 400``): the rapor and its chart stay readable.

The database is the generator's realistic mix with 400 active OPDs (the regional offices a national LAPOR!
instance routes to). Figures are recounted from the rapor the page reads, not written down.
"""

import datetime as dt
import json

import pandas as pd
import pytest

from core.engine import make_engine
from core.locale import LOCALES
from core.settings import SlaRules
from core.timefmt import to_wita
from dashboard import charts
from dashboard.compliance import logic as compliance
from queries import scorecard

ID = LOCALES["id"]
OPDS = 400


@pytest.fixture(scope="module")
def national_url(db_factory):
    return db_factory.generated("sqlite", complaints=12_000, seed=3, opds=OPDS)


@pytest.fixture(scope="module")
def rapor(national_url):
    """The rapor of the last 90 days, every OPD, as kepatuhan reads it."""
    now = dt.datetime.now(dt.UTC)
    engine = make_engine(national_url)
    try:
        with engine.connect() as conn:
            df = scorecard.opd_scorecard(conn, now - dt.timedelta(days=90), now, now=now, rules=SlaRules())
    finally:
        engine.dispose()
    return compliance.split_unassigned(df)[0]


def bars(fig) -> pd.DataFrame:
    trace = fig.data[0]
    return pd.DataFrame({"label": list(trace.y), "pct": list(trace.x), "opd_id": list(trace.customdata)})


def test_the_on_time_chart_draws_the_lowest_shares_and_says_of_how_many(rapor):
    with_share = rapor.dropna(subset=["response_on_time_pct"])
    assert len(rapor) > 200 and len(with_share) > charts.COMPLIANCE_BARS  # a national width indeed
    fig = charts.compliance_bar(rapor, ID.t("kep.chart_title"), ID)
    drawn = bars(fig)
    assert len(drawn) == charts.COMPLIANCE_BARS
    # the lowest shares of all, recounted from the rapor: no OPD left out has a lower share than one drawn
    left_out = with_share[~with_share["opd_id"].isin(drawn["opd_id"])]
    assert drawn["pct"].max() <= left_out["response_on_time_pct"].min()
    assert sorted(drawn["pct"]) == sorted(with_share["response_on_time_pct"].nsmallest(charts.COMPLIANCE_BARS))
    assert fig.layout.title.text == (
        f"Tanggapan tepat waktu per OPD (%): {charts.COMPLIANCE_BARS} terendah dari {len(with_share)} OPD"
    )
    assert fig.layout.height == 22 * charts.COMPLIANCE_BARS + 80  # a screen, not 22 px for each of 400 OPDs


def test_two_opds_with_one_short_name_are_two_bars(rapor):
    """Two agencies may share a short name (a regency's and a city's office): plotly would draw one bar for both."""
    few = rapor.dropna(subset=["response_on_time_pct"]).head(6).reset_index(drop=True)
    few.loc[1, "opd"] = few.loc[0, "opd"]
    drawn = bars(charts.compliance_bar(few, "t", ID))
    assert len(drawn) == 6 and drawn["label"].is_unique
    shared = drawn.set_index("opd_id").loc[few.loc[:1, "opd_id"], "label"].tolist()
    assert shared == [f"{few.loc[i, 'opd']} ({few.loc[i, 'opd_code']})" for i in (0, 1)]
    assert charts.compliance_bar(few, "t", ID).layout.title.text == "t"  # all drawn: the plain title
    # and the rapor's grid names them apart the same way, the others by their name alone
    names = compliance.rapor_view(compliance.with_grades(few), ID)["OPD"].tolist()
    assert names[:2] == shared and names[2:] == few.loc[2:, "opd"].tolist()


def test_the_rapor_grid_shows_at_most_fifteen_rows_and_scrolls_the_rest():
    assert compliance.rapor_height(57, 14) == 38 + 35 * 14  # NTB: every late OPD visible, as before
    assert compliance.rapor_height(57, 3) == 38 + 35 * 10
    assert compliance.rapor_height(6, 3) == 38 + 35 * 6
    assert compliance.rapor_height(400, 391) == 38 + 35 * compliance.RAPOR_ROWS


def test_kepatuhan_lists_every_opd_of_a_national_instance(national_url, monkeypatch, open_page):
    """Every OPD of the period is a row of the grid (the rest scroll inside it), each under its own name."""
    from dashboard import data

    today = to_wita(dt.datetime.now(dt.UTC)).date()
    period = compliance.resolve_period("rentang", today, today - dt.timedelta(days=90), today)
    start, end = period.bounds()
    engine = make_engine(national_url)
    with engine.connect() as conn:
        now = dt.datetime.now(dt.UTC)
        expected = compliance.split_unassigned(scorecard.opd_scorecard(conn, start, end, now=now, rules=SlaRules()))[0]
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", national_url)
    data.reset()
    query = {"periode": "rentang", "dari": period.start.isoformat(), "sampai": period.end.isoformat()}
    at = open_page("adviser", "kepatuhan", query, timeout=120)
    assert not at.exception
    grid = at.dataframe[0].value
    assert len(grid) == len(expected) > 200 and grid["OPD"].is_unique
    assert set(grid["OPD"]) == set(expected["opd"])
    late = int((grid["Terlambat kini"].astype(int) > 0).sum())
    assert late == int((expected["breached"] > 0).sum()) > compliance.RAPOR_ROWS
    assert f"{late} OPD dengan aduan terlambat kini" in " ".join(c.value for c in at.caption)
    # the chart: the OPDs with a share after grading (a share of too few decided stages is not shown), at most 25
    graded = compliance.with_grades(expected).dropna(subset=["response_on_time_pct"])
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert len(spec["data"][0]["y"]) == min(len(graded), charts.COMPLIANCE_BARS) > 0
    assert ("terendah dari" in spec["layout"]["title"]["text"]) == (len(graded) > charts.COMPLIANCE_BARS)
    data.reset()


def test_the_public_page_names_every_office_apart(national_url):
    """The public rapor lists every current OPD by name (400 here); two sharing a short name get their code."""
    from core.periods import resolve_period
    from publik import figures
    from queries import overdue

    now = dt.datetime.now(dt.UTC)
    today = to_wita(now).date()
    engine = make_engine(national_url)
    with engine.connect() as conn:
        current = overdue.opd_names(conn, rollup=True)
        month = figures.rapor(conn, resolve_period("bulan_lalu", today), now, SlaRules())
    engine.dispose()
    table = figures.opd_table(month, current, minimum=5)
    assert len(table) == len(current) >= OPDS and table["opd"].is_unique
    twin = current.copy()
    twin.loc[twin.index[1], "short_name"] = twin.loc[twin.index[0], "short_name"]
    named = figures.opd_table(month, twin, minimum=5).set_index("opd_code")["opd"]
    codes = twin.loc[twin.index[:2], "code"]
    assert named.is_unique and [named[c] for c in codes] == [
        f"{twin.loc[twin.index[0], 'short_name']} ({c})" for c in codes
    ]
