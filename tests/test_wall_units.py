"""The wall's pure pieces: HTML builders (escaping, badges), chart builders, headline sums."""

import datetime as dt
import json

import pandas as pd
import pytest

from core.codes import WITA
from core.locale import LOCALES
from dashboard import charts
from dashboard.data import Fetched
from dashboard.geo import region_shapes
from dashboard.wall import data as wall_data
from dashboard.wall.html import activity_html, esc, feed_html, overdue_html

ID = LOCALES["id"]
EN = LOCALES["en"]

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=WITA)
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "**bold**",
    "<script>alert('x')</script>",
    "a & b \"quoted\" 'single'",
    '=HYPERLINK("http://x")',
    "😀 ᬅᬓ᭄ᬱᬭ 中文",
]


def feed_frame(titles, minutes_ago=(1, 30, 300), **extra):
    rows = []
    for i, title in enumerate(titles):
        rows.append(
            {
                "id": i,
                "ticket": f"NTB-2026-{i:06d}",
                "title": title,
                "received_at": pd.Timestamp(NOW - dt.timedelta(minutes=minutes_ago[i % len(minutes_ago)])).tz_convert(
                    "UTC"
                ),
                "channel": "Aplikasi NTB Care",
                "sector": "Lingkungan",
                "region": "Kota Mataram",
                "opd": "DLHK",
                "classification": "pengaduan",
                "priority": "biasa",
                "status": "terdisposisi",
                **extra,
            }
        )
    return pd.DataFrame(rows)


def test_hostile_titles_are_escaped_never_markup():
    out = feed_html(feed_frame(HOSTILE), NOW, ID)
    assert "<img" not in out and "<script" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in out
    assert "**bold**" in out and "<b>bold</b>" not in out and "<strong>" not in out
    assert "a &amp; b &quot;quoted&quot; &#x27;single&#x27;" in out
    assert "😀 ᬅᬓ᭄ᬱᬭ 中文" in out


def test_new_and_urgent_items_stand_out():
    df = feed_frame(["baru", "lama"], minutes_ago=(1, 300))
    df.loc[0, "priority"] = "mendesak"
    out = feed_html(df, NOW, ID)
    first, second = out.split('data-ticket="NTB-2026-000000"')[1], out.split('data-ticket="NTB-2026-000001"')[1]
    assert out.count('class="w-row w-new w-urgent"') == 1 and "BARU" in first.split("</tr>")[0]
    assert "Mendesak" in first.split("</tr>")[0] and "BARU" not in second.split("</tr>")[0]
    assert feed_html(df, NOW, EN).count("NEW") == 1


def test_missing_values_do_not_crash_and_show_placeholders():
    df = feed_frame(["tanpa data"], sector=None, region=None, opd=None, channel=None)
    df["opd"] = pd.array([pd.NA], dtype="string")
    out = feed_html(df, NOW, ID)
    assert "Belum ke OPD" in out and "–" not in out  # missing values in words: a dash means nothing to a visitor
    assert "sektor belum diketahui · kabupaten/kota belum diketahui · kanal belum diketahui" in out
    assert "regency/city not known" in feed_html(df, NOW, EN)
    assert "Belum ada" in feed_html(df.iloc[0:0], NOW, ID)


def test_activity_and_overdue_tables():
    ev = pd.DataFrame(
        [
            {
                "id": 1,
                "occurred_at": pd.Timestamp("2026-11-22T01:00Z"),
                "kind": "ditanggapi",
                "ticket": "NTB-1",
                "title": "<b>x</b>",
                "opd": "<i>Dinsos</i>",
            }
        ]
    )
    out = activity_html(ev, NOW, ID)
    assert "Ditanggapi oleh" in out and "&lt;i&gt;Dinsos&lt;/i&gt;" in out and "<i>" not in out
    od = pd.DataFrame(
        [
            {
                "opd_id": 1,
                "opd_code": "N02",
                "opd": "PUPR-PKP",
                "open": 5,
                "breached": 3,
                "at_risk": 1,
                "oldest_breached_wd": 40,
            },
            {
                "opd_id": None,
                "opd_code": None,
                "opd": None,
                "open": 2,
                "breached": 1,
                "at_risk": 0,
                "oldest_breached_wd": 4,
            },
            {
                "opd_id": 2,
                "opd_code": "D02",
                "opd": "Dinkes",
                "open": 4,
                "breached": 0,
                "at_risk": 0,
                "oldest_breached_wd": None,
            },
        ]
    )
    html_out = overdue_html(od, ID)
    assert html_out.index("PUPR-PKP") < html_out.index("Belum ke OPD")
    assert "Dinkes" not in html_out  # nothing late: not listed
    assert "40 hari kerja" in html_out and " hk" not in html_out  # no abbreviation a visitor must know
    assert "Terlambat" in html_out and "Hampir jatuh tempo" in html_out
    assert "Tidak ada aduan terlambat" in overdue_html(od.iloc[2:], ID)


@pytest.mark.parametrize("value,expected", [(None, "–"), (float("nan"), "–"), (pd.NA, "–"), (3, "3"), ("<", "&lt;")])
def test_esc(value, expected):
    assert esc(value) == expected


def test_headline_figures_sum_the_per_opd_table():
    late = Fetched(pd.DataFrame({"open": [4, 1, 3], "breached": [1, 1, 0], "at_risk": [1, 0, 2]}), NOW)
    period = Fetched(
        {
            "received_today": 2,
            "received_period": 40,
            "completed": 10,
            "completed_on_time": 7,
            "on_time_share": 0.7,
            "median_response_wd": 2.0,
        },
        NOW,
    )
    h = wall_data.headline_figures(late, period)
    assert (h["open"], h["breached"], h["at_risk"], h["received_today"]) == (8, 2, 3, 2)
    # the received counts of the change's instant are newer than the period's: they win
    now_in = Fetched({"received_today": 3, "received_period": 41}, NOW)
    h = wall_data.headline_figures(late, period, now_in)
    assert (h["received_today"], h["received_period"], h["completed"]) == (3, 41, 10)
    assert wall_data.headline_figures(Fetched(None, None, "x"), Fetched(None, None, "x"), now_in) == now_in.data
    assert wall_data.headline_figures(Fetched(None, None, "x"), Fetched(None, None, "x")) is None


def test_chart_builders_carry_the_data():
    sectors = pd.DataFrame(
        {"key": ["a", "b", None], "label": ["Infrastruktur", "<b>Sosial</b>", None], "count": [9, 4, 1]}
    )
    fig = charts.sector_bar(sectors, "Sektor", ID)
    assert list(fig.data[0].x) == [1, 4, 9] and list(fig.data[0].y) == [
        "(tanpa data)",
        "&lt;b&gt;Sosial&lt;/b&gt;",
        "Infrastruktur",
    ]
    donut = charts.channel_donut(sectors.rename(columns={}), "Kanal", ID)
    assert list(donut.data[0].values) == [9, 4, 1]
    # 9/14, 4/14, 1/14 with the Indonesian decimal comma (plotly's own percentages would say 64.3%)
    assert list(donut.data[0].text) == ["64,3%", "28,6%", "7,1%"] and donut.data[0].textinfo == "text"
    assert list(charts.channel_donut(sectors, "Channel", EN).data[0].text) == ["64.3%", "28.6%", "7.1%"]
    regions = pd.DataFrame(
        {
            "key": ["5271", "5204"],
            "label": ["Kota Mataram", "Kab. Sumbawa"],
            "count": [7, 2],
            "population": [461936, 527715],
            "lat": [-8.58, -8.50],
            "lon": [116.10, 117.43],
        }
    )
    m = charts.region_map(regions, region_shapes(), "Peta", ID)
    shapes, dots = m.data[:10], m.data[-1]
    assert all(s.fill == "toself" for s in shapes) and list(dots.customdata)[:2] == ["5271", "5204"]
    assert dots.text[1] == "Sumbawa<br><b><span style='font-size:18px'>2</span></b>"
    assert dots.text[0].startswith("Kota<br>Mataram<br>")
    assert m.layout.xaxis.visible is False and "mapbox" not in m.layout and "geo" not in m.to_dict()["layout"]
    tr = pd.DataFrame({"period": ["2026-11-20", "2026-11-22"], "received": [3, 5], "completed": [1, 0]})
    t = charts.trend_lines(tr, dt.date(2026, 11, 20), dt.date(2026, 11, 22), "Tren", ID)
    assert list(t.data[0].y) == [3, 0, 5] and list(t.data[1].y) == [1, 0, 0]
    month = charts.trend_lines(tr, dt.date(2026, 11, 3), dt.date(2026, 12, 2), "Tren", ID)
    assert list(month.layout.xaxis.tickvals) == [
        "2026-11-03",
        "2026-11-08",
        "2026-11-13",
        "2026-11-18",
        "2026-11-23",
        "2026-11-28",
    ]
    assert list(month.layout.xaxis.ticktext) == ["3 Nov", "8 Nov", "13 Nov", "18 Nov", "23 Nov", "28 Nov"]
    dec = charts.trend_lines(tr, dt.date(2026, 12, 1), dt.date(2026, 12, 30), "Trend", EN)
    assert list(dec.layout.xaxis.ticktext)[:2] == ["1 Dec", "6 Dec"]
    assert list(charts.trend_lines(tr, dt.date(2026, 12, 1), dt.date(2026, 12, 30), "Tren", ID).layout.xaxis.ticktext)[
        :2
    ] == ["1 Des", "6 Des"]


def test_enlarged_charts_grow_every_pixel_size_and_keep_their_data():
    """A 3840x2160 wall at browser scale 1 gets its charts twice as large (the page's CSS doubles the text)."""
    sectors = pd.DataFrame({"key": ["a", "b"], "label": ["Infrastruktur", "Sosial"], "count": [9, 4]})
    regions = pd.DataFrame(
        {
            "key": ["5271", "5204"],
            "label": ["Kota Mataram", "Kab. Sumbawa"],
            "count": [7, 2],
            "population": [461936, 527715],
            "lat": [-8.58, -8.50],
            "lon": [116.10, 117.43],
        }
    )
    bar = charts.sector_bar(sectors, "Sektor", ID, 320)
    big = charts.enlarged(bar, 2)
    assert big.layout.height == 640 and big.layout.title.font.size == 40 and big.layout.font.size == 32
    assert (big.layout.margin.l, big.layout.margin.t) == (16, 80)
    assert big.data[0].textfont.size == 32 and big.layout.yaxis.tickfont.size == 30
    # the arrays the browser gets are the same (plotly encodes numbers as typed arrays, decoded by plotly.js)
    sent = lambda f: json.loads(f.to_json())["data"]
    assert [sent(big)[0][k] for k in ("x", "y", "text", "customdata")] == [
        sent(bar)[0][k] for k in ("x", "y", "text", "customdata")
    ]
    m = charts.region_map(regions, region_shapes(), "Peta", ID, 320, label_size=15)
    bm = charts.enlarged(m, 2)
    dots, big_dots = m.data[-1], bm.data[-1]
    assert big_dots.text[1] == "Sumbawa<br><b><span style='font-size:38px'>2</span></b>"  # 19 px in the span
    assert (big_dots.textfont.size, big_dots.marker.size, big_dots.marker.line.width) == (30, 24, 4)
    assert bm.data[0].line.width == 2 * m.data[0].line.width
    assert [t["x"] for t in sent(bm)] == [t["x"] for t in sent(m)]
    assert list(big_dots.customdata) == list(dots.customdata) == ["5271", "5204"] + [None] * 8
    assert bm.layout.yaxis.scaleanchor == "x" and list(bm.layout.xaxis.range) == list(m.layout.xaxis.range)
    assert charts.enlarged(bar, 1) is bar


def test_empty_charts_say_so():
    empty = pd.DataFrame({"key": [], "label": [], "count": []})
    for fig in (
        charts.sector_bar(empty, "S", ID),
        charts.channel_donut(empty, "K", ID),
        charts.trend_lines(
            pd.DataFrame({"period": [], "received": [], "completed": []}),
            dt.date(2026, 11, 1),
            dt.date(2026, 11, 3),
            "T",
            ID,
        ),
    ):
        assert [a.text for a in fig.layout.annotations] == ["Belum ada data untuk periode ini"]


def test_wall_lists_link_to_the_explorer_only_when_asked():
    import pandas as pd

    from dashboard.wall.html import feed_html, overdue_html

    late = pd.DataFrame(
        {
            "opd_id": [3],
            "opd_code": ["D03"],
            "opd": ["PUPR"],
            "open": [5],
            "breached": [2],
            "at_risk": [1],
            "oldest_breached_wd": [4],
        }
    )
    linked = overdue_html(late, ID)
    assert 'href="aduan?opd=D03&amp;sla=breached"' in linked and 'href="aduan?opd=D03&amp;status=terbuka"' in linked
    plain = overdue_html(late, ID, links=False)
    assert "<a " not in plain and ">2<" in plain and "PUPR" in plain
    feed = pd.DataFrame(
        {
            "ticket": ["NTB-1<x>"],
            "title": ["t"],
            "received_at": [pd.Timestamp.now(tz="UTC")],
            "priority": ["biasa"],
            "status": ["diterima"],
            "sector": [None],
            "region": [None],
            "channel": [None],
            "opd": [None],
        }
    )
    now = pd.Timestamp.now(tz="Asia/Makassar").to_pydatetime()
    assert 'href="aduan?tiket=NTB-1%3Cx%3E"' in feed_html(feed, now, ID)
    assert "<a " not in feed_html(feed, now, ID, links=False) and "NTB-1&lt;x&gt;" in feed_html(
        feed, now, ID, links=False
    )


def late_frame(breached: list[int], at_risk: list[int]) -> pd.DataFrame:
    """A per-OPD table as ``overdue_by_opd`` returns it (most breached first), OPDs O00, O01, ..."""
    return pd.DataFrame(
        {
            "opd_id": range(len(breached)),
            "opd_code": [f"O{i:02d}" for i in range(len(breached))],
            "opd": [f"OPD {i:02d}" for i in range(len(breached))],
            "open": [b + a + 1 for b, a in zip(breached, at_risk, strict=True)],
            "breached": breached,
            "at_risk": at_risk,
            "oldest_breached_wd": [10 * b if b else None for b in breached],
        }
    )


def table_cells(markup: str, row_class: str) -> list[str]:
    """The texts of the cells of the table row with ``row_class``."""
    import re

    row = re.search(rf'<tr class="{row_class}">(.*?)</tr>', markup).group(1)
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]


def test_the_late_table_says_how_many_opds_it_leaves_out_and_totals_match_the_cards():
    breached, at_risk = [9, 7, 5, 4, 3, 2, 1, 1, 0, 0], [0, 2, 0, 1, 0, 0, 3, 0, 2, 0]
    df = late_frame(breached, at_risk)
    out = overdue_html(df, ID, limit=4)
    assert out.count('<td class="w-late-opd">') == 4 and "OPD 04" not in out
    listed = df[(df["breached"] > 0) | (df["at_risk"] > 0)]  # OPD 09 has nothing late: never counted as left out
    hidden = listed.iloc[4:]
    assert len(hidden) == 5
    more = table_cells(out, "w-late-more")[0]
    assert more == f"+ 5 OPD lain: {hidden['breached'].sum()} terlambat, {hidden['at_risk'].sum()} hampir jatuh tempo"
    total = table_cells(out, "w-late-total")
    cards = wall_data.headline_figures(Fetched(df, NOW), Fetched(None, None, "x"))
    assert total[:3] == ["Semua OPD", str(cards["breached"]), str(cards["at_risk"])] == ["Semua OPD", "32", "8"]
    # every row shown plus the line below add up to the card
    shown = listed.iloc[:4]
    assert int(shown["breached"].sum()) + int(hidden["breached"].sum()) == cards["breached"]
    # all rows fit: no "+ N lain" line, still the totals
    whole = overdue_html(df, EN, limit=20)
    assert "w-late-more" not in whole and table_cells(whole, "w-late-total")[:3] == ["All OPDs", "32", "8"]
    assert "+ 1 more OPD: 0 overdue, 2 at risk" in overdue_html(df, EN, limit=8)


@pytest.mark.parametrize(
    "head,states",
    [
        # breached above its target of 0, on-time share below 80 %, median response above 5 working days
        ({"breached": 3, "on_time_share": 0.61, "median_response_wd": 6.0}, ("missed", "missed", "missed")),
        ({"breached": 0, "on_time_share": 0.80, "median_response_wd": 5.0}, ("met", "met", "met")),
        ({}, (None, None, None)),  # nothing read yet: no judgement, the target still in words
    ],
)
def test_the_cards_are_judged_against_their_targets_in_words_and_icons(head, states):
    from dashboard.wall.targets import Targets, headline_cards

    cards = {c.key: c for c in headline_cards(head, ID, Targets(on_time_pct=80, breached=0, response_wd=5))}
    judged = (cards["breached"], cards["on_time"], cards["median_response"])
    assert tuple(c.state for c in judged) == states
    for card in judged:
        assert card.note  # always words, never colour alone
        assert (card.icon is None) == (card.state is None)
    words = {"met": "sesuai target", "missed": "target", None: "target"}
    assert all(words[c.state] in c.note for c in judged)
    if states[0] == "missed":
        assert cards["breached"].note == "di atas target 0" and cards["breached"].icon == ":material/block:"
        assert cards["on_time"].note == "di bawah target 80%" and cards["on_time"].value == "61%"
        assert cards["median_response"].value == "6" and cards["median_response"].note == "di atas target 5"
    if states[0] == "met":
        assert cards["on_time"].icon == ":material/check_circle:"
    assert [c.state for c in cards.values() if c.key not in ("breached", "on_time", "median_response")] == [None] * 4


def test_wall_charts_raise_every_text_to_the_minimum_and_keep_larger_ones():
    df = pd.DataFrame({"key": ["A", "B", None], "label": ["WhatsApp", "Web", None], "count": [30, 9, 1]})
    fig = charts.at_least(charts.share_bar(df, "Kanal", ID, 400), 22)
    spec = fig.to_dict()
    assert spec["layout"]["font"]["size"] >= 22 and spec["layout"]["title"]["font"]["size"] == 22
    assert spec["layout"]["yaxis"]["tickfont"]["size"] == 22 and spec["data"][0]["textfont"]["size"] == 22
    assert spec["layout"]["uniformtext"] == {"minsize": 22, "mode": "show"}
    assert list(spec["data"][0]["text"]) == ["2,5%", "22,5%", "75%"]  # shares, smallest at the bottom
    big = charts.at_least(
        charts.region_map(pd.DataFrame(columns=["key", "label", "count"]), region_shapes(), "x", ID, label_size=14), 22
    )
    labels = [t for d in big.to_dict()["data"] if d.get("mode") == "markers+text" for t in d["text"]]
    assert labels and all("font-size:22px" in t for t in labels)  # the figures' 18 px raised, never lowered


def test_the_snapshot_queries_run_at_the_same_time_and_a_bug_is_not_swallowed():
    """``take_snapshot`` runs its queries at once (a new complaint waits for the slowest, not for the sum):
    every call waits at a barrier that only opens when all of them are running."""
    import threading

    import pytest

    from dashboard.data import at_once

    names = ("feed", "activity", "urgent", "late", "period")
    barrier = threading.Barrier(len(names), timeout=10)

    def call(name):
        barrier.wait()  # raises BrokenBarrierError after 10 s if the calls ran one after the other
        return name

    assert at_once({n: (lambda n=n: call(n)) for n in names}) == {n: n for n in names}

    def broken():
        raise ZeroDivisionError("a bug in a query builder")

    with pytest.raises(ZeroDivisionError):
        at_once({"feed": lambda: "ok", "late": broken})


def test_combined_results_are_as_old_as_the_oldest_part_and_carry_its_failure():
    """kepatuhan reads the rapor's two halves apart and joins them with ``combined``: the figures appear only
    when both halves have data, and a stale half (last good data, database down) still warns."""
    import datetime as dt

    from dashboard.data import Fetched, combined

    t1, t2 = dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC), dt.datetime(2026, 12, 7, 1, 5, tzinfo=dt.UTC)
    fresh, older = Fetched(2, t2), Fetched(3, t1)
    both = combined(lambda a, b: a * 10 + b, fresh, older)
    assert (both.data, both.fetched_at, both.ok) == (23, t1, True)
    stale = Fetched(3, t1, "OperationalError", cause="down")  # the last good half, served during an outage
    warned = combined(lambda a, b: a * 10 + b, fresh, stale)
    assert (warned.data, warned.fetched_at, warned.error, warned.cause) == (23, t1, "OperationalError", "down")
    missing = combined(lambda a, b: a * 10 + b, fresh, Fetched(None, None, "TimeoutError", cause="timeout"))
    assert (missing.has_data, missing.error, missing.cause) == (False, "TimeoutError", "timeout")
