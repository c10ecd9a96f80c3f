"""Static CSS for the wall (no values from the database ever go in here)."""
from __future__ import annotations

import streamlit as st

from dashboard import theme

WALL_CSS = f"""
<style>
/* Compact frame for the wall. A 4K wall should run its browser at device scale factor 2 (see README), which
   shows exactly the 1080p layout at double resolution. Without it, text sized in rem still doubles. */
@media (min-width: 3000px) and (min-height: 1700px) {{ html {{ font-size: 32px !important; }} }}
[data-testid="stMainBlockContainer"] {{ padding: 0.6rem 1.2rem 0.4rem 1.2rem; max-width: 100%; }}
[data-testid="stVerticalBlock"] {{ gap: 0.5rem; }}
[data-testid="stMetric"] {{ padding: 0.35rem 0.8rem; }}
[data-testid="stMetricLabel"] p {{ font-size: 1.05rem; color: {theme.MUTED}; }}
[data-testid="stMetricValue"] {{ font-size: 2.4rem; line-height: 1.15; }}
.w-header {{ display: flex; align-items: baseline; justify-content: space-between; gap: 1rem; }}
.w-brand {{ font-size: 1.9rem; font-weight: 700; }}
.w-age {{ font-size: 1.05rem; color: {theme.MUTED}; }}
.w-now {{ display: flex; align-items: baseline; gap: 0.6rem; }}
.w-date {{ font-size: 1.1rem; color: {theme.MUTED}; }}
.w-big-clock {{ font-size: 2.3rem; font-weight: 700; font-variant-numeric: tabular-nums; }}
.w-tz {{ font-size: 1.1rem; color: {theme.MUTED}; }}
.w-panel-title {{ font-size: 1.3rem; font-weight: 700; margin: 0 0 0.2rem 0; }}
.w-feed, .w-act, .w-late {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
.w-feed td, .w-act td, .w-late td, .w-late th {{ padding: 0.12rem 0.4rem; border-bottom: 1px solid {theme.GRID};
  vertical-align: top; }}
a.w-link, a.w-link:visited {{ color: inherit; text-decoration: none; }}
a.w-link:hover {{ text-decoration: underline; }}
.w-feed .w-time {{ width: 5.2rem; }}
.w-feed .w-opd {{ width: 10rem; text-align: right; font-size: 1.02rem; }}
.w-feed .w-opd div {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.w-clock {{ font-size: 1.2rem; font-weight: 700; font-variant-numeric: tabular-nums; }}
.w-ago, .w-meta, .w-status {{ font-size: 0.92rem; color: {theme.MUTED}; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
.w-title {{ font-size: 1.15rem; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.w-ticket {{ font-variant-numeric: tabular-nums; }}
.w-row.w-new {{ background: rgba(86, 180, 233, 0.16); }}
.w-row.w-urgent .w-clock {{ color: {theme.STATE_COLOUR["breached"]}; }}
.w-badge {{ display: inline-block; font-size: 0.85rem; font-weight: 700; padding: 0 0.35rem; margin-right: 0.35rem;
  border-radius: 0.25rem; vertical-align: middle; }}
.w-badge-new {{ background: {theme.OKABE_ITO[0]}; color: #000; }}
.w-prio-mendesak {{ background: {theme.STATE_COLOUR["breached"]}; color: #000; }}
.w-prio-penting {{ border: 1px solid {theme.STATE_COLOUR["at_risk"]}; color: {theme.STATE_COLOUR["at_risk"]}; }}
.w-act-icon {{ width: 2.2rem; font-size: 1.3rem; }}
.w-act-what {{ font-size: 1.05rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.w-late th {{ font-size: 0.95rem; color: {theme.MUTED}; text-align: left; font-weight: 600; }}
.w-late td {{ font-size: 1.15rem; }}
.w-late th.w-num {{ width: 7.2rem; white-space: nowrap; }}
.w-late .w-late-opd {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.w-num {{ text-align: right !important; font-variant-numeric: tabular-nums; width: 5.6rem; }}
.w-breached {{ color: {theme.STATE_COLOUR["breached"]}; font-weight: 700; }}
.w-atrisk {{ color: {theme.STATE_COLOUR["at_risk"]}; font-weight: 700; }}
.w-icon {{ font-family: "Material Symbols Rounded"; font-weight: normal; font-style: normal; font-size: 1.25em;
  line-height: 1; vertical-align: -0.22em; letter-spacing: normal; text-transform: none; white-space: nowrap;
  font-feature-settings: "liga"; -webkit-font-smoothing: antialiased; }}
/* The outage warning floats over the header instead of pushing the wall below the screen's edge. */
.st-key-stale-warning {{ position: fixed; top: 0.4rem; left: 26rem; right: 20rem; z-index: 1000; }}
.w-empty {{ font-size: 1.1rem; color: {theme.MUTED}; padding: 0.5rem; }}
</style>
"""

KIOSK_CSS = """
<style>
/* Kiosk: no Streamlit chrome at all, nothing to click, the page fills the screen. */
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
footer { display: none !important; }
html, body { overflow: hidden !important; cursor: none; }
</style>
"""


def apply_wall_style(kiosk: bool) -> None:
    """Inject the wall's static CSS (and the kiosk CSS when ``kiosk``)."""
    st.html(WALL_CSS + (KIOSK_CSS if kiosk else ""))
