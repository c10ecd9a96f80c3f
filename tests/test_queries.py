"""Every query on the hand-built dataset (tests/dataset.py), with exact answers, on PostgreSQL and SQLite."""

import datetime as dt

import pandas as pd
import pytest

from core.sla import ReferenceClock
from queries import breakdown, complaint, feed, headline, overdue, scorecard, search, trend
from queries.search import ComplaintFilter
from tests.dataset import NOW, wita

D = dt.date
MARCH = (wita(2026, 3, 1, 0), wita(2026, 4, 1, 0))


@pytest.fixture
def conn(small_db):
    with small_db.connect() as c:
        yield c


def records(df, cols):
    return [tuple(None if pd.isna(v) else v for v in row) for row in df[cols].itertuples(index=False)]


def test_new_complaints_feed_is_newest_first_and_has_no_personal_data(conn):
    df = feed.new_complaints(conn, limit=3)
    assert df["ticket"].tolist() == ["T13", "T12", "T02"]
    assert not {"reporter_name", "reporter_contact", "body"} & set(df.columns)
    t12 = df.set_index("ticket").loc["T12"]
    assert pd.isna(t12["sector"]) and pd.isna(t12["region"]) and pd.isna(t12["opd"])
    assert df.set_index("ticket").loc["T02", "title"] == "<img src=x onerror=alert(1)>"


def test_recent_events_show_opd_actions_newest_first(conn):
    df = feed.recent_events(conn, limit=10)
    assert records(df, ["ticket", "kind", "opd"]) == [
        ("T05", "diselesaikan", "ESDM"),
        ("T05", "ditanggapi", "ESDM"),
        ("T05", "dialihkan", "ESDM"),
        ("T05", "didisposisikan", "DLHK"),
    ]


def test_headline_counts(conn, rules):
    row = headline.headline_counts(conn, NOW, rules).iloc[0].to_dict()
    assert row == {
        "received_today": 1,
        "received_period": 7,
        "open": 8,
        "breached": 2,
        "at_risk": 1,
        "completed": 3,
        "completed_on_time": 2,
        "on_time_share": pytest.approx(2 / 3),
        "median_response_wd": 2.0,
    }


def test_overdue_by_opd_rolls_merged_units_up(conn, rules):
    age_t06 = ReferenceClock().elapsed(D(2025, 12, 29), D(2026, 3, 30))
    df = overdue.overdue_by_opd(conn, NOW, rules)
    assert records(df, ["opd", "open", "breached", "at_risk", "oldest_breached_wd"]) == [
        (None, 4, 1, 1, 4),  # not dispatched yet: T01 breached (4 working days old), T02 at risk
        ("PUPR-PKP", 1, 1, 0, age_t06),  # T06 was dispatched to PUPR, merged into PUPR-PKP in 2026
        ("Dinkes", 1, 0, 0, None),
        ("Dishub", 1, 0, 0, None),
        ("Inspektorat", 1, 0, 0, None),
    ]
    hist = overdue.overdue_by_opd(conn, NOW, rules, rollup=False)
    assert hist.iloc[1]["opd"] == "PUPR" and "PUPR-PKP" not in set(hist["opd"].dropna())
    assert len(overdue.overdue_by_opd(conn, NOW, rules, limit=2)) == 2


def test_count_by_sector_channel_region_classification(conn):
    sec = breakdown.count_by(conn, "sector", *MARCH)
    assert records(sec, ["key", "count"]) == [
        ("infrastruktur", 1),
        ("lingkungan", 1),
        ("pariwisata", 1),
        ("pertambangan", 1),
        ("sosial", 1),
        ("transportasi", 1),
        (None, 1),
    ]
    ch = breakdown.count_by(conn, "channel", *MARCH)
    assert records(ch, ["key", "count"])[0] == ("aplikasi", 3)
    reg = breakdown.count_by(conn, "region", only_open=True)
    assert records(reg, ["key", "count", "population"])[:2] == [("5201", 2, 762757), ("5202", 1, 1128716)]
    cls = breakdown.count_by(conn, "classification", *MARCH)
    assert dict(records(cls, ["key", "count"])) == {"pengaduan": 5, "aspirasi": 1, "lainnya": 1}
    with pytest.raises(ValueError):
        breakdown.count_by(conn, "reporter_name")


def test_trend_by_day_week_and_month(conn):
    day = trend.received_vs_completed(conn, wita(2026, 3, 25, 0), wita(2026, 3, 31, 0), "day")
    assert records(day, ["period", "received", "completed"]) == [
        ("2026-03-25", 1, 0),
        ("2026-03-26", 1, 0),
        ("2026-03-27", 0, 1),
        ("2026-03-30", 1, 0),
    ]
    week = trend.received_vs_completed(conn, *MARCH, grain="week")
    assert records(week, ["period", "received", "completed"]) == [
        ("2026-03-02", 1, 0),
        ("2026-03-09", 1, 1),
        ("2026-03-16", 2, 1),
        ("2026-03-23", 2, 1),
        ("2026-03-30", 1, 0),
    ]
    month = trend.received_vs_completed(conn, wita(2026, 1, 1, 0), wita(2026, 5, 1, 0), "month")
    assert records(month, ["period", "received", "completed"]) == [
        ("2026-02", 3, 0),
        ("2026-03", 7, 3),
        ("2026-04", 1, 0),
    ]


def test_opd_scorecard_for_march(conn, rules):
    df = scorecard.opd_scorecard(conn, *MARCH, NOW, rules).set_index("opd", drop=False)
    cols = [
        "dispatched",
        "responded",
        "responded_on_time",
        "completed",
        "completed_on_time",
        "open",
        "breached",
        "at_risk",
    ]
    got = {
        k: tuple(int(v) for v in df.loc[k, cols])
        for k in ["ESDM", "DPMPTSP", "Dispar", "Dishub", "Dinkes", "PUPR-PKP", "Inspektorat"]
    }
    assert got == {
        "ESDM": (1, 1, 0, 1, 1, 0, 0, 0),  # re-dispatched from DLHK: counts for the OPD that holds it
        "DPMPTSP": (1, 1, 1, 1, 0, 0, 0, 0),
        "Dispar": (1, 1, 1, 1, 1, 0, 0, 0),
        "Dishub": (1, 0, 0, 0, 0, 1, 0, 0),
        "Dinkes": (1, 0, 0, 0, 0, 1, 0, 0),
        "PUPR-PKP": (0, 0, 0, 0, 0, 1, 1, 0),
        "Inspektorat": (0, 0, 0, 0, 0, 1, 0, 0),
    }
    assert "DLHK" not in df.index
    assert df.loc["ESDM", "median_response_wd"] == 7.0 and df.loc["DPMPTSP", "median_response_wd"] == 2.0
    assert df.loc["DPMPTSP", "response_on_time_pct"] == 100.0 and df.loc["DPMPTSP", "completion_on_time_pct"] == 0.0
    # worst first (most breached now); the complaints without an OPD counted apart, last (fair rules, issue 21)
    assert df.iloc[0]["opd"] == "PUPR-PKP" and pd.isna(df.iloc[-1]["opd"]) and df["opd"].iloc[:-1].notna().all()


def test_complaint_detail_and_timeline(conn, rules):
    d = complaint.complaint_detail(conn, "T05", NOW, rules).iloc[0]
    assert (d["dispatch_state"], d["response_state"], d["completion_state"], d["sla_state"]) == (
        "met",
        "late",
        "met",
        "late",
    )
    assert (d["response_deadline"], int(d["response_late_by"])) == (D(2026, 3, 10), 2)
    assert d["completion_deadline"] == D(2026, 3, 30)  # 14 working days after 3 Mar, across the holidays
    assert "reporter_name" not in d.index
    personal = complaint.complaint_detail(conn, "T05", NOW, rules, include_personal=True).iloc[0]
    assert personal["reporter_name"] == "Baiq Rahasia"
    tl = complaint.complaint_timeline(conn, int(d["id"]))
    assert records(tl, ["kind", "opd"]) == [
        ("didisposisikan", "DLHK"),
        ("dialihkan", "ESDM"),
        ("ditanggapi", "ESDM"),
        ("diselesaikan", "ESDM"),
    ]
    t01 = complaint.complaint_detail(conn, "T01", NOW, rules).iloc[0]
    assert (t01["dispatch_state"], t01["dispatch_deadline"], int(t01["dispatch_late_by"])) == (
        "breached",
        D(2026, 3, 27),
        1,
    )
    assert complaint.complaint_detail(conn, "NOPE'; DROP TABLE complaint; --", NOW, rules).empty


def test_search_filters_pages_and_counts(conn, rules):
    f = ComplaintFilter(start=MARCH[0], end=MARCH[1])
    assert search.count_complaints(conn, f, NOW, rules) == 7
    page1 = search.search_complaints(conn, f, NOW, rules, page=1, page_size=3)
    page3 = search.search_complaints(conn, f, NOW, rules, page=3, page_size=3)
    assert page1["ticket"].tolist() == ["T12", "T02", "T09"] and page3["ticket"].tolist() == ["T05"]
    breached = ComplaintFilter(sla_states=("breached",))
    assert sorted(search.search_complaints(conn, breached, NOW, rules)["ticket"]) == ["T01", "T06"]
    assert search.count_complaints(conn, ComplaintFilter(text="JALAN"), NOW, rules) == 1
    assert search.count_complaints(conn, ComplaintFilter(text="100%_'"), NOW, rules) == 0
    succ_id = int(overdue.overdue_by_opd(conn, NOW, rules).set_index("opd").loc["PUPR-PKP", "opd_id"])
    assert search.search_complaints(conn, ComplaintFilter(opd_ids=(succ_id,)), NOW, rules)["ticket"].tolist() == ["T06"]
    combo = ComplaintFilter(sectors=("pungli",), regions=("5272",), classifications=("pengaduan_pengawasan",))
    assert search.search_complaints(conn, combo, NOW, rules)["ticket"].tolist() == ["T11"]
    by_ticket = search.search_complaints(conn, ComplaintFilter(), NOW, rules, sort="ticket", descending=False)
    assert by_ticket["ticket"].tolist()[:3] == ["T01", "T02", "T03"]
    with pytest.raises(ValueError):
        search.search_complaints(conn, f, NOW, rules, sort="reporter_name")
