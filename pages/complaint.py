"""Page `aduan`: the complaint explorer (`aduan?status=...`, see dashboard.explorer) and one complaint by
ticket (`aduan?tiket=...`): fields, SLA stages and timeline. Layout only.

Citizen text is shown through non-HTML elements (st.text, dataframes), never as markdown.
"""
import pandas as pd
import streamlit as st

from dashboard import access_ui, components, explorer_view
from dashboard.data import fetch
from dashboard.i18n import label, t
from dashboard.pagectx import page_context
from dashboard.textsafe import md_literal, plain_text
from dashboard.timefmt import fmt_wita
from queries import complaint

ctx = page_context()
lang = ctx.lang
viewer = access_ui.require("aduan", lang)  # who may open it, who sees the reporter: dashboard/access.py
ticket = (st.query_params.get("tiket") or "").strip()[:60]
if not ticket:  # no ticket asked: the explorer
    explorer_view.render(lang)
    st.stop()
st.page_link("pages/complaint.py", label=t("exp.back", lang), query_params={})

detail = fetch(complaint.complaint_detail, ticket=ticket, include_personal=viewer.may_see_personal)
components.stale_warning([detail], lang)
if not detail.has_data:
    st.stop()
if detail.data.empty:
    st.info(t("aduan.not_found", lang, ticket=md_literal(ticket)))
    st.stop()
c = detail.data.iloc[0]
st.subheader(t("aduan.title", lang, ticket=md_literal(c["ticket"])))
st.text(plain_text(c["title"]))  # <br>, &amp; ... as text: dashboard/textsafe.py

fields = pd.DataFrame({"": [t(k, lang) for k in ("rapor.col_status", "rapor.col_received", "rapor.col_dispatched",
                                                  "rapor.opd", "rapor.col_sla")],
                       " ": [label("status", c["status"], lang), fmt_wita(c["received_at"]),
                             fmt_wita(c["dispatched_at"]), c["opd_own"] if isinstance(c["opd_own"], str) else "–",
                             label("sla", c["sla_state"], lang)]})
extra = pd.DataFrame({"": ["Kanal", "Sektor", "Kab/Kota", "Klasifikasi", "Prioritas"],
                      " ": [c["channel"], c["sector"], c["region"], c["classification"],
                            label("priority", c["priority"], lang)]})
left, right = st.columns(2)
left.dataframe(fields, hide_index=True, width="stretch")
right.dataframe(extra.fillna("–"), hide_index=True, width="stretch")
st.caption(t("aduan.body", lang))
body = plain_text(c["body"]) or "–"
with st.container(height=360 if len(body) > 3000 else "content"):  # a very long text scrolls in its own box
    st.text(body)
access_ui.reporter_block(c, viewer, lang)

st.subheader(t("aduan.stages", lang))
stages = []
for stage in ("dispatch", "response", "completion"):
    state = c[f"{stage}_state"] if isinstance(c[f"{stage}_state"], str) else None
    deadline = c[f"{stage}_deadline"] if state else None  # no deadline for a stage that does not apply
    late = c[f"{stage}_late_by"]
    stages.append({
        t("aduan.stages", lang): t(f"aduan.stage.{stage}", lang),
        t("rapor.col_deadline", lang): deadline.strftime("%d-%m-%Y") if deadline else "–",
        t("rapor.col_sla", lang): label("sla", state, lang) if state else "–",
        t("rapor.col_late", lang): "–" if pd.isna(late) else str(int(late)),
    })
st.dataframe(pd.DataFrame(stages), hide_index=True, width="stretch")

timeline = fetch(complaint.complaint_timeline, complaint_id=int(c["id"]))
if timeline.has_data:
    st.subheader(t("aduan.timeline", lang))
    tl = timeline.data
    st.dataframe(pd.DataFrame({
        "WITA": tl["occurred_at"].map(lambda v: fmt_wita(v, "%d-%m-%Y %H:%M")),
        t("rapor.col_status", lang): tl["kind"],
        t("rapor.opd", lang): tl["opd"].fillna("–"),
        "Catatan": tl["note"].map(plain_text),
    }), hide_index=True, width="stretch")
    passed = [o for o in tl["opd"].dropna().tolist()]
    st.caption(t("aduan.opds", lang) + ": " + (md_literal(" → ".join(dict.fromkeys(passed))) if passed else "–"))
