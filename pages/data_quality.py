"""Page `kualitas-data` (admins): counts of complaint data that looks wrong. Layout only.

Tickets and titles are data: they are shown only in dataframes (never as markdown or HTML).
"""
import pandas as pd
import streamlit as st

from dashboard import access_ui, components
from dashboard.data import fetch
from dashboard.i18n import label, t
from dashboard.pagectx import page_context
from dashboard.textsafe import detail_link, plain_text
from dashboard.timefmt import fmt_wita
from queries import calendar, quality

ctx = page_context()
lang = ctx.lang
access_ui.require("kualitas-data", lang)
st.title(t("quality.title", lang))
st.caption(t("quality.intro", lang))

with st.spinner(t("quality.running", lang)):
    res = fetch(quality.data_quality, rare=True)
coverage = fetch(calendar.calendar_coverage)
components.stale_warning([res, coverage], lang)
if not res.has_data:
    st.stop()
df: pd.DataFrame = res.data
components.data_age([res], lang)
if coverage.has_data and not coverage.data.empty:
    first, last = coverage.data.iloc[0]["first_day"], coverage.data.iloc[0]["last_day"]
    st.caption(t("quality.calendar", lang, first=first.strftime("%d-%m-%Y") if first else "–",
                 last=last.strftime("%d-%m-%Y") if last else "–"))

found = df[df["count"] > 0]
st.metric(t("quality.found", lang), f"{len(found)} / {len(df)}", border=True)
st.dataframe(pd.DataFrame({
    t("quality.col_check", lang): df["check"].map(lambda c: t(f"quality.{c}", lang)),
    t("quality.col_count", lang): df["count"],
    t("quality.col_unit", lang): df["unit"].map(lambda u: t(f"quality.unit.{u}", lang)),
    t("quality.col_examples", lang): df["examples"],
}), hide_index=True, width="stretch", key="quality-table")

if not found.empty:
    st.subheader(t("quality.examples_title", lang))
    check = st.selectbox(t("quality.pick_check", lang), found["check"].tolist(),
                         format_func=lambda c: t(f"quality.{c}", lang), key="quality-check")
    tickets = tuple(found.set_index("check").loc[check, "examples"])
    ex = fetch(quality.example_complaints, tickets=tickets)
    if ex.has_data and not ex.data.empty:
        e = ex.data
        st.dataframe(pd.DataFrame({
            t("rapor.col_ticket", lang): e["ticket"],
            t("rapor.col_title", lang): e["title"].map(plain_text),
            t("rapor.col_status", lang): e["status"].map(lambda v: label("status", v, lang)),
            t("rapor.col_received", lang): e["received_at"].map(lambda v: fmt_wita(v)),
            t("rapor.col_detail", lang): e["ticket"].map(detail_link),
        }), hide_index=True, width="stretch", key="quality-examples", column_config={
            t("rapor.col_detail", lang): st.column_config.LinkColumn(display_text=t("rapor.col_detail", lang))})
