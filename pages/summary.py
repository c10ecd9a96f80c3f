"""Page `ringkasan`: the leaders' summary. Layout only."""
import streamlit as st

from dashboard.i18n import t
from dashboard.pagectx import page_context

ctx = page_context()
st.title(t("nav.ringkasan", ctx.lang))
