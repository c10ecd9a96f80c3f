"""The view of page `monitor`: the 43-inch wall. Layout only: data from dashboard.wall.data, markup from dashboard.wall.html.

Panels refresh in place with st.fragment(run_every=...) over cached queries: the live feeds every
NTBCARE_FEED_INTERVAL seconds, the other panels every NTBCARE_PANEL_INTERVAL seconds. `?kiosk=1` hides all
chrome; `?rotate=N` alternates between the live view and the compliance view every N seconds.
"""
import time

import streamlit as st

from dashboard import access, charts, components

from dashboard.wall import data as wall_data
from dashboard.data import SETTINGS
from dashboard.geo import kecamatan_points
from dashboard.wall.kiosk import apply_wall_style, schedule_nightly_reload
from dashboard.pagectx import page_context
from core.timefmt import now_utc, to_wita
from dashboard.wall.html import activity_html, esc, feed_html, header_html, overdue_html
from dashboard.notifications.data import heartbeat as worker_heartbeat, worker_mark_html


def render() -> None:
    """Lay the page out (called by its file in pages/)."""
    ctx = page_context()
    loc = ctx.locale
    apply_wall_style(ctx.kiosk)
    schedule_nightly_reload(ctx.kiosk)
    CHART_CONFIG = {"displayModeBar": False, "staticPlot": False, "responsive": True}

    rotate_s = 0
    try:
        rotate_s = max(0, int(st.query_params.get("rotate", "0")))
    except ValueError:
        rotate_s = 0
    view = 0
    if rotate_s >= 10:
        from streamlit_autorefresh import st_autorefresh

        st_autorefresh(interval=rotate_s * 1000, key="wall-rotate")
        view = int(time.time() // rotate_s) % 2
    # Counts, tickets and chart marks open the explorer, for viewers who may open it; the kiosk has no pointer.
    clickable = not ctx.kiosk and access.current_viewer()[0].may_open("aduan")
    sector_period = st.query_params.get("sektor", "7")
    sector_period = sector_period if sector_period in wall_data.SECTOR_PERIODS else "7"


    def panel_title(key: str, **kw) -> None:
        st.html(f'<div class="w-panel-title">{esc(loc.t(key, **kw))}</div>')


    @st.fragment(run_every=SETTINGS.feed_interval_s)
    def header_panel():
        probe = wall_data.new_complaints()  # the feed's own cache entry: no extra query
        panels = st.session_state.get("wall-panel-results", [])
        st.html(header_html(now_utc(), probe.fetched_at, loc) + worker_mark_html(worker_heartbeat(), loc))
        components.stale_warning([probe, *panels], loc, retry=False)  # the fragments retry by themselves


    @st.fragment(run_every=SETTINGS.panel_interval_s)
    def kpi_panel():
        late, period = wall_data.late_opds(), wall_data.period_figures()
        st.session_state["wall-panel-results"] = [late, period]
        components.kpi_row(wall_data.headline_figures(late, period), loc)


    @st.fragment(run_every=SETTINGS.feed_interval_s)
    def feed_panel():
        panel_title("wall.feed_title")
        res = wall_data.new_complaints()
        st.html(feed_html(res.data, to_wita(now_utc()), loc, links=clickable))


    @st.fragment(run_every=SETTINGS.feed_interval_s)
    def activity_panel():
        panel_title("wall.activity_title")
        res = wall_data.opd_activity()
        st.html(activity_html(res.data, to_wita(now_utc()), loc))


    @st.fragment(run_every=SETTINGS.panel_interval_s)
    def late_panel(limit: int):
        panel_title("wall.late_title")
        res = wall_data.late_opds()
        if res.has_data:
            st.html(overdue_html(res.data, loc, limit=limit, links=clickable))


    @st.fragment(run_every=SETTINGS.panel_interval_s)
    def charts_panel(height: int):
        sec, ch, reg, tr = (wall_data.sectors(sector_period), wall_data.channels(), wall_data.open_by_region(),
                            wall_data.trend_30d())
        cols = st.columns([1.05, 1, 1.15, 1.2])
        if sec.has_data:
            title = loc.t("wall.sector_title", period=loc.t(f"period.{sector_period}"))
            components.drill_chart(charts.sector_bar(sec.data, title, loc, height,
                                                     links=wall_data.sector_links(sec.data, sector_period)),
                                   "wall-sector", clickable, container=cols[0])
        if ch.has_data:
            cols[1].plotly_chart(charts.channel_donut(ch.data, loc.t("wall.channel_title"), loc, height),
                                 config=CHART_CONFIG, key="wall-channel")
        if reg.has_data:
            components.drill_chart(charts.region_map(reg.data, kecamatan_points(), loc.t("wall.region_title"), loc,
                                                     height, links=wall_data.region_links(reg.data)),
                                   "wall-region", clickable, container=cols[2])
        if tr.has_data:
            today = to_wita(now_utc()).date()
            start = today.fromordinal(today.toordinal() - 29)
            components.drill_chart(charts.trend_lines(tr.data, start, today, loc.t("wall.trend_title"), loc, height,
                                                      links=True), "wall-trend", clickable, container=cols[3])

    header_panel()
    kpi_panel()
    if view == 0:
        main = st.columns([2.1, 1.25, 1.05])
        with main[0]:
            feed_panel()
        with main[1]:
            late_panel(limit=9)
        with main[2]:
            activity_panel()
        charts_panel(height=320)
    else:
        main = st.columns([1.3, 1])
        with main[0]:
            late_panel(limit=16)
        with main[1]:
            feed_panel()
