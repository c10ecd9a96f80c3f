"""NTB Care Monitor entrypoint: sets the frame and routes the pages with st.navigation.

- Every page has its own URL path (monitor, kepatuhan, ...). The bare address "/" is a hidden default
  page that forwards to `monitor` with the query parameters kept, so `/monitor?kiosk=1` is a real page
  and never a "page not found".
- Page files are named differently from their URL paths (pages/wall.py is served at /monitor) on purpose:
  before the first st.navigation call of a server's life, Streamlit's automatic pages/ discovery would
  otherwise serve /monitor straight from pages/monitor.py, skipping this entrypoint.
"""
import streamlit as st

from dashboard.i18n import t
from dashboard.pagectx import page_context

st.set_page_config(page_title="NTB Care Monitor", page_icon=":material/campaign:", layout="wide")
ctx = page_context()

monitor = st.Page("pages/wall.py", title=t("nav.monitor", ctx.lang), icon=":material/monitor:", url_path="monitor")
pages = [
    monitor,
    st.Page("pages/compliance.py", title=t("nav.kepatuhan", ctx.lang), icon=":material/fact_check:",
            url_path="kepatuhan"),
    st.Page("pages/summary.py", title=t("nav.ringkasan", ctx.lang), icon=":material/insights:",
            url_path="ringkasan"),
    st.Page("pages/complaint.py", title=t("nav.aduan", ctx.lang), icon=":material/search:", url_path="aduan"),
    st.Page("pages/data_quality.py", title=t("nav.kualitas", ctx.lang), icon=":material/rule:",
            url_path="kualitas-data"),  # admins only (roles: dashboard/access.py)
]


def _forward_to_monitor():
    st.switch_page(monitor, query_params=st.query_params.to_dict())


home = st.Page(_forward_to_monitor, title=t("nav.monitor", ctx.lang), url_path="home", default=True,
               visibility="hidden")
nav = st.navigation([home, *pages], position="hidden" if ctx.kiosk else "sidebar")
nav.run()
