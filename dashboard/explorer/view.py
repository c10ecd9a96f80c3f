"""The view of page `aduan`: the complaint explorer (`aduan?status=...`, see dashboard.explorer.url) and one complaint by
ticket (`aduan?tiket=...`): fields, SLA stages and timeline. Layout only.

Citizen text is shown through non-HTML elements (st.text, dataframes), never as markdown.
"""

import pandas as pd
import streamlit as st

from core.textsafe import md_literal, plain_text
from core.timefmt import fmt_wita
from dashboard import access_ui, components
from dashboard.data import fetch, sla_rules
from dashboard.explorer import listing
from dashboard.pagectx import page_context
from queries import complaint


def render() -> None:
    """Lay the page out (called by its file in pages/)."""
    ctx = page_context()
    loc = ctx.locale
    viewer = access_ui.require("aduan", loc)  # who may open it, who sees the reporter: dashboard/access.py
    ticket = (st.query_params.get("tiket") or "").strip()[:60]
    if not ticket:  # no ticket asked: the explorer
        listing.render(loc, ctx.now)
        st.stop()
    st.page_link("pages/complaint.py", label=loc.t("exp.back"), query_params={})

    detail = fetch(
        complaint.complaint_detail,
        ticket,
        now=ctx.now,
        rules=sla_rules(),
        include_personal=viewer.may_see_personal,
    )
    components.stale_warning([detail], loc)
    if not detail.has_data:
        st.stop()
    if detail.data.empty:
        st.info(loc.t("aduan.not_found", ticket=md_literal(ticket)))
        st.stop()
    c = detail.data.iloc[0]
    st.subheader(loc.t("aduan.title", ticket=md_literal(c["ticket"])))
    st.text(plain_text(c["title"]))  # <br>, &amp; ... as text: core/textsafe.py

    fields = pd.DataFrame(
        {
            "": [
                loc.t(k)
                for k in (
                    "rapor.col_status",
                    "rapor.col_received",
                    "rapor.col_dispatched",
                    "rapor.opd",
                    "rapor.col_sla",
                )
            ],
            " ": [
                loc.label("status", c["status"]),
                fmt_wita(c["received_at"]),
                fmt_wita(c["dispatched_at"]),
                c["opd_own"] if isinstance(c["opd_own"], str) else "–",
                loc.label("sla", c["sla_state"]),
            ],
        }
    )
    extra = pd.DataFrame(
        {
            "": [loc.t(k) for k in ("exp.channel", "exp.sector", "exp.region", "exp.classification", "exp.priority")],
            " ": [
                c["channel"],
                c["sector"],
                c["region"],
                loc.label("class", c["classification"]),
                loc.label("priority", c["priority"]),
            ],
        }
    )
    left, right = st.columns(2)
    left.dataframe(fields, hide_index=True, width="stretch")
    right.dataframe(extra.fillna("–"), hide_index=True, width="stretch")
    st.caption(loc.t("aduan.body"))
    body = plain_text(c["body"]) or "–"
    with st.container(height=360 if len(body) > 3000 else "content"):  # a very long text scrolls in its own box
        st.text(body)
    access_ui.reporter_block(c, viewer, loc)

    st.subheader(loc.t("aduan.stages"))
    stages = []
    for stage in ("dispatch", "response", "completion"):
        state = c[f"{stage}_state"] if isinstance(c[f"{stage}_state"], str) else None
        deadline = c[f"{stage}_deadline"] if state else None  # no deadline for a stage that does not apply
        late = c[f"{stage}_late_by"]
        stages.append(
            {
                loc.t("aduan.stages"): loc.t(f"aduan.stage.{stage}"),
                loc.t("rapor.col_deadline"): deadline.strftime("%d-%m-%Y") if deadline else "–",
                loc.t("rapor.col_sla"): loc.label("sla", state) if state else "–",
                loc.t("rapor.col_late"): "–" if pd.isna(late) else str(int(late)),
            }
        )
    st.dataframe(pd.DataFrame(stages), hide_index=True, width="stretch")

    timeline = fetch(complaint.complaint_timeline, int(c["id"]))
    if timeline.has_data:
        st.subheader(loc.t("aduan.timeline"))
        tl = timeline.data
        st.dataframe(
            pd.DataFrame(
                {
                    "WITA": tl["occurred_at"].map(lambda v: fmt_wita(v, "%d-%m-%Y %H:%M")),
                    loc.t("rapor.col_status"): tl["kind"],
                    loc.t("rapor.opd"): tl["opd"].fillna("–"),
                    loc.t("aduan.note"): tl["note"].map(plain_text),
                }
            ),
            hide_index=True,
            width="stretch",
        )
        passed = [o for o in tl["opd"].dropna().tolist()]
        st.caption(loc.t("aduan.opds") + ": " + (md_literal(" → ".join(dict.fromkeys(passed))) if passed else "–"))
