"""NTB Care Monitor entrypoint: sets the frame and routes the pages with st.navigation.

Page files are named differently from their URL paths (pages/wall.py is served at /monitor) on purpose:
before the first st.navigation call of a server's life, Streamlit's automatic pages/ discovery would
otherwise serve /monitor straight from pages/monitor.py, skipping this entrypoint.
"""
import streamlit as st

from dashboard.i18n import t
from dashboard.pagectx import page_context

st.set_page_config(page_title="NTB Care Monitor", page_icon="📣", layout="wide")
ctx = page_context()

pages = [
    st.Page("pages/wall.py", title=t("nav.monitor", ctx.lang), icon=":material/monitor:",
            url_path="monitor", default=True),
]
nav = st.navigation(pages, position="hidden" if ctx.kiosk else "sidebar")
nav.run()
