"""The public page and its open data (publik/): the advisers' figures, nothing personal, cached, outage-proof.

The database is a seeded history (data_seed, 2,000 complaints up to 15 June 2026) on both backends; the
advisers' figures are computed here the way page `kepatuhan` computes them (its own functions), and compared
with what the public sees: the cells of the page's tables, the open-data CSV and JSON.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from core import exports
from core.codes import WITA
from core.engine import make_engine
from core.locale import LOCALES
from core.settings import SlaRules
from dashboard.compliance import logic as compliance
from publik.app import PublicConfig, create_app
from queries import schema, scorecard
from queries.schema import complaint

UNTIL = dt.datetime(2026, 6, 15, 10, 0, tzinfo=WITA)
# several "now"s: each gives another last month and another year so far
NOWS = [UNTIL, dt.datetime(2026, 2, 10, 14, 0, tzinfo=WITA)]  # May and Jan-Jun 2026; Jan and Jan-Feb 2026
CONFIG = PublicConfig(
    refresh_s=300, minimum=5, licence="CC BY 4.0", licence_url="https://example.org/by", titles=False, jurisdiction="x"
)


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def seeded(request, db_factory):
    url = db_factory.url(request.param)
    cmd = [sys.executable, "-m", "data_seed", "init", "--database-url", url, "--complaints", "2000", "--until",
           UNTIL.isoformat(), "--quiet"]  # fmt: skip
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def client(engine, now, config=CONFIG) -> TestClient:
    return TestClient(create_app(engine, config, SlaRules(), clock=lambda: now))


def advisers_rapor(engine, choice: str, now: dt.datetime) -> pd.DataFrame:
    """The rapor page `kepatuhan` shows for a period choice at ``now`` (its own functions, history off)."""
    period = compliance.resolve_period(choice, now.astimezone(WITA).date())
    start, end = period.bounds()
    with engine.connect() as conn:
        return compliance.with_grades(scorecard.opd_scorecard(conn, start, end, now, SlaRules(), rollup=True))


class Tables(HTMLParser):
    """The rows (cell texts) of every table of a page, by the id of the section holding it."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.section, self.row, self.cell = None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.section = a.get("aria-labelledby")
            self.tables.setdefault(self.section, [])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.section].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def shown_tables(html: str) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def test_every_figure_on_the_page_is_the_advisers_figure(seeded):
    """Last month and the year so far, at two dates, in both languages: each OPD row of the page holds exactly
    the advisers' dispatched count, shares, median and grade, written as that language writes them; below the
    minimum the shares say "–" and the grade "not graded"; OPDs without complaints are named under the table."""
    checked = graded = 0
    for now in NOWS:
        c = client(seeded, now)
        pages = {lang: c.get("/publik/", params={"lang": lang}).text for lang in ("id", "en")}
        for slug, choice in (("month-h", "bulan_lalu"), ("year-h", "tahun_ini")):
            rapor = advisers_rapor(seeded, choice, now)
            for lang, html in pages.items():
                loc = LOCALES[lang]
                rows = {r[0]: r[1:] for r in shown_tables(html)[slug][1:]}
                for r in rapor[rapor["opd_id"].notna() & (rapor["dispatched"] > 0)].itertuples():
                    shown = rows.pop(r.opd)
                    assert shown[0] == loc.num(r.dispatched)
                    if r.dispatched >= CONFIG.minimum and r.graded:  # fair rules: enough decided stages
                        graded += 1
                        assert shown[1] == loc.pct(r.response_on_time_pct / 100, 1)
                        assert shown[2] == loc.pct(r.completion_on_time_pct / 100, 1)
                        assert shown[4] == loc.t(f"grade.{r.grade}")
                    else:
                        assert shown[1:3] == ["–", "–"] and shown[4] == loc.t("pub.not_graded")
                    assert shown[3] == loc.num_short(r.median_response_wd, 1)
                    checked += 1
                assert rows == {}, f"rows the advisers do not have: {rows}"
                assert loc.t("pub.minimum_note", n=CONFIG.minimum) in html.replace("&quot;", '"')
    assert graded > 10 and checked > graded  # both kinds of row were compared


def test_nothing_personal_and_no_citizen_text_anywhere(seeded):
    """No title, body, reporter name or contact in the page, the open data or the Open311 answers (both
    formats), even though the database holds them."""
    with seeded.connect() as conn:
        rows = conn.execute(
            select(complaint.c.title, complaint.c.body, complaint.c.reporter_name, complaint.c.reporter_contact)
            .order_by(complaint.c.received_at.desc())
            .limit(300)
        ).all()
    secrets = {v for r in rows for v in r if v and len(v) > 6}
    c = client(seeded, UNTIL)
    month = f"{(UNTIL.date().replace(day=1) - dt.timedelta(days=1)):%Y-%m}"
    paths = ["/publik/", "/publik/?lang=en", "/publik/data/", f"/publik/data/rapor-{month}.csv",
             f"/publik/data/rapor-{month}.json", "/open311/v2/services.json", "/open311/v2/requests.json",
             "/open311/v2/requests.xml"]  # fmt: skip
    for path in paths:
        res = c.get(path)
        assert res.status_code == 200, path
        text = res.content.decode("utf-8")
        leaked = [s for s in secrets if s in text]
        assert leaked == [], f"{path} shows {leaked[:3]}"
    assert len(json.loads(c.get("/open311/v2/requests.json").text)) > 20  # the answers did hold complaints


def test_open_data_csv_and_json_are_the_advisers_xlsx_of_that_month(seeded):
    """The month's CSV and JSON at /publik/data/ have exactly the header and cells of the XLSX the advisers
    download on `kepatuhan` for that month (its export_frames and core.exports.to_xlsx_bytes)."""
    c = client(seeded, UNTIL)
    for month, choice_now in (("2026-05", UNTIL), ("2026-04", dt.datetime(2026, 5, 3, 9, 0, tzinfo=WITA))):
        rapor = advisers_rapor(seeded, "bulan_lalu", choice_now)
        if choice_now is not UNTIL:  # the same month seen from UNTIL: the advisers' custom range
            start, end = compliance.resolve_period(
                "rentang", UNTIL.date(), dt.date(2026, 4, 1), dt.date(2026, 4, 30)
            ).bounds()
            with seeded.connect() as conn:
                rapor = compliance.with_grades(scorecard.opd_scorecard(conn, start, end, UNTIL, SlaRules()))
        rapor_export, _ = compliance.export_frames(rapor, compliance.held_by_opd(None))
        book = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx_bytes({"rapor": rapor_export})))
        xlsx = [list(r) for r in book["rapor"].iter_rows(values_only=True)]
        got_csv = list(csv.reader(io.StringIO(c.get(f"/publik/data/rapor-{month}.csv").content.decode("utf-8-sig"))))
        doc = json.loads(c.get(f"/publik/data/rapor-{month}.json").text)
        assert got_csv[0] == xlsx[0] == doc["columns"]
        assert len(got_csv) == len(xlsx) == len(doc["rows"]) + 1 > 10
        for x, c_row, j in zip(xlsx[1:], got_csv[1:], doc["rows"], strict=True):
            assert [None if v is None else v for v in x] == [j[k] for k in doc["columns"]]
            # the same cells; a number is written as CSV writes it ("90.0") and as Excel stores it (90)
            assert [
                None if t == "" else (float(t) if isinstance(v, int | float) else t)
                for t, v in zip(c_row, x, strict=True)
            ] == x
        assert doc["licence"] == "CC BY 4.0"


def test_open_data_index_lists_months_dictionary_and_licence(seeded):
    c = client(seeded, UNTIL)
    html = c.get("/publik/data/", params={"lang": "en"}).text
    assert 'href="rapor-2026-05.csv"' in html and 'href="rapor-2026-06.csv"' not in html  # June is not complete
    assert "CC BY 4.0" in html and "https://example.org/by" in html
    for column in ("kode_opd", "response_on_time_pct", "grade"):
        assert f"<code>{column}</code>" in html
    bad = c.get("/publik/data/rapor-2026-06.csv", params={"lang": "en"})
    assert bad.status_code == 404 and "2026-05" in bad.text and "Traceback" not in bad.text


def test_figures_are_computed_once_per_interval_for_every_visitor(seeded):
    app = create_app(seeded, CONFIG, SlaRules(), clock=lambda: UNTIL)
    c = TestClient(app)
    for _ in range(3):
        assert c.get("/publik/").status_code == 200
        assert c.get("/publik/", params={"lang": "en"}).status_code == 200
    assert app.state.cache.computations == 1


def test_outage_gives_a_clear_page_in_the_visitors_language():
    """No database: 503 with the message in the page's language, never a traceback."""
    engine = make_engine("postgresql://postgres@127.0.0.1:1/none", must_exist=False)
    c = client(engine, UNTIL)
    for lang in ("id", "en"):
        res = c.get("/publik/", params={"lang": lang})
        assert res.status_code == 503
        assert LOCALES[lang].t("pub.unavailable") in res.text and "Traceback" not in res.text
    assert c.get("/open311/v2/requests.xml").status_code == 503


def test_trend_and_map_tables_are_ringkasans_figures(seeded):
    """The trend's table: complaints received and completed per month (queries.trend) and the share completed
    on time (queries.headline), the last 12 complete months; the map's table: complaints per kabupaten/kota
    last month (queries.breakdown), as `ringkasan` reads them."""
    from queries import breakdown, headline, trend

    loc = LOCALES["en"]
    tables = shown_tables(client(seeded, UNTIL).get("/publik/", params={"lang": "en"}).text)
    start, end = dt.datetime(2025, 6, 1, tzinfo=WITA), dt.datetime(2026, 6, 1, tzinfo=WITA)
    with seeded.connect() as conn:
        flow = trend.received_vs_completed(conn, start, end, grain="month").set_index("period")
        done = headline.on_time_by_period(conn, start, end, SlaRules()).set_index("period")
        regions = breakdown.count_by(conn, "region", dt.datetime(2026, 5, 1, tzinfo=WITA), end)
        all_regions = [name for (name,) in conn.execute(select(schema.region.c.name))]
    rows = tables["trend-h"][1:]
    assert [r[0] for r in rows] == [loc.month(dt.date(2025 + (m > 12), (m - 1) % 12 + 1, 1)) for m in range(6, 18)]
    for r, period in zip(rows, pd.period_range("2025-06", "2026-05", freq="M").astype(str), strict=True):
        received = flow["received"].get(period, 0)
        completed = flow["completed"].get(period, 0)
        share = done["on_time_pct"].get(period)
        assert r[1:] == [loc.num(received), loc.num(completed), loc.pct(None if share is None else share / 100, 1)]
    shown = {r[0]: r[1] for r in tables["map-h"][1:]}
    counted = {r.label: r.count for r in regions[regions["key"].notna()].itertuples()}
    assert shown == {name: loc.num(counted.get(name, 0)) for name in all_regions}  # 0 where none came
    assert len(shown) == 10 and "0" in shown.values()  # this month has a kabupaten/kota without complaints


def test_after_the_interval_visitors_keep_the_last_figures_while_one_refresh_runs_and_an_outage_marks_them_stale():
    from publik.cache import SnapshotCache

    now = [0.0]
    cache = SnapshotCache(60, clock=lambda: now[0])
    assert cache.get("k", lambda: "first").value == "first"
    now[0] = 61.0

    def broken():
        raise ConnectionError("database down")

    entry = cache.get("k", broken)  # answered at once with the last value; the refresh runs behind it
    assert entry.value == "first"
    lock = cache._lock("k")
    with lock:  # taken once the background refresh has finished
        pass
    assert cache.get("k", broken).stale is True and cache.get("k", broken).value == "first"
    now[0] = 200.0
    cache.get("k", lambda: "second")
    with lock:
        pass
    assert cache.get("k", lambda: "third").value == "second" and cache.computations == 3
