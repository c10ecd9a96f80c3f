"""The view of page `ringkasan`: the leaders' summary. Layout only: figures from queries via dashboard.data, logic in
dashboard.summary.logic, charts from dashboard.charts. Every bar and region opens the explorer on its complaints.

Columns stack on a phone (Streamlit stacks st.columns below 640 px), charts stretch to the width.
"""

import datetime as dt
from functools import partial

import streamlit as st

from core.timefmt import MISSING, fmt_wita, wita_date, wita_day_bounds
from dashboard import access_ui, charts, components
from dashboard.data import PAGE_WORKERS, SETTINGS, at_once, fetch, sla_rules
from dashboard.geo import region_shapes
from dashboard.pagectx import page_context
from dashboard.summary import logic as summary
from queries import breakdown, headline, overdue, trend

DIMENSIONS = (  # (dimension, explorer parameter, title, bars shown: None = all)
    ("sector", "sektor", "sum.sector_title", 10),
    ("channel", "kanal", "sum.channel_title", None),
    ("classification", "klasifikasi", "sum.class_title", None),
    ("priority", "prioritas", "sum.priority_title", None),
)
PHONE_WIDTH_PX = 640
"""Below this width Streamlit stacks columns: the page is on a phone."""
PHONE_WITHOUT_MAP = (
    f"<style>@media (max-width: {PHONE_WIDTH_PX - 1}px) {{ .st-key-sum-region-map-box {{ display: none; }} }}</style>"
)


def render() -> None:
    """Lay the page out (called by its file in pages/)."""
    ctx = page_context()
    loc = ctx.locale
    access_ui.require("ringkasan", loc)  # who may open it: dashboard/access.py
    st.title(loc.t("sum.title"))

    # --- period (in the URL) -------------------------------------------------------------------------------
    now, rules = ctx.now, sla_rules()  # one clock and one rule set for the whole run
    today = wita_date(now)
    choice, start_q, end_q = components.period_picker(
        st.columns([1, 1, 2]),
        summary.PERIODS,
        summary.DEFAULT_PERIOD,
        loc.t("sum.period"),
        "sum.period",
        "sum-period",
        today,
        loc,
    )
    period = summary.resolve(choice, today, start_q, end_q)
    before = summary.previous(choice, period)
    components.write_period(choice, period)
    start, end = period.bounds()
    grain = summary.grain_for(period)

    # --- every figure of the page, asked at once (the page waits for the slowest, not for the sum) ----------
    year_start, year_end = wita_day_bounds(dt.date(period.end.year - 1, 1, 1), dt.date(period.end.year, 12, 31))
    part = summary.partial_month(today, period.end.year)
    calls = {  # the slowest first (the year's months: a second at ten million complaints)
        "yoy": lambda: fetch(trend.received_vs_completed, start=year_start, end=year_end, grain="month"),
        "now": lambda: fetch(headline.period_counts, now=now, rules=rules, start=start, end=end),
        "before": lambda: fetch(
            headline.period_counts, now=now, rules=rules, start=before.bounds()[0], end=before.bounds()[1]
        ),
        "live": lambda: fetch(overdue.overdue_by_opd, now=now, rules=rules, rollup=True),  # the wall's cache entry
        "flow": lambda: fetch(trend.received_vs_completed, start=start, end=end, grain=grain),
        "done": lambda: fetch(trend.received_and_done, start=start, end=end, grain=grain),
        "region": lambda: fetch(breakdown.count_by, dimension="region", start=start, end=end),
        "ontime": lambda: fetch(headline.on_time_by_period, start=start, end=end, rules=rules, grain=grain),
    }
    for dim, *_ in DIMENSIONS:
        calls[dim] = lambda dim=dim: fetch(breakdown.count_by, dimension=dim, start=start, end=end)
    if part is not None:  # the month in progress against the same dates a year before, not the whole month
        same = summary.same_days_a_year_before(part).bounds()
        calls["prev_part"] = lambda: fetch(trend.received_vs_completed, start=same[0], end=same[1], grain="month")
    got = at_once(calls, workers=PAGE_WORKERS)

    # --- headline figures with the change against the previous period -------------------------------------
    now_fig, before_fig, live = got["now"], got["before"], got["live"]
    open_now = overdue.open_totals(live.data) if live.has_data else None
    components.stale_warning([now_fig, before_fig, live], loc)
    if not now_fig.has_data:
        st.stop()
    st.caption(
        loc.t(
            "sum.scope",
            period=period.label(loc),
            before=before.label(loc),
            now=fmt_wita(now_fig.fetched_at, "%d-%m-%Y %H:%M"),
        )
    )
    ch = summary.changes(now_fig.data, before_fig.data if before_fig.has_data else {})

    count_delta = partial(summary.count_delta, loc=loc)

    share, med = ch["on_time_share"], ch["median_response_wd"]
    items = [
        (loc.t("sum.received"), loc.num(ch["received_period"].value), count_delta(ch["received_period"]), "off"),
        (loc.t("sum.completed"), loc.num(ch["completed"].value), count_delta(ch["completed"]), "normal"),
        (
            loc.t("sum.on_time"),
            loc.pct(share.value),
            summary.points_delta(share, loc),
            "normal",
        ),
        (
            loc.t("sum.median_response"),
            loc.workdays(med.value),
            None if med.delta is None else loc.signed(med.delta, 1),
            "inverse",
        ),
        (loc.t("sum.open_now"), loc.num(open_now["open"]) if open_now else MISSING, None, "off"),
        (loc.t("sum.breached_now"), loc.num(open_now["breached"]) if open_now else MISSING, None, "off"),
    ]
    for col, (name, value, delta, colour) in zip(st.columns(3) + st.columns(3), items, strict=True):
        col.metric(name, value, delta, delta_color=colour, border=True)
    st.page_link(
        "pages/complaint.py",
        label=loc.t("sum.open_list"),
        icon=":material/list:",
        query_params={"dari": period.start.isoformat(), "sampai": period.end.isoformat()},
    )
    st.caption(loc.t("exp.drill_hint"))

    # --- trends ----------------------------------------------------------------------------------------------
    flow, done, yoy = got["flow"], got["done"], got["yoy"]
    c1, c2 = st.columns(2)
    if flow.has_data and done.has_data:
        tf = summary.trend_frame(flow.data, done.data)
        if grain == "day":
            tf = summary.every_day(tf, period)
        tf["label"] = summary.bar_labels(tf["period"], grain, period, loc)
        c1.subheader(loc.t("sum.trend_title", grain=loc.t(f"sum.grain.{grain}")))
        components.drill_chart(
            summary.whole_labels(charts.flow_bars(tf, None, loc, links=summary.trend_links(tf, grain, period))),
            "sum-flow",
            container=c1,
        )
    prev_part = got.get("prev_part")
    if yoy.has_data:
        y = period.end.year
        prev_n = int(prev_part.data["received"].sum()) if prev_part is not None and prev_part.has_data else None
        c2.subheader(loc.t("sum.yoy_title", year=y, prev=y - 1))
        wide = summary.year_over_year(yoy.data, y, part if prev_n is not None else None, prev_n)
        c2.plotly_chart(
            summary.whole_labels(charts.yoy_lines(wide, y, None, loc)), config=components.CHART_CONFIG, key="sum-yoy"
        )
        if "partial" in wide.columns and wide["partial"].any():  # a caption wraps on a phone; a chart note would not
            c2.caption(loc.t("chart.yoy_partial"))

    # --- by category ---------------------------------------------------------------------------------------
    label_prefix = {"classification": "class", "priority": "priority"}
    grid = st.columns(2) + st.columns(2)
    for n, (col, (dim, param, title, top)) in enumerate(zip(grid, DIMENSIONS, strict=True)):
        res = got[dim]
        if not res.has_data:
            continue
        df = res.data
        if dim in label_prefix:  # codes stored in the complaint: show their catalogue labels
            df = df.assign(label=df["key"].map(lambda k, prefix=label_prefix[dim]: loc.label(prefix, k)))
        shown = df.head(top) if top else df
        col.subheader(loc.t(title))
        components.drill_chart(
            charts.category_bar(
                shown,
                None,
                loc,
                height=320,
                links=summary.drill_links(shown, param, period),
                colour=charts.theme.OKABE_ITO[n],
            ),
            f"sum-{dim}",
            container=col,
        )

    # --- by region: per 100,000 inhabitants -----------------------------------------------------------------
    reg = got["region"]
    if reg.has_data:
        rates = summary.per_100k(reg.data)
        links = summary.drill_links(rates, "wilayah", period)
        r1, r2 = st.columns(2)
        st.html(PHONE_WITHOUT_MAP)  # a phone gets the ranked bars only: the map's ten labels would crowd it
        r1 = r1.container(key="sum-region-map-box")
        r1.subheader(loc.t("sum.region_map_title"))
        r2.subheader(loc.t("sum.region_bar_title"))
        components.drill_chart(
            charts.region_map(
                rates,
                region_shapes(),
                None,
                loc,
                height=380,
                value="rate",
                links=links,
                label_size=12,
                text_format=lambda v: loc.num(v, 1),
            ),
            "sum-region-map",
            container=r1,
        )
        components.drill_chart(
            charts.category_bar(
                rates,
                None,
                loc,
                height=380,
                value="rate",
                links=links,
                colour=charts.theme.OKABE_ITO[1],
                text_format=lambda v: loc.num(v, 1),
            ),
            "sum-region-bar",
            container=r2,
        )

    # --- completed on time against the target ----------------------------------------------------------------
    ontime = got["ontime"]
    if ontime.has_data:
        st.subheader(loc.t("sum.on_time_title", grain=loc.t(f"sum.grain.{grain}")))
        ot = ontime.data.assign(label=summary.bar_labels(ontime.data["period"], grain, period, loc))
        st.plotly_chart(
            summary.whole_labels(charts.on_time_line(ot, SETTINGS.on_time_target_pct, None, loc)),
            config=components.CHART_CONFIG,
            key="sum-ontime",
        )
