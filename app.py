"""NTB Care Monitor entrypoint: sets the frame, works out who is looking, and routes with st.navigation.

- Every page has its own URL path (monitor, kepatuhan, ...). The bare address "/" is a hidden default
  page that forwards to `monitor` with the query parameters kept, so `/monitor?kiosk=1` is a real page
  and never a "page not found".
- Page files are named differently from their URL paths (pages/wall.py is served at /monitor) on purpose:
  before the first st.navigation call of a server's life, Streamlit's automatic pages/ discovery would
  otherwise serve /monitor straight from pages/monitor.py, skipping this entrypoint.
- Access (dashboard/access.py decides): only the pages the viewer's role may open are registered with
  their scripts. Every other URL path gets a hidden stand-in that says "Silakan masuk" (or that the role
  may not open it), so a URL typed by hand never runs a page the viewer may not see. The kiosk
  (`?kiosk=1`) shows no login and no sidebar.
"""

from pathlib import Path

import streamlit as st

from dashboard import access, access_ui
from dashboard.pagectx import page_context

ROOT = Path(__file__).resolve().parent
# URL path -> (title key, icon). Which script serves it and who may open it: access.PAGES.
NAV = {
    "monitor": ("nav.monitor", ":material/monitor:"),
    "kepatuhan": ("nav.kepatuhan", ":material/fact_check:"),
    "ringkasan": ("nav.ringkasan", ":material/insights:"),
    "aduan": ("nav.aduan", ":material/search:"),
    "kualitas-data": ("nav.kualitas_data", ":material/rule:"),
    "notifikasi": ("nav.notifikasi", ":material/notifications:"),
    "layar": ("nav.layar", ":material/tv:"),
}

# A local favicon: a ":material/..." page icon makes the browser fetch it from fonts.gstatic.com (no internet here).
st.set_page_config(
    page_title="NTB Care Monitor", page_icon=str(ROOT / "dashboard" / "assets" / "favicon.png"), layout="wide"
)
ctx = page_context()
viewer, access_error = access.current_viewer()

pages = {}
for spec in access.PAGES:
    if not (ROOT / spec.file).exists():  # a page still being built elsewhere
        continue
    title_key, icon = NAV[spec.url_path]
    if viewer.may_open(spec.url_path):
        pages[spec.url_path] = st.Page(spec.file, title=ctx.locale.t(title_key), icon=icon, url_path=spec.url_path)
    else:
        pages[spec.url_path] = st.Page(
            access_ui.refused_page(viewer, ctx.locale),
            title=ctx.locale.t(title_key),
            icon=icon,
            url_path=spec.url_path,
            visibility="hidden",
        )
monitor = pages["monitor"]


def _forward_to_monitor():
    st.switch_page(monitor, query_params=st.query_params.to_dict())


home = st.Page(
    _forward_to_monitor, title=ctx.locale.t("nav.monitor"), url_path="home", default=True, visibility="hidden"
)
nav = st.navigation([home, *pages.values()], position="hidden" if ctx.kiosk else "sidebar")
access_ui.demo_banner(viewer, ctx.kiosk, ctx.locale)  # on the bundled demo database only
if not ctx.kiosk:
    access_ui.account_box(
        viewer,
        access_error,
        ctx.locale,
        page_says_why=nav.url_path in access.PAGE_ROLES and not viewer.may_open(nav.url_path),
    )
nav.run()
