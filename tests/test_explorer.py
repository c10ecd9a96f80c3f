"""The explorer (issue 5): URL filters round-trip, and every drill-down link opens exactly the complaints
its bar, region or row counted, on realistic generated data, on PostgreSQL and SQLite."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import parse_qsl

import pandas as pd
import pytest
from sqlalchemy import func, select

from core.codes import WITA
from core.engine import make_engine
from core.locale import LOCALES
from core.settings import SlaRules
from dashboard import charts
from dashboard.compliance import logic as compliance
from dashboard.explorer.url import Lookups, Selection, explorer_link, parse_params
from dashboard.summary import logic as summary
from dashboard.wall import data as wall_data
from dashboard.wall.html import overdue_html
from queries import breakdown, lookup, overdue, scorecard, search, trend
from queries.schema import complaint
from queries.search import ComplaintFilter
from queries.sla_sql import complaint_sla
from tests.dataset import NOW

ID = LOCALES["id"]

RULES = SlaRules()


@pytest.fixture(scope="module", params=("sqlite", "postgresql"))
def demo(request, db_factory):
    """3,000 generated complaints up to now (the generator's realistic mix), on each backend."""
    engine = make_engine(db_factory.generated(request.param, complaints=3000, seed=11))
    with engine.connect() as conn:
        lookups = Lookups.from_frame(lookup.reference_codes(conn))
    yield engine, lookups
    engine.dispose()


def link_count(conn, link: str, lookups: Lookups, now: dt.datetime) -> int:
    """What the explorer counts when ``link`` is opened (parsed exactly as the page parses its URL)."""
    assert link.startswith("aduan?")
    sel, notes = parse_params(dict(parse_qsl(link.split("?", 1)[1])), lookups)
    assert notes == [], link
    return search.count_complaints(conn, sel.to_filter(lookups), now, RULES)


def test_url_filters_round_trip(demo):
    _, lookups = demo
    opd_code = next(iter(lookups.opd))
    sel = Selection(
        dari=dt.date(2026, 1, 1),
        sampai=dt.date(2026, 3, 31),
        status=("diproses", "ditunda"),
        opd=(opd_code, "-"),
        sektor=("infrastruktur", "-"),
        kanal=("aplikasi",),
        wilayah=("5271",),
        prioritas=("mendesak",),
        klasifikasi=("pengaduan",),
        sla=("breached", "at_risk"),
        q="jalan 100% rusak & 'x'",
        historis=True,
        urut="opd",
        naik=True,
        hal=3,
    )
    link = explorer_link(**sel.to_params())
    back, notes = parse_params(dict(parse_qsl(link.split("?", 1)[1])), lookups)
    assert notes == [] and back == sel
    assert parse_params({}, lookups) == (Selection(), [])
    # the open-status alias expands to the four open statuses
    assert parse_params({"status": "terbuka"}, lookups)[0].status == ("diterima", "terdisposisi", "diproses", "ditunda")


def test_bad_url_values_are_ignored_with_notes(demo):
    engine, lookups = demo
    hostile = {
        "opd": "1;DROP TABLE complaint--",
        "sla": "breached,' OR 1=1--",
        "dari": "kemarin",
        "sampai": "2026-13-45",
        "hal": "-5; --",
        "urut": "reporter_name",
        "status": "diproses,hapus",
        "q": "x" * 150,
    }
    sel, notes = parse_params(hostile, lookups)
    assert sel.opd == () and sel.sla == ("breached",) and sel.status == ("diproses",)
    assert sel.dari is None and sel.sampai is None and sel.urut == "received_at" and len(sel.q) == 100
    assert sel.hal == 1
    assert {n.split("=")[0].split(":")[0] for n in notes} == {
        "opd",
        "sla",
        "dari",
        "sampai",
        "hal",
        "urut",
        "status",
        "q",
    }
    with engine.connect() as conn:  # the text is a bound LIKE pattern: it finds nothing and harms nothing
        before = conn.execute(select(func.count()).select_from(complaint)).scalar_one()
        f = ComplaintFilter(text="'; DELETE FROM complaint; --")
        assert search.count_complaints(conn, f, NOW, RULES) == 0
        assert conn.execute(select(func.count()).select_from(complaint)).scalar_one() == before == 3000


def moment_with(conn, states, hours: int = 6, days: int = 10) -> tuple[dt.datetime, pd.DataFrame]:
    """The first moment from now (in ``hours`` steps, up to ``days`` ahead) at which some complaint is in one of
    ``states``, and every complaint's full clock then. The generated data ends at the moment it was made, so
    which states exist right now depends on the hour and the weekday (no complaint was at risk on a Monday
    morning, WITA): comparing two empty sets would prove nothing."""
    start = dt.datetime.now(dt.UTC)
    for step in range(days * 24 // hours):
        at = start + dt.timedelta(hours=hours * step)
        everyone = pd.DataFrame(conn.execute(complaint_sla(RULES, at)).mappings().all())
        if everyone["sla_state"].isin(states).any():
            return at, everyone
    raise AssertionError(f"no complaint in {states} within {days} days")


@pytest.mark.parametrize(
    "states",
    [
        ("on_track",),
        ("at_risk",),
        ("breached",),
        ("ditunda",),
        ("met",),
        ("late",),
        ("breached", "at_risk"),
        ("met", "breached"),
    ],
)
def test_sla_state_filter_matches_the_full_clock(demo, states):
    """The explorer's shortcuts (open states from the lean open-complaint query, status push-down) give the
    same complaints as the full SLA clock of every complaint."""
    engine, _ = demo
    with engine.connect() as conn:
        now, everyone = moment_with(conn, states)
        expected = set(everyone.loc[everyone["sla_state"].isin(states), "ticket"])
        f = ComplaintFilter(sla_states=states)
        total, page = search.search_page(conn, f, now, RULES, page_size=5000)
        assert search.count_complaints(conn, f, now, RULES) == total == len(expected)
    assert set(page["ticket"]) == expected and len(expected) > 0
    assert set(page["sla_state"]) == set(states) & set(everyone["sla_state"])


@pytest.mark.parametrize(
    "statuses, states, some",
    [
        (("diproses",), ("breached",), True),  # a running status: the open scan's one status condition
        (("terdisposisi", "diproses", "ditunda"), ("breached", "at_risk"), True),  # "ditunda" cannot run: left out
        (("selesai",), ("breached",), False),  # contradictory: nothing
        (("selesai",), ("met",), True),
    ],
)
def test_status_and_sla_state_filters_together_match_the_full_clock(demo, statuses, states, some):
    """Status and SLA state filters combined give what the full clock gives, and the pages of the newest first
    (sorted by the state rows' own received_at) cover every match once, in the same order as the plain sort."""
    engine, _ = demo
    now = dt.datetime.now(dt.UTC)
    with engine.connect() as conn:
        everyone = pd.DataFrame(conn.execute(complaint_sla(RULES, now)).mappings().all())
        chosen = everyone[everyone["sla_state"].isin(states) & everyone["status"].isin(statuses)]
        f = ComplaintFilter(statuses=statuses, sla_states=states)
        total, whole = search.search_page(conn, f, now, RULES, page_size=5000)
        size = max(5, total // 4 + 1)  # four or five pages
        pages = [
            search.search_page(conn, f, now, RULES, page=p, page_size=size)[1] for p in range(1, total // size + 2)
        ]
        counted = search.count_complaints(conn, f, now, RULES)
    assert total == counted == len(chosen) and (len(chosen) > 0) == some
    assert set(whole["ticket"]) == set(chosen["ticket"])
    newest_first = chosen.sort_values(["received_at", "id"], ascending=False)["ticket"].tolist()
    assert whole["ticket"].tolist() == newest_first == [t for df in pages for t in df["ticket"]]


def test_paging_and_sorting_cover_every_match_once(demo):
    engine, lookups = demo
    now = dt.datetime.now(dt.UTC)
    sel, _ = parse_params({"status": "terbuka", "urut": "opd", "arah": "naik"}, lookups)
    f = sel.to_filter(lookups)
    with engine.connect() as conn:
        total = search.count_complaints(conn, f, now, RULES)
        pages = [
            search.search_page(conn, f, now, RULES, page=p, page_size=40, sort="opd", descending=False)
            for p in range(1, total // 40 + 3)
        ]
    tickets = [tk for _, df in pages for tk in df["ticket"]]
    assert all(n == total for n, _ in pages) and total > 40
    assert len(tickets) == len(set(tickets)) == total
    opds = [o for _, df in pages for o in df["opd"]]
    named = [o for o in opds if isinstance(o, str)]
    assert named == sorted(named) and all(pd.isna(o) for o in opds[len(named) :])  # NULLs last


def test_wall_drill_links_open_the_counted_complaints(demo):
    engine, lookups = demo
    now = dt.datetime.now(dt.UTC)
    with engine.connect() as conn:
        for period in wall_data.SECTOR_PERIODS:
            sectors = breakdown.count_by(
                conn, "sector", start=wall_data.days_ago_midnight(now, wall_data.sector_days_back(period))
            )
            for link, n in zip(wall_data.sector_links(sectors, period, now), sectors["count"], strict=True):
                assert link_count(conn, link, lookups, now) == n
        regions = breakdown.count_by(conn, "region", only_open=True)
        assert regions["count"].sum() > 0
        for link, n in zip(wall_data.region_links(regions), regions["count"], strict=True):
            assert link_count(conn, link, lookups, now) == n
        # the 30-day trend: each point of the received line links to that day's complaints
        today = now.astimezone(WITA).date()
        days = trend.received_vs_completed(
            conn, wall_data.days_ago_midnight(now, 29), wall_data.days_ago_midnight(now, -1), "day"
        )
        fig = charts.trend_lines(days, today - dt.timedelta(days=29), today, "t", ID, links=True)
        received = dict(zip(fig.data[0].x, fig.data[0].y, strict=True))
        assert sum(received.values()) > 0
        for day, link in zip(fig.data[0].x, fig.data[0].customdata, strict=True):
            assert link_count(conn, link, lookups, now) == received[day], link
        # the late-OPD list: the hrefs of the HTML the wall renders
        late = overdue.overdue_by_opd(conn, now, RULES)
        markup = overdue_html(late, ID, limit=50)
        hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', markup)]
        shown = late[(late["breached"] > 0) | (late["at_risk"] > 0)]
        assert len(hrefs) == 3 * len(shown) > 0
        for (_, row), (h_open, h_breached, h_risk) in zip(
            shown.iterrows(), zip(*[iter(hrefs)] * 3, strict=True), strict=True
        ):
            assert link_count(conn, h_breached, lookups, now) == row["breached"]
            assert link_count(conn, h_risk, lookups, now) == row["at_risk"]
            assert link_count(conn, h_open, lookups, now) == row["open"]


def test_summary_drill_links_open_the_counted_complaints(demo):
    engine, lookups = demo
    now = dt.datetime.now(dt.UTC)
    today = now.astimezone(WITA).date()
    checked = 0
    with engine.connect() as conn:
        for choice in ("bulan_ini", "12_bulan"):
            period = summary.resolve(choice, today)
            start, end = period.bounds()
            for dim, param in (
                ("sector", "sektor"),
                ("channel", "kanal"),
                ("classification", "klasifikasi"),
                ("priority", "prioritas"),
                ("region", "wilayah"),
            ):
                df = breakdown.count_by(conn, dim, start=start, end=end)
                for link, n in zip(summary.drill_links(df, param, period), df["count"], strict=True):
                    assert link_count(conn, link, lookups, now) == n, (dim, link)
                    checked += 1
            grain = summary.grain_for(period)
            flow = trend.received_vs_completed(conn, start, end, grain)
            for link, n in zip(summary.trend_links(flow, grain, period), flow["received"], strict=True):
                assert link_count(conn, link, lookups, now) == n, link
                checked += 1
    assert checked > 40


def test_compliance_links_open_the_counted_complaints(demo):
    engine, lookups = demo
    now = dt.datetime.now(dt.UTC)
    today = now.astimezone(WITA).date()
    with engine.connect() as conn:
        for history in (False, True):
            start, end = compliance.resolve_period("tahun_ini", today).bounds()
            rapor = scorecard.opd_scorecard(conn, start, end, now, RULES, rollup=not history)
            assert rapor["open"].sum() > 0
            for _, row in rapor.iterrows():
                code = None if pd.isna(row["opd_code"]) else row["opd_code"]
                for what, params in compliance.explorer_params(code, history).items():
                    assert link_count(conn, explorer_link(**params), lookups, now) == row[what], (code, what)


def test_export_frame_has_the_filtered_rows_and_no_personal_data(demo):
    from core.exports import to_csv_bytes
    from dashboard.explorer.listing import export_frame

    engine, lookups = demo
    now = dt.datetime.now(dt.UTC)
    f = parse_params({"sla": "breached"}, lookups)[0].to_filter(lookups)
    with engine.connect() as conn:
        total, rows = search.search_page(conn, f, now, RULES, page_size=50_000)
        names = {
            r
            for (r,) in conn.execute(
                select(complaint.c.reporter_name).where(complaint.c.reporter_name.is_not(None)).limit(50)
            )
        }
    out = export_frame(rows)
    assert len(out) == total > 0 and set(out["status_tenggat"]) == {"breached"}
    csv = to_csv_bytes(out).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("tiket,diterima_wita,judul")
    assert not any(n in csv for n in names) and names


@pytest.mark.parametrize("rollup", [True, False])
def test_opd_months_match_the_full_clock_for_every_opd(demo, rollup):
    """kepatuhan's month-by-month chart (two passes: the completion stage, then the breached among the open
    complaints) counts what the full SLA clock of every complaint gives, for every OPD, rolled up or not."""
    engine, _ = demo
    with engine.connect() as conn:
        now, everyone = moment_with(conn, ("breached",))
        start = dt.datetime(2025, 11, 1, tzinfo=WITA)
        end = dt.datetime.combine(now.astimezone(WITA).date() + dt.timedelta(days=1), dt.time(), WITA)
        opd_ids = sorted({int(i) for i in everyone["eff_id" if rollup else "opd_id"].dropna()})
        seen = {"dispatched": 0, "completed_on_time": 0, "completed_late": 0, "breached_now": 0}
        for opd_id in opd_ids:
            got = scorecard.opd_monthly(conn, opd_id, start, end, now, RULES, rollup=rollup)
            mine = everyone[(everyone["eff_id" if rollup else "opd_id"] == opd_id) & everyone["dispatched_at"].notna()]
            at = pd.to_datetime(mine["dispatched_at"], utc=True, format="mixed")
            mine = mine[(at >= start) & (at < end)].assign(period=at.dt.tz_convert(WITA).dt.strftime("%Y-%m"))
            expected = {
                "dispatched": mine.groupby("period").size(),
                "completed_on_time": mine[mine["completion_state"] == "met"].groupby("period").size(),
                "completed_late": mine[mine["completion_state"] == "late"].groupby("period").size(),
                "breached_now": mine[mine["sla_state"] == "breached"].groupby("period").size(),
            }
            for col, per_month in expected.items():
                assert dict(zip(got["period"], got[col], strict=True)) == {
                    p: int(per_month.get(p, 0)) for p in got["period"]
                }, (opd_id, col)
                seen[col] += int(per_month.sum())
    assert all(n > 0 for n in seen.values()), seen  # every column counted something
