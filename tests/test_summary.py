"""The leaders' summary logic and its chart builders (pure functions, no browser)."""

import datetime as dt

import pandas as pd

from core.locale import LOCALES
from core.periods import Period
from dashboard import charts
from dashboard.summary import logic as summary

ID = LOCALES["id"]
EN = LOCALES["en"]

D = dt.date


def test_periods_and_what_they_are_compared_with():
    today = D(2026, 11, 22)
    assert summary.resolve("bulan_ini", today) == Period(D(2026, 11, 1), today)
    assert summary.previous("bulan_ini", Period(D(2026, 11, 1), today)) == Period(D(2026, 10, 1), D(2026, 10, 22))
    # 31 March: last month has only 28 days
    assert summary.previous("bulan_ini", Period(D(2026, 3, 1), D(2026, 3, 31))) == Period(D(2026, 2, 1), D(2026, 2, 28))
    assert summary.resolve("12_bulan", today) == Period(D(2025, 12, 1), today)
    assert summary.previous("12_bulan", summary.resolve("12_bulan", today)) == Period(D(2024, 12, 1), D(2025, 11, 22))
    assert summary.previous("tahun_ini", Period(D(2028, 1, 1), D(2028, 2, 29))) == Period(D(2027, 1, 1), D(2027, 2, 28))
    r = summary.resolve("rentang", today, D(2026, 12, 5), D(2026, 11, 1))  # reversed, and past today
    assert r == Period(D(2026, 11, 1), today)
    assert summary.previous("rentang", Period(D(2026, 3, 1), D(2026, 3, 10))) == Period(D(2026, 2, 19), D(2026, 2, 28))
    assert summary.resolve("zzz", today) == Period(D(2026, 11, 1), today)


def test_trend_bars_are_clipped_to_the_period():
    p = Period(D(2026, 11, 1), D(2026, 11, 22))
    assert summary.grain_for(p) == "week" and summary.grain_for(Period(D(2026, 1, 1), D(2026, 11, 22))) == "month"
    assert summary.period_days("2026-10-26", "week", p) == (D(2026, 11, 1), D(2026, 11, 1))
    assert summary.period_days("2026-11-16", "week", p) == (D(2026, 11, 16), D(2026, 11, 22))
    assert summary.period_days("2026-02", "month", Period(D(2026, 1, 15), D(2026, 12, 31))) == (
        D(2026, 2, 1),
        D(2026, 2, 28),
    )
    assert summary.trend_links(pd.DataFrame({"period": ["2026-10-26"]}), "week", p) == [
        "aduan?dari=2026-11-01&sampai=2026-11-01"
    ]
    assert summary.bar_labels(["2026-10-26", "2026-11-02"], "week", p, ID) == ["01-11", "02-11"]


def test_changes_rates_and_year_over_year():
    ch = summary.changes({"received_period": 120, "on_time_share": 0.5}, {"received_period": 100})
    assert ch["received_period"].delta == 20 and ch["received_period"].pct == 20.0
    assert ch["on_time_share"].delta is None
    assert ID.signed(-19.66, 1) == "-19,7" and EN.signed(1.0, 1) == "+1.0"
    regions = pd.DataFrame(
        {
            "key": ["5271", "5272", None],
            "label": ["Kota Mataram", "Kota Bima", None],
            "count": [50, 30, 4],
            "population": [500_000, 150_000, None],
        }
    )
    rates = summary.per_100k(regions)
    assert rates["key"].tolist()[:2] == ["5272", "5271"] and rates["rate"].tolist()[:2] == [20.0, 10.0]
    assert pd.isna(rates["rate"].iloc[2])
    monthly = pd.DataFrame({"period": ["2025-01", "2025-03", "2026-01"], "received": [5, 7, 9]})
    yoy = summary.year_over_year(monthly, 2026)
    assert yoy.loc[0, 2025] == 5 and yoy.loc[0, 2026] == 9 and yoy.loc[2, 2025] == 7 and pd.isna(yoy.loc[2, 2026])
    assert len(yoy) == 12


def test_summary_charts_carry_their_links_and_escape_labels():
    df = pd.DataFrame({"key": ["a", None], "label": ["<b>Sektor</b>", None], "count": [3, 1]})
    links = ["aduan?sektor=a", "aduan?sektor=-"]
    fig = charts.category_bar(df, None, ID, links=links)
    assert list(fig.data[0].customdata) == links[::-1]  # biggest on top: drawn last
    assert "&lt;b&gt;Sektor&lt;/b&gt;" in fig.data[0].y and "(tanpa data)" in fig.data[0].y
    flow = pd.DataFrame(
        {"period": ["2026-11-02"], "label": ["02-11"], "received": [4], "completed": [3], "done_pct": [50.0]}
    )
    f = charts.flow_bars(flow, None, ID, links=["aduan?dari=2026-11-02&sampai=2026-11-08"])
    assert list(f.data[0].x) == ["02-11"] and f.data[0].customdata[0].startswith("aduan?dari=2026-11-02")
    line = charts.on_time_line(pd.DataFrame({"period": ["2026-11"], "on_time_pct": [75.0]}), 80, None, ID)
    assert line.layout.shapes[0].y0 == 80 and line.data[0].text == ("75%",)


def test_count_delta_shows_the_change_and_its_share_in_each_language():
    grown = summary.Change(1786, 1720)  # +66, +3.8 %
    assert (
        summary.count_delta(grown, ID) == "+66 (+4%)"
        and summary.count_delta(summary.Change(2500, 1200), EN) == "+1,300 (+108%)"
    )
    assert summary.count_delta(summary.Change(5, 0), ID) == "+5"  # no share of nothing
    assert summary.count_delta(summary.Change(5, None), ID) is None


def test_short_periods_are_drawn_day_by_day():
    """Under three weeks a week has one to three points: the trend is drawn per day instead."""
    assert summary.grain_for(Period(D(2026, 12, 1), D(2026, 12, 6))) == "day"  # "this month" on the 6th
    assert summary.grain_for(Period(D(2026, 12, 1), D(2026, 12, 20))) == "day"  # 20 days
    assert summary.grain_for(Period(D(2026, 12, 1), D(2026, 12, 21))) == "week"  # three weeks
    assert summary.grain_for(Period(D(2026, 1, 1), D(2026, 4, 2))) == "week"  # 92 days
    assert summary.grain_for(Period(D(2026, 1, 1), D(2026, 4, 3))) == "month"
    p = Period(D(2026, 12, 1), D(2026, 12, 6))
    assert summary.period_days("2026-12-03", "day", p) == (D(2026, 12, 3), D(2026, 12, 3))
    assert summary.trend_links(pd.DataFrame({"period": ["2026-12-03"]}), "day", p) == [
        "aduan?dari=2026-12-03&sampai=2026-12-03"
    ]
    assert summary.bar_labels(["2026-12-03"], "day", p, ID) == ["03-12"]
    flow = pd.DataFrame({"period": ["2026-12-01", "2026-12-04"], "received": [2, 1], "completed": [0, 3]})
    full = summary.every_day(flow, p)
    assert full["period"].tolist() == [f"2026-12-0{d}" for d in range(1, 7)]
    assert full["received"].tolist() == [2, 0, 0, 1, 0, 0] and full["completed"].tolist() == [0, 0, 0, 3, 0, 0]


def test_month_labels_are_whole_names_and_keep_their_room():
    year = Period(D(2025, 12, 1), D(2026, 11, 30))
    assert summary.bar_labels(["2025-12", "2026-01", "2026-05"], "month", year, ID) == [
        "Des 2025",
        "Jan 2026",
        "Mei 2026",
    ]
    assert summary.bar_labels(["2026-05"], "month", year, EN) == ["May 2026"]
    wide = summary.year_over_year(pd.DataFrame({"period": ["2026-01"], "received": [3]}), 2026)
    fig = summary.whole_labels(charts.yoy_lines(wide, 2026, None, ID))
    assert fig.layout.xaxis.automargin is True  # turned labels get the room they need instead of being cut
    assert fig.layout.legend.y > 1 and fig.layout.legend.yanchor == "bottom"  # the legend above, off the labels
    assert list(fig.data[0].x)[:3] == ["Jan", "Feb", "Mar"]


def test_a_change_of_share_is_said_in_percentage_points():
    assert summary.points_delta(summary.Change(0.60, 0.668), ID) == "-6,8 poin persen"
    assert summary.points_delta(summary.Change(0.75, 0.5), EN) == "+25.0 percentage points"
    assert summary.points_delta(summary.Change(0.75, None), ID) is None
