"""The view of page `layar` (admins): the walls this server serves, whether each is alive, and a remote reload.

The list comes from the in-memory registry every wall reports to (dashboard.wall.screens); it refreshes
itself every few seconds. "Muat ulang" asks one wall (or all) to reload: the wall sees it at its next change
check (within a second) and reloads the page once the server answers, as the nightly reload does.
A wall that stopped refreshing is said in words, in red, above the list and in its row.
Addresses and names come from URLs typed on the walls: they are shown in a dataframe, and escaped
(``md_literal``) in messages and button labels, never as raw markdown or HTML.
"""

import datetime as dt
import ipaddress
import time

import pandas as pd
import streamlit as st

from core.textsafe import md_literal
from core.timefmt import MISSING
from dashboard import access_ui, components
from dashboard.data import SETTINGS
from dashboard.pagectx import page_context
from dashboard.wall import screens

STATE_MARK = {"live": "●", "stale": "▲", "stopped": "■"}  # shape as well as words (fonts without emoji)
STATE_STYLE = {  # the state cell: colour with the words, never colour alone
    "live": "",
    "stale": "background-color: #5c3d00; color: #ffffff; font-weight: 600",
    "stopped": "background-color: #b42318; color: #ffffff; font-weight: 700",
}
REFRESH_S = 2


def stale_data_s() -> float:
    """Data older than this on a refreshing wall counts as stale (three feed intervals, at least 10 s)."""
    return max(10.0, 3 * SETTINGS.feed_interval_s)


def plain_ip(client: str) -> str:
    """The device's address as people write it: an IPv4 address seen through an IPv6 socket
    (``::ffff:127.0.0.1``) is shown as ``127.0.0.1``; "" (the server itself) is ``localhost``."""
    if not client:
        return "localhost"
    try:
        ip = ipaddress.ip_address(client)
    except ValueError:
        return client
    mapped = getattr(ip, "ipv4_mapped", None)
    return str(mapped or ip)


def _at(ts: float | None) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(ts, dt.UTC) if ts else None


def screen_name(s: screens.Screen, loc) -> str:
    return s.name or f"{loc.t('scr.unnamed')} {s.key[-8:]}"


def states(rows: list[screens.Screen], now: float) -> list[str]:
    return [screens.state(s, now, SETTINGS.change_check_s, stale_data_s()) for s in rows]


def table(rows: list[screens.Screen], now: float, loc) -> pd.DataFrame:
    """One row per wall: name, state in words, last refresh (WITA and how long ago), data age, device, address."""
    now_dt = _at(now)
    out = []
    for s, state in zip(rows, states(rows, now), strict=True):
        out.append(
            {
                loc.t("scr.col_name"): screen_name(s, loc),
                loc.t("scr.col_state"): f"{STATE_MARK[state]} {loc.t(f'scr.state.{state}')}",
                loc.t("scr.col_refresh"): f"{loc.datetime(_at(s.last_refresh), '%H:%M:%S')} "
                f"({loc.ago(_at(s.last_refresh), now_dt)})",
                loc.t("scr.col_data_age"): loc.ago(_at(s.data_at), now_dt) if s.data_at else MISSING,
                loc.t("scr.col_client"): plain_ip(s.client),
                loc.t("scr.col_address"): s.address,
            }
        )
    return pd.DataFrame(out)


def styled(df: pd.DataFrame, row_states: list[str], loc):
    """The table with each state cell coloured by its state (red for a stopped wall)."""
    column = loc.t("scr.col_state")
    by_row = dict(enumerate(row_states))
    return df.style.apply(lambda col: [STATE_STYLE[by_row[i]] for i in range(len(col))], subset=[column])


def stopped_message(rows: list[screens.Screen], row_states: list[str], now: float, loc) -> str | None:
    """The red notice above the list: which walls stopped refreshing and since when; None when none did."""
    stopped = [s for s, state in zip(rows, row_states, strict=True) if state == "stopped"]
    if not stopped:
        return None
    now_dt = _at(now)
    walls = "; ".join(
        f"{md_literal(screen_name(s, loc))} ({loc.t('scr.since', ago=loc.ago(_at(s.last_refresh), now_dt))})"
        for s in stopped
    )
    return loc.tn("scr.stopped_notice", len(stopped), walls=walls)


def render() -> None:
    """Lay the page out (called by its file in pages/)."""
    ctx = page_context()
    loc = ctx.locale
    access_ui.require("layar", loc)
    st.title(loc.t("scr.title"))
    st.write(loc.t("scr.intro"))
    st.caption(loc.t("scr.naming"))  # the technical detail, secondary and smaller
    components.trim_performance_timeline()  # the list reruns every 2 s for as long as an admin leaves it open

    @st.fragment(run_every=REFRESH_S)
    def listing():
        now = time.time()
        rows = screens.screens(now)  # pruned here, never on a wall's refresh
        if not rows:
            st.info(loc.t("scr.none"), icon=":material/tv_off:")
            return
        row_states = states(rows, now)
        notice = stopped_message(rows, row_states, now, loc)
        if notice:
            st.error(notice, icon=":material/tv_off:")
        with st.container(key="screens-list"):
            st.dataframe(styled(table(rows, now, loc), row_states, loc), hide_index=True, width="stretch")
        with st.container(horizontal=True, key="screens-buttons", gap="small"):
            if st.button(loc.t("scr.reload_all"), key="reload-all", icon=":material/refresh:", type="primary"):
                screens.request_reload(None, time.time())
                st.session_state["scr-asked"] = loc.t("scr.all")
            for s in rows:  # labels whole: each button as wide as its words, wrapping to a new line if need be
                label = loc.t("scr.reload_one", name=md_literal(screen_name(s, loc)))
                if st.button(label, key=f"reload-{s.key}", icon=":material/refresh:", width="content"):
                    screens.request_reload(s.key, time.time())
                    st.session_state["scr-asked"] = screen_name(s, loc)
        if st.session_state.get("scr-asked"):
            asked = md_literal(st.session_state["scr-asked"])
            st.success(loc.t("scr.reload_asked", name=asked), icon=":material/check:")

    listing()
