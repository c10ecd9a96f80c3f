"""The view of page `kualitas-data` (admins): counts of complaint data that looks wrong. Layout only.

Tickets and titles are data: they are shown only in dataframes (never as markdown or HTML).
"""

import pandas as pd
import streamlit as st

from core.links import complaint as detail_link
from core.textsafe import plain_text
from core.timefmt import MISSING, fmt_wita
from dashboard import access_ui, components
from dashboard.data import fetch
from dashboard.pagectx import page_context
from queries import calendar, quality


def render() -> None:
    """Lay the page out (called by its file in pages/)."""
    ctx = page_context()
    loc = ctx.locale
    access_ui.require("kualitas-data", loc)
    st.title(loc.t("quality.title"))
    st.caption(loc.t("quality.intro"))

    with st.spinner(loc.t("quality.running")):
        res = fetch(quality.data_quality_stored, now=ctx.now, rare=True)
    coverage = fetch(calendar.calendar_coverage)
    components.stale_warning([res, coverage], loc)
    if not res.has_data:
        st.stop()
    df: pd.DataFrame = res.data
    components.data_age([res], loc)
    if coverage.has_data and not coverage.data.empty:
        first, last = coverage.data.iloc[0]["first_day"], coverage.data.iloc[0]["last_day"]
        st.caption(
            loc.t(
                "quality.calendar",
                first=first.strftime("%d-%m-%Y") if first else MISSING,
                last=last.strftime("%d-%m-%Y") if last else MISSING,
            )
        )

    found = df[df["count"] > 0]
    st.metric(loc.t("quality.found"), f"{len(found)} / {len(df)}", border=True)
    st.dataframe(
        pd.DataFrame(
            {
                loc.t("quality.col_check"): df["check"].map(lambda c: loc.t(f"quality.{c}")),
                loc.t("quality.col_count"): df["count"],
                loc.t("quality.col_unit"): df["unit"].map(lambda u: loc.t(f"quality.unit.{u}")),
                loc.t("quality.col_examples"): df["examples"],
            }
        ),
        hide_index=True,
        width="stretch",
        key="quality-table",
    )

    if not found.empty:
        st.subheader(loc.t("quality.examples_title"))
        check = st.selectbox(
            loc.t("quality.pick_check"),
            found["check"].tolist(),
            format_func=lambda c: loc.t(f"quality.{c}"),
            key="quality-check",
        )
        tickets = tuple(found.set_index("check").loc[check, "examples"])
        ex = fetch(quality.example_complaints, tickets)
        if ex.has_data and not ex.data.empty:
            e = ex.data
            st.dataframe(
                pd.DataFrame(
                    {
                        loc.t("rapor.col_ticket"): e["ticket"],
                        loc.t("rapor.col_title"): e["title"].map(plain_text),
                        loc.t("rapor.col_status"): e["status"].map(lambda v: loc.label("status", v)),
                        loc.t("rapor.col_received"): e["received_at"].map(lambda v: fmt_wita(v)),
                        loc.t("rapor.col_detail"): e["ticket"].map(detail_link),
                    }
                ),
                hide_index=True,
                width="stretch",
                key="quality-examples",
                column_config={
                    loc.t("rapor.col_detail"): st.column_config.LinkColumn(display_text=loc.t("rapor.col_detail"))
                },
            )
