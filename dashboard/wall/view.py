"""The view of page `monitor`: the 43-inch wall. Layout only: data from dashboard.wall.data, markup from
dashboard.wall.html, the urgent cue from dashboard.wall.urgent, the screens registry in dashboard.wall.screens.

- The live panel (header, urgent banner, KPI row, feed, late OPDs, OPD activity) is one fragment that runs every
  NTBCARE_CHANGE_CHECK_MS (500 ms). Each run asks the shared change check (newest complaint and event id, one
  tiny query for all walls); it fetches and rebuilds the feed only when that changed or once per
  NTBCARE_FEED_INTERVAL (ages), and the KPI row and late OPDs once per NTBCARE_PANEL_INTERVAL. Between changes
  it sends the same markup again, which the browser leaves alone (no DOM work).
- The charts are a fragment of their own, every NTBCARE_CHART_INTERVAL seconds (60).
- `?kiosk=1` hides all chrome; `?rotate=N` alternates between the live view and the compliance view every N
  seconds; `?layar=NAME` names the screen (page `layar`); `?suara=1` sounds the chime for urgent complaints.
"""

import time
from urllib.parse import quote, urlencode

import streamlit as st

from core.textsafe import md_literal
from core.timefmt import now_utc, to_wita
from dashboard import access, charts, components, params
from dashboard.data import SETTINGS
from dashboard.geo import region_shapes
from dashboard.notifications.data import heartbeat as worker_heartbeat
from dashboard.notifications.data import worker_mark_html
from dashboard.pagectx import page_context
from dashboard.wall import data as wall_data
from dashboard.wall import screens
from dashboard.wall.html import activity_html, esc, feed_html, header_html, overdue_html, urgent_banner_html
from dashboard.wall.kiosk import (
    ROTATE_MAX_S,
    ROTATE_MIN_S,
    apply_wall_style,
    chime,
    enable_sound,
    request_page_reload,
    schedule_nightly_reload,
    screen_scale,
)
from dashboard.wall.urgent import UrgentQueue, is_quiet, quiet_hours_or_default

CHART_CONFIG = {"displayModeBar": False, "staticPlot": False, "responsive": True}
# A chart with new data gets a new element id; when its fragment's run is coalesced with the live panel's runs,
# Streamlit's browser side can keep the previous chart (hidden, "retained") until a later chart run: seen in
# the soak as 8 or 12 plotly charts instead of 4. A whole-page rerun (no page reload, no blank panel) this often
# drops everything that is not part of the new run.
TIDY_S = 300


def _address() -> str:
    """The page and query this wall shows (for the screens page)."""
    query = urlencode(st.query_params.to_dict(), quote_via=quote)
    return "/monitor" + (f"?{query}" if query else "")


def render() -> None:
    """Lay the page out (called by its file in pages/)."""
    ctx = page_context()
    loc = ctx.locale
    apply_wall_style(ctx.kiosk)
    schedule_nightly_reload(ctx.kiosk)
    components.trim_performance_timeline()
    url = params.Reader(st.query_params.to_dict())  # every URL value bounded and checked (dashboard/params.py)
    screen_name = screens.valid_name(url.raw("layar"))
    if screen_name is None:
        url.note("layar", url.raw("layar"))
        screen_name = ""
    sound = url.flag("suara")
    if sound:
        enable_sound()
    quiet = quiet_hours_or_default(SETTINGS.quiet_hours)

    rotate_s = url.integer("rotate", ROTATE_MIN_S, ROTATE_MAX_S, 0)
    view = 0
    if rotate_s:
        from streamlit_autorefresh import st_autorefresh

        st_autorefresh(interval=rotate_s * 1000, key="wall-rotate")
        view = int(time.time() // rotate_s) % 2
    # Counts, tickets and chart marks open the explorer, for viewers who may open it; the kiosk has no pointer.
    clickable = not ctx.kiosk and access.current_viewer()[0].may_open("aduan")
    sector_period = url.choice("sektor", tuple(wall_data.SECTOR_PERIODS), "7")
    if url.notes:  # a toast: the wall's layout keeps its exact fit
        st.toast(loc.t("kep.bad_param", detail=md_literal(", ".join(url.notes))), icon=":material/link_off:")

    state = st.session_state
    state.setdefault("wall-session-started", time.time())
    state["wall-full-run-at"] = time.time()
    address = _address()
    try:
        ip = st.context.ip_address
        client = ip if isinstance(ip, str) else ""
        session = st.runtime.scriptrunner.get_script_run_ctx().session_id
    except Exception:  # noqa: BLE001 - outside a server (AppTest): no address
        client, session = "", "local"

    def panel_title(key: str, **kw) -> str:
        return f'<div class="w-panel-title">{esc(loc.t(key, **kw))}</div>'

    @st.fragment(run_every=SETTINGS.feed_interval_s)
    def header_panel():
        probe = wall_data.change_token()  # the live panel's own cache entry: no extra query
        memo = state.get("wall-live", {})
        results = [
            probe,
            *state.get("wall-panel-results", []),
            *(memo[k] for k in ("feed_res", "act_res", "late_res") if k in memo),
        ]
        st.html(header_html(now_utc(), probe.fetched_at, loc) + worker_mark_html(worker_heartbeat(), loc))
        components.stale_warning(results, loc, retry=False)  # the fragments retry by themselves

    @st.fragment(run_every=SETTINGS.panel_interval_s)
    def kpi_panel():
        late, period = wall_data.late_opds(), wall_data.period_figures()
        state["wall-panel-results"] = [late, period]
        components.kpi_row(wall_data.headline_figures(late, period), loc)

    @st.fragment(run_every=SETTINGS.change_check_s)
    def live_panel():
        """Every change check: ask whether anything changed (one shared query); fetch and rebuild the lists
        only then (or every NTBCARE_PANEL_INTERVAL: ages, late OPDs); otherwise send the same markup again."""
        wall_now = time.time()
        now = now_utc()
        token = wall_data.change_token()
        version = token.data if token.has_data else None
        memo = state.setdefault("wall-live", {})
        bucket = int(wall_now // SETTINGS.panel_interval_s)
        urgent_rows = None
        stale = [k for k in ("feed_res", "act_res", "late_res") if k in memo and not memo[k].ok]  # retry at once
        if (
            memo.get("version") != version
            or memo.get("bucket") != bucket
            or not token.ok
            or "feed" not in memo
            or "feed_res" in stale
            or "act_res" in stale
        ):
            feed, act, urgent = (
                wall_data.new_complaints(version),
                wall_data.opd_activity(version),
                wall_data.recent_urgent(version),
            )
            local = to_wita(now)
            memo.update(
                version=version,
                feed_res=feed,
                act_res=act,
                feed=panel_title("wall.feed_title") + feed_html(feed.data, local, loc, links=clickable),
                act=panel_title("wall.activity_title") + activity_html(act.data, local, loc),
                data_at=token.fetched_at if token.ok else feed.fetched_at,
            )
            urgent_rows = urgent.data if urgent.has_data else None
        if memo.get("bucket") != bucket or "late_res" in stale:
            late = wall_data.late_opds()
            memo.update(
                bucket=bucket,
                late_res=late,
                late={
                    n: panel_title("wall.late_title")
                    + (overdue_html(late.data, loc, limit=n, links=clickable) if late.has_data else "")
                    for n in (9, 16)
                },
            )

        queue = state.setdefault("wall-urgent", UrgentQueue(SETTINGS.urgent_banner_s))
        item = queue.update(urgent_rows, now)
        # The banner has a slot of its own in every run, shown or not: a container that only some runs add
        # would shift the lists after it, and the browser could for a moment draw a list inside the banner.
        banner_slot = st.empty()
        if item is not None:
            with banner_slot.container(key="urgent-banner"):
                st.html(urgent_banner_html(item, loc, queue.waiting(now)))
                if sound and not is_quiet(now, quiet):
                    chime(item.id)

        must_reload = ctx.kiosk and screens.report(  # only kiosk walls are listed (page `layar`)
            name=screen_name,
            address=address,
            client=client,
            session=session,
            session_started=state["wall-session-started"],
            now=wall_now,
            data_at=token.fetched_at.timestamp() if token.fetched_at else None,
            data_ok=token.ok and memo["feed_res"].ok,
        )
        if must_reload is not False and must_reload.name_taken and not state.get("wall-name-taken"):
            state["wall-name-taken"] = True  # said once: the panel runs twice a second
            st.toast(loc.t("scr.name_taken", name=screen_name), icon=":material/tv_off:")
        if must_reload or state.get("wall-reload-sent"):
            state["wall-reload-sent"] = True
            request_page_reload()

        if view == 0:
            main = st.columns([2.1, 1.25, 1.05])
            main[0].html(memo["feed"])
            main[1].html(memo["late"][9])
            main[2].html(memo["act"])
        else:
            main = st.columns([1.3, 1])
            main[0].html(memo["late"][16])
            main[1].html(memo["feed"])

    scale = screen_scale()

    def grow(fig):
        return charts.enlarged(fig, scale)

    @st.fragment(run_every=SETTINGS.chart_interval_s)
    def charts_panel(height: int):
        """Every NTBCARE_CHART_INTERVAL (60 s): a chart whose data changed is a new chart to Streamlit's
        browser side (a new element id: the old plot is purged and a new one drawn), so the wall redraws
        them as seldom as their meaning allows; unchanged data sends the same chart, which stays as it is."""
        if time.time() - state.get("wall-full-run-at", 0) > TIDY_S:
            st.rerun(scope="app")
        sec, ch, reg, tr = (
            wall_data.sectors(sector_period),
            wall_data.channels(),
            wall_data.open_by_region(),
            wall_data.trend_30d(),
        )
        # each chart in a placeholder of its own: a chart with new data replaces the placeholder's only child
        cols = [c.empty() for c in st.columns([1.05, 1, 1.15, 1.2])]
        if sec.has_data:
            title = loc.t("wall.sector_title", period=loc.t(f"period.{sector_period}"))
            components.drill_chart(
                grow(
                    charts.sector_bar(
                        sec.data, title, loc, height, links=wall_data.sector_links(sec.data, sector_period)
                    )
                ),
                "wall-sector",
                clickable,
                container=cols[0],
            )
        if ch.has_data:
            cols[1].plotly_chart(
                grow(charts.channel_donut(ch.data, loc.t("wall.channel_title"), loc, height)),
                config=CHART_CONFIG,
                key="wall-channel",
            )
        if reg.has_data:
            components.drill_chart(
                grow(
                    charts.region_map(
                        reg.data,
                        region_shapes(),
                        loc.t("wall.region_title"),
                        loc,
                        height,
                        links=wall_data.region_links(reg.data),
                        label_size=15,
                    )
                ),
                "wall-region",
                clickable,
                container=cols[2],
            )
        if tr.has_data:
            today = to_wita(now_utc()).date()
            start = today.fromordinal(today.toordinal() - 29)
            components.drill_chart(
                grow(charts.trend_lines(tr.data, start, today, loc.t("wall.trend_title"), loc, height, links=True)),
                "wall-trend",
                clickable,
                container=cols[3],
            )

    header_panel()
    kpi_panel()
    live_panel()
    if view == 0:
        charts_panel(height=320)  # at 1920x1080; grow() doubles it on a large screen
