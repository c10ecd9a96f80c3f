"""The view of page `kepatuhan`: the rapor OPD for the Governor's staff advisers. Layout only."""

import datetime as dt

import pandas as pd
import streamlit as st

from core import exports
from core.links import complaint as detail_link
from core.textsafe import md_literal, plain_text
from core.timefmt import MISSING, fmt_wita, now_utc, to_wita
from dashboard import access_ui, charts, components
from dashboard.compliance import logic as compliance
from dashboard.data import at_once, combined, fetch, sla_rules
from dashboard.pagectx import page_context
from queries import calendar, overdue, scorecard


def render() -> None:
    """Lay the page out (called by its file in pages/)."""
    ctx = page_context()
    loc = ctx.locale
    access_ui.require("kepatuhan", loc)  # who may open it: dashboard/access.py
    qp = st.query_params
    st.title(loc.t("kep.title"))

    # --- period (kept in the URL so a view can be shared) -------------------------------------------------
    today = to_wita(now_utc()).date()
    cols = st.columns([2, 2, 2])
    choice, start_q, end_q = components.period_picker(
        cols, compliance.PERIODS, "bulan_ini", loc.t("kep.period"), "kep.period", "kep-period", today, loc
    )
    history = cols[2].toggle(loc.t("kep.history"), value=qp.get("historis") == "1")
    period = compliance.resolve_period(choice, today, start_q, end_q)
    components.write_period(choice, period)
    if history:
        qp["historis"] = "1"
    elif "historis" in qp:
        del qp["historis"]
    start, end = period.bounds()
    rollup = not history

    rules = sla_rules()
    # the rapor's two halves at the same time; the open one is the wall's late-OPD table (the same cache entry)
    halves = at_once(
        {
            "period": lambda: fetch(scorecard.opd_period_figures, start, end, now=ctx.now, rules=rules, rollup=rollup),
            "open": lambda: fetch(overdue.overdue_by_opd, now=ctx.now, rules=rules, rollup=rollup),
        }
    )
    rapor_res = combined(scorecard.combine_scorecard, halves["period"], halves["open"])
    components.stale_warning([rapor_res], loc)
    components.calendar_warning(fetch(calendar.calendar_coverage), today, loc)
    if not rapor_res.has_data:
        st.stop()
    graded = compliance.with_grades(rapor_res.data)
    rapor, unassigned = compliance.split_unassigned(graded)
    # --- the rapor table: who to summon and why, breached now first, no horizontal scroll at 1440 px -----
    late_opds = int((rapor["breached"] > 0).sum())
    st.caption(loc.t("kep.late_rows", n=late_opds))
    view = compliance.rapor_view(rapor, loc)
    # pixel widths that add up to less than the table's width at 1440 px: no horizontal scroll
    wide, narrow = {"width": 96}, {"width": 84}
    event = st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        height=compliance.rapor_height(len(view), late_opds),
        column_config={
            loc.t("rapor.opd"): st.column_config.TextColumn(width=120, pinned=True),
            loc.t("kep.col_grade"): st.column_config.TextColumn(width=56),
            loc.t("kep.reason"): st.column_config.TextColumn(width="large"),
            loc.t("kep.col_breached"): st.column_config.TextColumn(**wide),
            loc.t("kep.col_oldest"): st.column_config.TextColumn(help=loc.t("kep.col_oldest_help"), **narrow),
            loc.t("kep.col_share"): st.column_config.TextColumn(help=loc.t("kep.col_share_help"), **wide),
            loc.t("kep.col_waiting"): st.column_config.TextColumn(help=loc.t("kep.col_waiting_help"), **narrow),
        },
        on_select="rerun",
        selection_mode="single-row",
        key="kep-rapor",
    )
    if unassigned is not None:  # complaints without an OPD: counted apart, not ranked among the OPDs
        u1, u2 = st.columns([3, 1])
        u1.markdown(loc.t("kep.unassigned_line", open=int(unassigned["open"]), breached=int(unassigned["breached"])))
        u2.page_link(
            "pages/complaint.py",
            label=loc.t("kep.unassigned_link"),
            icon=":material/open_in_new:",
            query_params=compliance.explorer_params(None, history)["open"],
        )
    st.caption(loc.t("kep.scope", period=period.label(loc), now=fmt_wita(rapor_res.fetched_at, "%d-%m-%Y %H:%M")))
    with st.expander(loc.t("kep.grade_title")):
        st.write(loc.t("kep.grade_help", min=compliance.min_decided()))
        st.write(compliance.rules_text(rules, loc))
    with st.expander(loc.t("kep.all_columns")):
        st.dataframe(compliance.rapor_full_view(rapor, loc), hide_index=True, width="stretch")

    # --- which OPD to drill into: a clicked row, the picker, or ?opd=CODE ---------------------------------
    # the picker also reaches the complaints without an OPD ("-"), listed after the OPDs
    UNASSIGNED = "-"
    codes = rapor["opd_code"].tolist() + ([UNASSIGNED] if unassigned is not None else [])
    names = {**dict(zip(rapor["opd_code"], rapor["opd"], strict=True)), UNASSIGNED: loc.t("opd.unassigned")}
    selected_rows = event.selection.rows if event and event.selection else []
    if selected_rows:
        st.session_state["kep-opd"] = codes[selected_rows[0]]
    elif st.session_state.get("kep-opd") not in codes:
        if "opd" in qp and qp.get("opd") not in codes:
            st.caption(loc.t("kep.bad_param", detail="opd=" + md_literal(qp.get("opd"), 60)))
        st.session_state["kep-opd"] = qp.get("opd") if qp.get("opd") in codes else (codes[0] if codes else None)
    current = st.selectbox(loc.t("kep.pick_opd"), codes, format_func=lambda c: names.get(c, MISSING), key="kep-opd")
    if current is not None:
        qp["opd"] = current
    row = unassigned if current == UNASSIGNED else rapor.iloc[codes.index(current)] if current in codes else None

    c1, c2 = st.columns([1, 1])
    with c1:
        st.plotly_chart(charts.compliance_bar(rapor, loc.t("kep.chart_title"), loc), config={"displayModeBar": False})
    if row is not None:
        opd_id = None if pd.isna(row["opd_id"]) else int(row["opd_id"])
        year_ago = dt.datetime.combine(today.replace(day=1) - dt.timedelta(days=365), dt.time(), start.tzinfo)
        # the OPD's months and its open complaints at the same time: at ten million complaints a large OPD's
        # year takes 1.5 s and its open list 0.4-1 s
        got = at_once(
            {
                "monthly": lambda: fetch(
                    scorecard.opd_monthly, opd_id, year_ago, end, now=ctx.now, rules=rules, rollup=rollup
                ),
                "drill": lambda: fetch(
                    overdue.open_complaints,
                    now=ctx.now,
                    rules=rules,
                    opd_id=opd_id,
                    unassigned=opd_id is None,
                    rollup=rollup,
                ),
            }
        )
        monthly, drill = got["monthly"], got["drill"]
        with c2:
            if monthly.has_data:
                st.plotly_chart(
                    charts.monthly_bars(monthly.data, loc.t("kep.trend_title", opd=names[current]), loc),
                    config={"displayModeBar": False},
                )
        st.subheader(loc.t("kep.drill_title", opd=md_literal(names[current])))
        for col, (what, params) in zip(
            st.columns(3), compliance.explorer_params(row["opd_code"], history).items(), strict=True
        ):
            col.page_link(
                "pages/complaint.py",
                label=loc.t(f"kep.see_{what}", n=int(row[what])),
                icon=":material/open_in_new:",
                query_params=params,
            )
        if drill.has_data:
            d = drill.data
            table = pd.DataFrame(
                {
                    loc.t("rapor.col_ticket"): d["ticket"],
                    loc.t("rapor.col_title"): d["title"].map(plain_text),
                    loc.t("rapor.col_received"): d["received_at"].map(lambda v: fmt_wita(v)),
                    loc.t("rapor.col_dispatched"): d["dispatched_at"].map(lambda v: fmt_wita(v)),
                    loc.t("rapor.col_deadline"): d["deadline"].map(lambda v: v.strftime("%d-%m-%Y") if v else MISSING),
                    loc.t("rapor.col_late"): d["overdue_wd"].map(compliance.count_text),
                    loc.t("rapor.col_sla"): d["sla_state"].map(lambda s: loc.label("sla", s)),
                    loc.t("rapor.col_status"): d["status"].map(lambda s: loc.label("status", s)),
                    loc.t("rapor.col_detail"): d["ticket"].map(detail_link),
                }
            )
            st.dataframe(
                table,
                hide_index=True,
                width="stretch",
                column_config={
                    loc.t("rapor.col_detail"): st.column_config.LinkColumn(display_text=loc.t("rapor.col_detail"))
                },
            )

    # --- exports (files are built only when a button is clicked) ----------------------------------------
    st.subheader(loc.t("kep.export"))
    files = compliance.download_names(
        period, compliance.NO_OPD if current == UNASSIGNED else row["opd_code"] if row is not None else None
    )
    mine = compliance.held_by_opd(drill.data if row is not None and drill.has_data else None)
    rapor_export, late_export = compliance.export_frames(rapor, mine)  # the same cells as the public open data
    e1, e2, e3, e4 = st.columns(4)
    e1.download_button(
        loc.t("kep.export_rapor_xlsx"),
        lambda: exports.to_xlsx_bytes({"rapor": rapor_export}),
        file_name=files["rapor_xlsx"],
        on_click="ignore",
    )
    e2.download_button(
        loc.t("kep.export_rapor_csv"),
        lambda: exports.to_csv_bytes(rapor_export),
        file_name=files["rapor_csv"],
        on_click="ignore",
    )
    e3.download_button(
        loc.t("kep.export_list_xlsx"),
        lambda: exports.to_xlsx_bytes({"terlambat": late_export}),
        file_name=files["late_xlsx"],
        on_click="ignore",
    )
    e4.download_button(
        loc.t("kep.export_list_csv"),
        lambda: exports.to_csv_bytes(late_export),
        file_name=files["late_csv"],
        on_click="ignore",
    )

    pdf_labels = compliance.pdf_labels(loc)
    p1, p2 = st.columns(2)
    for col, scope, key in ((p1, [row["opd_id"]] if row is not None else [], "kep.pdf_one"), (p2, None, "kep.pdf_all")):
        if scope is not None and row is None:
            continue
        if col.button(loc.t(key), key=f"btn-{key}"):
            bar = col.progress(0.0, text=loc.t("kep.pdf_progress"))
            if scope is None:  # every OPD: the late complaints of all of them, read now
                everyone = fetch(overdue.open_complaints, now=ctx.now, rules=rules, rollup=rollup, only_late=True)
                late_all = everyone.data if everyone.has_data else mine.iloc[0:0]
            else:
                late_all = mine
            sections = compliance.pdf_sections(graded, late_all, loc, scope)
            pdf = exports.rapor_pdf(
                sections,
                period.label(loc),
                compliance.rules_text(rules, loc),
                now_utc(),
                pdf_labels,
                progress=lambda f, bar=bar: bar.progress(f, text=loc.t("kep.pdf_progress")),
            )
            bar.empty()
            col.download_button(
                loc.t("kep.pdf_ready"),
                pdf,
                file_name=files["pdf_one" if scope is not None else "pdf_all"],
                mime="application/pdf",
                on_click="ignore",
                key=f"dl-{key}",
            )
