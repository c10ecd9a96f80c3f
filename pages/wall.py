"""Page `monitor`: the wall. Layout only; data comes from dashboard.data."""
import streamlit as st

from dashboard import components
from dashboard.data import SETTINGS, fetch
from dashboard.i18n import t
from dashboard.pagectx import page_context
from queries import headline

ctx = page_context()
st.title(t("monitor.title", ctx.lang))


@st.fragment(run_every=SETTINGS.feed_interval_s)
def headline_panel():
    head = fetch(headline.headline_counts, fast=True)
    components.stale_warning([head], ctx.lang)
    components.kpi_row(head.data.iloc[0].to_dict() if head.has_data else None, ctx.lang)
    components.data_age([head], ctx.lang)


headline_panel()
