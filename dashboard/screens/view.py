"""The view of page `layar` (admins): the walls this server serves, whether each is alive, and a remote reload.

The list comes from the in-memory registry every wall reports to (dashboard.wall.screens); it refreshes
itself every few seconds. "Muat ulang" asks one wall (or all) to reload: the wall sees it at its next change
check (within a second) and reloads the page once the server answers, as the nightly reload does.
Addresses and names come from URLs typed on the walls: they are shown in a dataframe and as button labels,
never as markdown or HTML.
"""

import datetime as dt
import time

import pandas as pd
import streamlit as st

from dashboard import access_ui, components
from dashboard.data import SETTINGS
from dashboard.pagectx import page_context
from dashboard.wall import screens

STATE_MARK = {"live": "●", "stale": "▲", "stopped": "■"}  # shape as well as words (fonts without emoji)
REFRESH_S = 2


def stale_data_s() -> float:
    """Data older than this on a refreshing wall counts as stale (three feed intervals, at least 10 s)."""
    return max(10.0, 3 * SETTINGS.feed_interval_s)


def table(rows: list[screens.Screen], now: float, loc) -> pd.DataFrame:
    """One row per wall: name, address, device, last refresh (WITA and how long ago), data age, state."""

    def at(ts):
        return dt.datetime.fromtimestamp(ts, dt.UTC) if ts else None

    now_dt = at(now)
    out = []
    for s in rows:
        state = screens.state(s, now, SETTINGS.change_check_s, stale_data_s())
        out.append(
            {
                loc.t("scr.col_name"): s.name or loc.t("scr.unnamed"),
                loc.t("scr.col_state"): f"{STATE_MARK[state]} {loc.t(f'scr.state.{state}')}",
                loc.t("scr.col_refresh"): f"{loc.datetime(at(s.last_refresh), '%H:%M:%S')} "
                f"({loc.ago(at(s.last_refresh), now_dt)})",
                loc.t("scr.col_data_age"): loc.ago(at(s.data_at), now_dt) if s.data_at else "–",
                loc.t("scr.col_address"): s.address,
                loc.t("scr.col_client"): s.client or "localhost",
            }
        )
    return pd.DataFrame(out)


def render() -> None:
    """Lay the page out (called by its file in pages/)."""
    ctx = page_context()
    loc = ctx.locale
    access_ui.require("layar", loc)
    st.title(loc.t("scr.title"))
    st.caption(loc.t("scr.intro"))
    components.trim_performance_timeline()  # the list reruns every 2 s for as long as an admin leaves it open

    @st.fragment(run_every=REFRESH_S)
    def listing():
        now = time.time()
        rows = screens.screens(now)  # pruned here, never on a wall's refresh
        if not rows:
            st.info(loc.t("scr.none"), icon=":material/tv_off:")
            return
        with st.container(key="screens-list"):
            st.dataframe(table(rows, now, loc), hide_index=True, width="stretch")
        if st.button(loc.t("scr.reload_all"), key="reload-all", icon=":material/refresh:", type="primary"):
            screens.request_reload(None, time.time())
            st.session_state["scr-asked"] = loc.t("scr.all")
        cols = st.columns(4)
        for i, s in enumerate(rows):
            label = loc.t("scr.reload_one", name=s.name or loc.t("scr.unnamed") + f" {s.key[-8:]}")
            if cols[i % 4].button(label, key=f"reload-{s.key}", icon=":material/refresh:"):
                screens.request_reload(s.key, time.time())
                st.session_state["scr-asked"] = s.name or s.key
        if st.session_state.get("scr-asked"):
            st.success(loc.t("scr.reload_asked", name=st.session_state["scr-asked"]), icon=":material/check:")

    listing()
