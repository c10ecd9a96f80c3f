"""Page `ringkasan`: the leaders' summary. Layout only."""
import streamlit as st

from dashboard import access_ui
from dashboard.i18n import t
from dashboard.pagectx import page_context

ctx = page_context()
access_ui.require("ringkasan", ctx.lang)  # who may open it: dashboard/access.py
st.title(t("nav.ringkasan", ctx.lang))
