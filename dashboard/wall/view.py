"""The view of page `monitor`: the 43-inch wall. Layout only: data from dashboard.wall.data, markup from
dashboard.wall.html, the cards' targets from dashboard.wall.targets, the urgent cue from dashboard.wall.urgent,
the screens registry in dashboard.wall.screens, the frame (CSS, scripts) in dashboard.wall.kiosk.

``render`` reads the URL once (``WallOptions``), keeps what outlives a run in one typed object (``WallState``)
and calls one function per panel:

- ``header_panel`` (clock, data age, the alert worker's mark), every NTBCARE_FEED_INTERVAL.
- ``live_panel``, every NTBCARE_CHANGE_CHECK_MS (500 ms): asks the shared change check (one tiny query for all
  walls); on a change, or once per NTBCARE_PANEL_INTERVAL, it takes a new snapshot (``wall_data.Snapshot``: the
  feed, activity and received counts read at the change, the late OPDs and completions from the shared
  panel-interval cache) and rebuilds the cards, the feed, the late OPDs and the OPD activity from it; otherwise
  it sends the same markup again, which the browser leaves alone. Also the urgent banner and the wall's report
  to `layar`.
- ``charts_panel``, every NTBCARE_CHART_INTERVAL (60 s).

Two views share the space below the cards and alternate every NTBCARE_WALL_ROTATE_SECONDS in the browser (no
rerun): the lists (feed, late OPDs) and the charts (four charts, OPD activity); see docs/pages.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import streamlit as st

from core.locale import Locale
from core.textsafe import md_literal
from core.timefmt import now_utc, to_wita
from dashboard import access, charts, components, params
from dashboard.data import SETTINGS, sla_rules
from dashboard.geo import region_shapes
from dashboard.notifications.data import failed_count, worker_mark_html
from dashboard.notifications.data import heartbeat as worker_heartbeat
from dashboard.pagectx import page_context
from dashboard.wall import data as wall_data
from dashboard.wall import screens
from dashboard.wall.html import activity_html, esc, feed_html, header_html, overdue_html, urgent_banner_html
from dashboard.wall.kiosk import (
    CHART_HEIGHT_PX,
    CHART_TEXT_PX,
    CHART_TITLE_PX,
    LATE_ROWS,
    MAP_HEIGHT_PX,
    ROTATE_MAX_S,
    ROTATE_MIN_S,
    TREND_HEIGHT_PX,
    apply_wall_style,
    chime,
    enable_sound,
    request_page_reload,
    rotate_views,
    schedule_nightly_reload,
    screen_scale,
)
from dashboard.wall.targets import Targets, headline_cards
from dashboard.wall.urgent import UrgentQueue, is_quiet, quiet_hours_or_default

CHART_CONFIG = {"displayModeBar": False, "staticPlot": False, "responsive": True}
# A chart with new data gets a new element id; when its fragment's run is coalesced with the live panel's runs,
# Streamlit's browser side can keep the previous chart (hidden, "retained") until a later chart run: seen in
# the soak as 8 or 12 plotly charts instead of 4. A whole-page rerun (no page reload, no blank panel) this often
# drops everything that is not part of the new run.
TIDY_S = 300
VIEWS = {"daftar": "lists", "grafik": "charts"}  # ?tampilan= pins one view
CARD_WEIGHT = {"on_time": 1.3, "median_response": 1.1}  # room for their judgement on one line ("di bawah target 80%")


@dataclass(frozen=True)
class WallOptions:
    """What the URL and the viewer ask of this page run."""

    loc: Locale
    kiosk: bool
    clickable: bool  # counts, tickets and chart marks open the explorer (not on the kiosk: no pointer there)
    screen_name: str
    address: str
    sound: bool
    rotate_s: int
    pinned_view: str | None
    sector_period: str
    scale: int
    url_notes: tuple[str, ...] = ()  # URL values refused (said once in a toast)

    @classmethod
    def from_url(cls) -> WallOptions:
        """Every URL value bounded and checked (dashboard/params.py); a bad one is noted and its default used."""
        ctx, qp = page_context(), st.query_params
        url = params.Reader(qp.to_dict())
        rotate_s = url.integer("rotate", ROTATE_MIN_S, ROTATE_MAX_S, SETTINGS.wall_rotate_s)
        screen_name = screens.valid_name(url.raw("layar"))
        if screen_name is None:  # never rewritten into another wall's name: refused and said
            url.note("layar", url.raw("layar"))
            screen_name = ""
        sound = url.flag("suara")
        sector_period = url.choice("sektor", tuple(wall_data.SECTOR_PERIODS), "7")
        pinned = VIEWS.get(url.choice("tampilan", tuple(VIEWS), ""))
        query = urlencode(qp.to_dict(), quote_via=quote)
        if pinned is None and not ctx.kiosk and not url.has("rotate"):
            pinned = "lists"  # a viewer at a desk picks the view (``view_switch``) instead of chasing it
        return cls(
            loc=ctx.locale,
            kiosk=ctx.kiosk,
            clickable=not ctx.kiosk and access.current_viewer()[0].may_open("aduan"),
            screen_name=screen_name,
            address="/monitor" + (f"?{query}" if query else ""),
            sound=sound,
            rotate_s=rotate_s,
            pinned_view=pinned,
            sector_period=sector_period,
            scale=screen_scale(),
            url_notes=tuple(url.notes),
        )


@dataclass(frozen=True)
class LiveMarkup:
    """The live panel's markup, built once per snapshot and sent unchanged until the next one."""

    cards: list
    feed: str
    late: str
    activity: str


@dataclass
class WallState:
    """What the wall keeps between runs (one object in the session state instead of loose string keys)."""

    session_started: float
    full_run_at: float = 0.0
    snapshot: wall_data.Snapshot | None = None
    markup: LiveMarkup | None = None
    urgent: UrgentQueue = field(default_factory=lambda: UrgentQueue(SETTINGS.urgent_banner_s))
    reload_sent: bool = False
    name_taken_said: bool = False
    # this browser session's id for `layar`, kept in the session state (public API) instead of Streamlit's
    # private script-run context
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @classmethod
    def of_session(cls) -> WallState:
        state = st.session_state.get("wall")
        if not isinstance(state, cls):
            state = st.session_state["wall"] = cls(session_started=time.time())
        return state


def render() -> None:
    """Lay the page out (called by its file in pages/)."""
    opts = WallOptions.from_url()
    state = WallState.of_session()
    state.full_run_at = time.time()
    apply_wall_style(opts.kiosk)
    schedule_nightly_reload(opts.kiosk)
    if not opts.kiosk:
        opts = view_switch(opts)
    rotate_views(opts.rotate_s, opts.pinned_view)
    components.trim_performance_timeline()
    if opts.url_notes:  # a toast: the wall's layout keeps its exact fit
        notes = ", ".join(opts.url_notes)
        st.toast(opts.loc.t("kep.bad_param", detail=md_literal(notes)), icon=":material/link_off:")
    if opts.sound:
        enable_sound()
    with st.container(key="wall-head"):
        header_panel(opts, state)
    live_panel(opts, state)
    charts_panel(opts, state)


def view_switch(opts: WallOptions) -> WallOptions:
    """Off the kiosk: the two views as a choice (kept in the URL as ``?tampilan=``) instead of a rotation."""
    names = {v: k for k, v in VIEWS.items()}
    with st.container(key="wall-view-switch"):
        picked = st.segmented_control(
            opts.loc.t("wall.view_label"),
            list(VIEWS.values()),
            default=opts.pinned_view,
            format_func=lambda v: opts.loc.t(f"wall.view_{v}"),
            label_visibility="collapsed",
            key="wall-view",
        )
    if picked is None:
        return opts
    if st.query_params.get("tampilan") != names[picked]:
        st.query_params["tampilan"] = names[picked]
    return dataclasses.replace(opts, pinned_view=picked)


def panel_title(loc: Locale, key: str, **kw) -> str:
    return f'<div class="w-panel-title">{esc(loc.t(key, **kw))}</div>'


@st.fragment(run_every=SETTINGS.feed_interval_s)
def header_panel(opts: WallOptions, state: WallState) -> None:
    """Title, WITA clock, the age of the data shown and the alert worker's mark."""
    now = now_utc()
    token = wall_data.change_token()  # the live panel's own cache entry: no extra query
    snap = state.snapshot
    data_at = token.fetched_at if token.ok or snap is None else snap.feed.fetched_at
    st.html(header_html(now, data_at, opts.loc) + worker_mark_html(worker_heartbeat(), failed_count(), opts.loc, now))


def snapshot_is_due(state: WallState, version, bucket: int) -> bool:
    """A new snapshot when the data changed, the panel interval passed, or a part of the last one failed."""
    snap = state.snapshot
    return (
        snap is None
        or snap.version != version
        or wall_data.snapshot_bucket(snap.now) != bucket
        or not all(r.ok for r in snap.results)
    )


def live_markup(snap: wall_data.Snapshot, opts: WallOptions) -> LiveMarkup:
    """The cards and the lists of one snapshot (all from the same instant)."""
    loc, local = opts.loc, to_wita(snap.now)
    targets = Targets(SETTINGS.on_time_target_pct, SETTINGS.breached_target, sla_rules().response_days)
    late = snap.late.data if snap.late.has_data else None
    return LiveMarkup(
        cards=headline_cards(wall_data.headline_figures(snap.late, snap.period, snap.received), loc, targets),
        feed=panel_title(loc, "wall.feed_title") + feed_html(snap.feed.data, local, loc, links=opts.clickable),
        late=panel_title(loc, "wall.late_title")
        + (overdue_html(late, loc, limit=LATE_ROWS, links=opts.clickable) if late is not None else ""),
        activity=panel_title(loc, "wall.activity_title") + activity_html(snap.activity.data, local, loc),
    )


@st.fragment(run_every=SETTINGS.change_check_s)
def live_panel(opts: WallOptions, state: WallState) -> None:
    """Every change check: the outage warning, the urgent banner, the cards and the lists (rebuilt only from a
    new snapshot), and the wall's report to the screens page."""
    now = now_utc()
    token = wall_data.change_token()
    version = token.data if token.has_data else None
    bucket = wall_data.snapshot_bucket(now)
    fresh = snapshot_is_due(state, version, bucket)
    if fresh:
        state.snapshot = wall_data.take_snapshot(version, wall_data.snapshot_clock(version, bucket))
        state.markup = live_markup(state.snapshot, opts)
    snap, markup = state.snapshot, state.markup
    # the outage warning follows the data it is about: this panel runs every change check and rebuilds from the
    # snapshot, so the warning goes as soon as a snapshot is whole again (the fragments retry by themselves)
    components.stale_warning([token, *snap.results], opts.loc, retry=False)
    urgent_banner(opts, state, snap.urgent.data if fresh and snap.urgent.has_data else None, now)
    report_screen(opts, state, token, now)
    kpi_cards(markup.cards)
    with st.container(key="wall-view-lists"):
        cols = st.columns([1.25, 1])
        cols[0].html(markup.feed)
        cols[1].html(markup.late)
    with st.container(key="wall-view-activity"):
        st.html(markup.activity)


def urgent_banner(opts: WallOptions, state: WallState, urgent_rows, now: dt.datetime) -> None:
    """The banner that announces a new mendesak complaint. It has a slot of its own in every run, shown or
    not: a container that only some runs add would shift what follows it."""
    item = state.urgent.update(urgent_rows, now)
    slot = st.empty()
    if item is not None:
        with slot.container(key="urgent-banner"):
            st.html(urgent_banner_html(item, opts.loc, state.urgent.waiting(now)))
            if opts.sound and not is_quiet(now, quiet_hours_or_default(SETTINGS.quiet_hours)):
                chime(item.id)


def report_screen(opts: WallOptions, state: WallState, token, now: dt.datetime) -> None:
    """Tell the screens page (`layar`) that this wall is alive; reload the page when an admin asks."""
    ip = st.context.ip_address  # None outside a server (AppTest)
    client = ip if isinstance(ip, str) else ""
    session = state.session_id
    if not opts.kiosk:  # only kiosk walls are listed (page `layar`)
        return
    must_reload = screens.report(
        name=opts.screen_name,
        address=opts.address,
        client=client,
        session=session,
        session_started=state.session_started,
        now=now.timestamp(),
        data_at=token.fetched_at.timestamp() if token.fetched_at else None,
        data_ok=token.ok and state.snapshot is not None and state.snapshot.feed.ok,
    )
    if must_reload.name_taken and not state.name_taken_said:
        state.name_taken_said = True  # said once: the panel runs twice a second
        st.toast(opts.loc.t("scr.name_taken", name=opts.screen_name), icon=":material/tv_off:")
    if must_reload or state.reload_sent:
        state.reload_sent = True
        request_page_reload()


def kpi_cards(cards: list) -> None:
    """The headline figures as bordered metrics; a judged figure carries its judgement in words (the delta)
    and an icon, and its colour (CSS by the container's key)."""
    with st.container(key="wall-kpis"):
        cols = st.columns([CARD_WEIGHT.get(c.key, 1.0) for c in cards])
        for col, card in zip(cols, cards, strict=True):
            with col.container(key=f"kpi-{card.key}-{card.state or 'plain'}"):
                st.metric(
                    card.label,
                    card.value,
                    delta=card.note,
                    delta_color={"met": "green", "missed": "red"}.get(card.state or "", "off"),
                    delta_arrow="off",
                    icon=card.icon,
                    border=True,
                )


@st.fragment(run_every=SETTINGS.chart_interval_s)
def charts_panel(opts: WallOptions, state: WallState) -> None:
    """Every NTBCARE_CHART_INTERVAL (60 s): a chart whose data changed is a new chart to Streamlit's browser
    side (a new element id: the old plot is purged and a new one drawn), so the wall redraws them as seldom as
    their meaning allows; unchanged data sends the same chart, which stays as it is."""
    if time.time() - state.full_run_at > TIDY_S:
        st.rerun(scope="app")
    now = now_utc()
    with st.container(key="wall-view-charts"):
        left, right = st.columns(2)
        sector_chart(opts, now, left.empty())
        channel_chart(opts, now, left.empty())
        region_chart(opts, right.empty())
        trend_chart(opts, now, right.empty())


def legible(fig, opts: WallOptions):
    """A wall chart: every text at least the wall's chart size, then drawn twice as large on a 4K screen at
    browser scale 1 (``?skala=2``)."""
    return charts.enlarged(charts.at_least(fig, CHART_TEXT_PX), opts.scale)


def sector_chart(opts: WallOptions, now: dt.datetime, slot) -> None:
    sec = wall_data.sectors(opts.sector_period, now)
    if not sec.has_data:
        return
    loc = opts.loc
    title = loc.t("wall.sector_title", period=loc.t(f"period.{opts.sector_period}"))
    fig = charts.sector_bar(
        sec.data, title, loc, CHART_HEIGHT_PX, top=7, links=wall_data.sector_links(sec.data, opts.sector_period, now)
    )
    components.drill_chart(legible(titled(fig), opts), "wall-sector", opts.clickable, container=slot)


def channel_chart(opts: WallOptions, now: dt.datetime, slot) -> None:
    ch = wall_data.channels(now)
    if not ch.has_data:
        return
    loc = opts.loc
    fig = charts.share_bar(
        ch.data, loc.t("wall.channel_title"), loc, CHART_HEIGHT_PX, links=wall_data.channel_links(ch.data, now)
    )
    components.drill_chart(legible(titled(fig), opts), "wall-channel", opts.clickable, container=slot)


def region_chart(opts: WallOptions, slot) -> None:
    reg = wall_data.open_by_region()
    if not reg.has_data:
        return
    loc = opts.loc
    fig = charts.region_map(
        reg.data,
        region_shapes(),
        loc.t("wall.region_title"),
        loc,
        MAP_HEIGHT_PX,
        links=wall_data.region_links(reg.data),
        label_size=CHART_TEXT_PX,
    )
    components.drill_chart(legible(titled(fig), opts), "wall-region", opts.clickable, container=slot)


def trend_chart(opts: WallOptions, now: dt.datetime, slot) -> None:
    tr = wall_data.trend_30d(now)
    if not tr.has_data:
        return
    start, end = wall_data.trend_days(now)
    fig = charts.trend_lines(tr.data, start, end, opts.loc.t("wall.trend_title"), opts.loc, TREND_HEIGHT_PX, links=True)
    components.drill_chart(legible(titled(fig), opts), "wall-trend", opts.clickable, container=slot)


def titled(fig):
    """The wall's chart titles: larger than their labels, with room above the plot."""
    fig.update_layout(title_font_size=CHART_TITLE_PX, margin_t=CHART_TITLE_PX + 24)
    return fig
