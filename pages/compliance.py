"""Page `kepatuhan`: the rapor OPD for the Governor's staff advisers. Layout only."""
import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import access_ui, charts, compliance, components, exports
from dashboard.data import fetch, sla_rules
from dashboard.i18n import label, t
from dashboard.pagectx import page_context
from dashboard.textsafe import detail_link, md_literal, plain_text
from dashboard.timefmt import fmt_wita, now_utc, to_wita
from queries import calendar, overdue, scorecard

ctx = page_context()
lang = ctx.lang
access_ui.require("kepatuhan", lang)  # who may open it: dashboard/access.py
qp = st.query_params
st.title(t("kep.title", lang))

# --- period (kept in the URL so a view can be shared) -------------------------------------------------
today = to_wita(now_utc()).date()
cols = st.columns([2, 2, 2])
choice, start_q, end_q = components.period_picker(cols, compliance.PERIODS, "bulan_ini", t("kep.period", lang),
                                                  "kep.period", "kep-period", today, lang)
history = cols[2].toggle(t("kep.history", lang), value=qp.get("historis") == "1")
period = compliance.resolve_period(choice, today, start_q, end_q)
components.write_period(choice, period)
if history:
    qp["historis"] = "1"
elif "historis" in qp:
    del qp["historis"]
start, end = period.bounds()
rollup = not history

rules = sla_rules()
rapor_res = fetch(scorecard.opd_scorecard, start=start, end=end, rollup=rollup)
components.stale_warning([rapor_res], lang)
components.calendar_warning(fetch(calendar.calendar_coverage), today, lang)
if not rapor_res.has_data:
    st.stop()
rapor = compliance.with_grades(rapor_res.data)
st.caption(t("kep.scope", lang, period=period.label(), now=fmt_wita(rapor_res.fetched_at, "%d-%m-%Y %H:%M")))
with st.expander(t("kep.grade_title", lang)):
    st.write(t("kep.grade_help", lang))
    st.write(compliance.rules_text(rules, lang))

# --- the rapor table ------------------------------------------------------------------------------
view = pd.DataFrame({
    t("rapor.opd", lang): rapor["opd"].fillna(t("opd.unassigned", lang)),
    t("rapor.grade", lang): rapor["grade"].map(lambda g: t(f"grade.{g}", lang) if g else "–"),
    t("rapor.dispatched", lang): rapor["dispatched"],
    t("rapor.responded_on_time", lang): rapor["responded_on_time"],
    t("rapor.response_pct", lang): rapor["response_on_time_pct"],
    t("rapor.completed_on_time", lang): rapor["completed_on_time"],
    t("rapor.completion_pct", lang): rapor["completion_on_time_pct"],
    t("rapor.median_response", lang): rapor["median_response_wd"],
    t("rapor.open", lang): rapor["open"],
    t("rapor.breached", lang): rapor["breached"],
    t("rapor.at_risk", lang): rapor["at_risk"],
    t("rapor.oldest", lang): rapor["oldest_breached_wd"],
})
pct_cfg = st.column_config.NumberColumn(format="%.1f%%")
event = st.dataframe(view, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                     key="kep-rapor", column_config={t("rapor.response_pct", lang): pct_cfg,
                                                     t("rapor.completion_pct", lang): pct_cfg})

# --- which OPD to drill into: a clicked row, the picker, or ?opd=CODE ---------------------------------
UNASSIGNED = "-"
codes = rapor["opd_code"].fillna(UNASSIGNED).tolist()
names = {c: (n if isinstance(n, str) else t("opd.unassigned", lang)) for c, n in zip(codes, rapor["opd"])}
selected_rows = event.selection.rows if event and event.selection else []
if selected_rows:
    st.session_state["kep-opd"] = codes[selected_rows[0]]
elif st.session_state.get("kep-opd") not in codes:
    if "opd" in qp and qp.get("opd") not in codes:
        st.caption(t("kep.bad_param", lang, detail="opd=" + md_literal(qp.get("opd"), 60)))
    st.session_state["kep-opd"] = qp.get("opd") if qp.get("opd") in codes else (codes[0] if codes else None)
current = st.selectbox(t("kep.pick_opd", lang), codes, format_func=lambda c: names.get(c, "–"), key="kep-opd")
if current is not None:
    qp["opd"] = current
row = rapor.iloc[codes.index(current)] if current in codes else None

c1, c2 = st.columns([1, 1])
with c1:
    st.plotly_chart(charts.compliance_bar(rapor, t("kep.chart_title", lang), lang), config={"displayModeBar": False})
if row is not None:
    opd_id = None if pd.isna(row["opd_id"]) else int(row["opd_id"])
    year_ago = dt.datetime.combine(today.replace(day=1) - dt.timedelta(days=365), dt.time(), start.tzinfo)
    monthly = fetch(scorecard.opd_monthly, opd_id=opd_id, start=year_ago, end=end, rollup=rollup)
    with c2:
        if monthly.has_data:
            st.plotly_chart(charts.monthly_bars(monthly.data, t("kep.trend_title", lang, opd=names[current]), lang),
                            config={"displayModeBar": False})
    st.subheader(t("kep.drill_title", lang, opd=md_literal(names[current])))
    for col, (what, params) in zip(st.columns(3), compliance.explorer_params(row["opd_code"], history).items()):
        col.page_link("pages/complaint.py", label=t(f"kep.see_{what}", lang, n=int(row[what])),
                      icon=":material/open_in_new:", query_params=params)
    drill = fetch(overdue.open_complaints, opd_id=opd_id, unassigned=opd_id is None, rollup=rollup)
    if drill.has_data:
        d = drill.data
        table = pd.DataFrame({
            t("rapor.col_ticket", lang): d["ticket"],
            t("rapor.col_title", lang): d["title"].map(plain_text),
            t("rapor.col_received", lang): d["received_at"].map(lambda v: fmt_wita(v)),
            t("rapor.col_dispatched", lang): d["dispatched_at"].map(lambda v: fmt_wita(v)),
            t("rapor.col_deadline", lang): d["deadline"].map(lambda v: v.strftime("%d-%m-%Y") if v else "–"),
            t("rapor.col_late", lang): d["overdue_wd"],
            t("rapor.col_sla", lang): d["sla_state"].map(lambda s: label("sla", s, lang)),
            t("rapor.col_status", lang): d["status"].map(lambda s: label("status", s, lang)),
            t("rapor.col_detail", lang): d["ticket"].map(detail_link),
        })
        st.dataframe(table, hide_index=True, width="stretch", column_config={
            t("rapor.col_detail", lang): st.column_config.LinkColumn(display_text=t("rapor.col_detail", lang))})

# --- exports (files are built only when a button is clicked) ----------------------------------------
st.subheader(t("kep.export", lang))
stamp = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
rapor_export = rapor.drop(columns=["opd_id"]).rename(columns={"opd_code": "kode_opd"})
mine = drill.data if row is not None and drill.has_data else pd.DataFrame(
    columns=["opd_id", "sla_state", "ticket", "title", "received_at", "deadline", "overdue_wd", "status"])
late_export = mine[mine["sla_state"].isin(["breached", "at_risk"])]
late_export = late_export.drop(columns=[c for c in ("id", "opd_id") if c in late_export.columns])
e1, e2, e3, e4 = st.columns(4)
e1.download_button(t("kep.export_rapor_xlsx", lang), lambda: exports.to_xlsx_bytes({"rapor": rapor_export}),
                   file_name=f"rapor-opd-{stamp}.xlsx", on_click="ignore")
e2.download_button(t("kep.export_rapor_csv", lang), lambda: exports.to_csv_bytes(rapor_export),
                   file_name=f"rapor-opd-{stamp}.csv", on_click="ignore")
e3.download_button(t("kep.export_list_xlsx", lang), lambda: exports.to_xlsx_bytes({"terlambat": late_export}),
                   file_name=f"terlambat-{current}-{stamp}.xlsx", on_click="ignore")
e4.download_button(t("kep.export_list_csv", lang), lambda: exports.to_csv_bytes(late_export),
                   file_name=f"terlambat-{current}-{stamp}.csv", on_click="ignore")

pdf_labels = {"title": t("rapor.title", lang), "period": t("rapor.period", lang),
              "generated": t("rapor.generated", lang), "breached_list": t("rapor.breached_list", lang),
              "columns": [t(k, lang) for k in ("rapor.col_ticket", "rapor.col_title", "rapor.col_received",
                                               "rapor.col_deadline", "rapor.col_late")]}
p1, p2 = st.columns(2)
for col, scope, key in ((p1, [row["opd_id"]] if row is not None else [], "kep.pdf_one"), (p2, None, "kep.pdf_all")):
    if scope is not None and row is None:
        continue
    if col.button(t(key, lang), key=f"btn-{key}"):
        bar = col.progress(0.0, text=t("kep.pdf_progress", lang))
        if scope is None:  # every OPD: the late complaints of all of them, read now
            everyone = fetch(overdue.open_complaints, rollup=rollup, only_late=True)
            late_all = everyone.data if everyone.has_data else mine.iloc[0:0]
        else:
            late_all = mine
        sections = compliance.pdf_sections(rapor, late_all, lang, scope)
        pdf = exports.rapor_pdf(sections, period.label(), compliance.rules_text(rules, lang), now_utc(), pdf_labels,
                                progress=lambda f: bar.progress(f, text=t("kep.pdf_progress", lang)))
        bar.empty()
        col.download_button(t("kep.pdf_ready", lang), pdf, file_name=f"rapor-opd-{stamp}.pdf",
                            mime="application/pdf", on_click="ignore", key=f"dl-{key}")
