"""The explorer's layout (used by page `aduan` when no ticket is asked): filters, count, page, exports.

Filters live in the URL (``dashboard.explorer``), so every view is a shareable link; the form only writes
the URL. Citizen text appears only in dataframes (never markdown or HTML).
"""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from dashboard import components, exports
from dashboard.config import CLASSIFICATIONS, PRIORITIES, STATUSES
from dashboard.data import fetch
from dashboard.explorer import NONE_CODE, Lookups, Selection, explorer_link, parse_params
from dashboard.i18n import label, t
from dashboard.textsafe import md_literal, plain_text
from dashboard.timefmt import fmt_wita
from queries import lookup, search

PAGE_SIZE = 50
EXPORT_MAX = 20_000


def _signature(sel: Selection) -> str:
    """Widget keys change with the URL, so the form always shows what the URL says."""
    return str(abs(hash(tuple(sorted(sel.to_params().items())))))


def _filter_form(sel: Selection, lookups: Lookups, current_opds: pd.DataFrame, lang: str) -> Selection | None:
    sig = _signature(sel)
    none = t("exp.none", lang)
    opd_names = dict(zip(current_opds["code"], current_opds["name"]))
    opd_table = lookups.opd_own if sel.historis else lookups.opd
    opd_options = [NONE_CODE] + (sorted(opd_table, key=lambda c: opd_table[c][1]) if sel.historis
                                 else list(opd_names))

    def names(mapping):
        return lambda c: none if c == NONE_CODE else mapping.get(c, c)

    pick = dict(placeholder=t("exp.pick", lang))
    active = describe(sel, lookups, lang)
    title = t("exp.filters", lang) + (f" — {md_literal(active)}" if active else "")  # labels are markdown
    # Collapsed when the view already has filters (e.g. opened from a chart): the results come first on a phone.
    with st.expander(title, expanded=not active, icon=":material/filter_list:"), \
            st.form(f"exp-form-{sig}", border=False):
        c = st.columns(4)
        dari = c[0].date_input(t("exp.from", lang), value=sel.dari, format="DD-MM-YYYY", key=f"exp-dari-{sig}")
        sampai = c[1].date_input(t("exp.to", lang), value=sel.sampai, format="DD-MM-YYYY", key=f"exp-sampai-{sig}")
        q = c[2].text_input(t("exp.text", lang), value=sel.q, max_chars=search.MAX_TEXT, key=f"exp-q-{sig}")
        sla = c[3].multiselect(t("exp.sla", lang), search.SLA_STATES, default=list(sel.sla),
                               format_func=lambda s: label("sla", s, lang), key=f"exp-sla-{sig}", **pick)
        c = st.columns(4)
        status = c[0].multiselect(t("exp.status", lang), STATUSES, default=list(sel.status),
                                  format_func=lambda s: label("status", s, lang), key=f"exp-status-{sig}", **pick)
        opd = c[1].multiselect(t("exp.opd", lang), opd_options, default=[o for o in sel.opd if o in opd_options],
                               format_func=lambda o: none if o == NONE_CODE else opd_table.get(o, (0, o))[1],
                               key=f"exp-opd-{sig}", **pick)
        sektor = c[2].multiselect(t("exp.sector", lang), [NONE_CODE, *lookups.sektor], default=list(sel.sektor),
                                  format_func=names(lookups.sektor), key=f"exp-sektor-{sig}", **pick)
        wilayah = c[3].multiselect(t("exp.region", lang), [NONE_CODE, *lookups.wilayah], default=list(sel.wilayah),
                                   format_func=names(lookups.wilayah), key=f"exp-wilayah-{sig}", **pick)
        c = st.columns(4)
        kanal = c[0].multiselect(t("exp.channel", lang), [NONE_CODE, *lookups.kanal], default=list(sel.kanal),
                                 format_func=names(lookups.kanal), key=f"exp-kanal-{sig}", **pick)
        prioritas = c[1].multiselect(t("exp.priority", lang), PRIORITIES, default=list(sel.prioritas),
                                     format_func=lambda p: label("priority", p, lang), key=f"exp-prio-{sig}", **pick)
        klas = c[2].multiselect(t("exp.classification", lang), CLASSIFICATIONS, default=list(sel.klasifikasi),
                                format_func=lambda k: label("class", k, lang), key=f"exp-klas-{sig}", **pick)
        urut = c[3].selectbox(t("exp.sort", lang), search.SORTABLE, index=search.SORTABLE.index(sel.urut),
                              format_func=lambda s: t(f"exp.sort.{s}", lang), key=f"exp-urut-{sig}")
        c = st.columns(4)
        naik = c[0].toggle(t("exp.ascending", lang), value=sel.naik, key=f"exp-naik-{sig}")
        historis = c[1].toggle(t("exp.history", lang), value=sel.historis, key=f"exp-hist-{sig}")
        submitted = c[3].form_submit_button(t("exp.apply", lang), type="primary", width="stretch")
    if not submitted:
        return None
    if dari and sampai and dari > sampai:
        dari, sampai = sampai, dari
    return Selection(dari=dari, sampai=sampai, status=tuple(status), opd=tuple(opd), sektor=tuple(sektor),
                     kanal=tuple(kanal), wilayah=tuple(wilayah), prioritas=tuple(prioritas),
                     klasifikasi=tuple(klas), sla=tuple(sla), q=q.strip(), historis=historis, urut=urut, naik=naik)


def describe(sel: Selection, lookups: Lookups, lang: str) -> str:
    """The active filters in words, e.g. 'Sektor: Kesehatan · Status tenggat: Terlambat'."""
    none = t("exp.none", lang)
    opd_table = lookups.opd_own if sel.historis else lookups.opd
    parts = []
    if sel.dari or sel.sampai:
        parts.append(f"{sel.dari:%d-%m-%Y}" if sel.dari else "…")
        parts[-1] += " – " + (f"{sel.sampai:%d-%m-%Y}" if sel.sampai else "…")
    named = (("exp.status", sel.status, lambda v: label("status", v, lang)),
             ("exp.opd", sel.opd, lambda v: opd_table.get(v, (0, v))[1]),
             ("exp.sector", sel.sektor, lambda v: lookups.sektor.get(v, v)),
             ("exp.region", sel.wilayah, lambda v: lookups.wilayah.get(v, v)),
             ("exp.channel", sel.kanal, lambda v: lookups.kanal.get(v, v)),
             ("exp.priority", sel.prioritas, lambda v: label("priority", v, lang)),
             ("exp.classification", sel.klasifikasi, lambda v: label("class", v, lang)),
             ("exp.sla", sel.sla, lambda v: label("sla", v, lang)))
    for key, values, name in named:
        if values:
            parts.append(f"{t(key, lang)}: " + ", ".join(none if v == NONE_CODE else name(v) for v in values))
    if sel.q:
        parts.append(f"“{sel.q}”")
    return " · ".join(parts)


def _go(sel: Selection) -> None:
    st.query_params.from_dict(sel.to_params())
    st.rerun()


def _table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        t("rapor.col_ticket", lang): "aduan?tiket=" + df["ticket"].astype(str),
        t("rapor.col_received", lang): df["received_at"].map(fmt_wita),
        t("rapor.col_title", lang): df["title"].map(plain_text),
        t("exp.col.sector", lang): df["sector"].fillna("–"),
        t("exp.col.region", lang): df["region"].fillna("–"),
        t("rapor.opd", lang): df["opd"].fillna(t("opd.unassigned", lang)),
        t("rapor.col_status", lang): df["status"].map(lambda s: label("status", s, lang)),
        t("rapor.col_sla", lang): df["sla_state"].map(lambda s: label("sla", s, lang) if isinstance(s, str) else "–"),
        t("rapor.col_late", lang): df["overdue_wd"],
    })


def export_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The exported list: no reporter data, codes as stored, times in WITA (``exports`` formats them)."""
    return df[["ticket", "received_at", "title", "sector", "region", "channel", "opd", "status", "priority",
               "classification", "sla_state", "overdue_wd"]].rename(columns={
        "ticket": "tiket", "received_at": "diterima_wita", "title": "judul", "sector": "sektor",
        "region": "kabupaten_kota", "channel": "kanal", "status": "status", "priority": "prioritas",
        "classification": "klasifikasi", "sla_state": "status_tenggat", "overdue_wd": "terlambat_hari_kerja"})


def render(lang: str) -> None:
    head = st.columns([3, 1], vertical_alignment="bottom")
    head[0].title(t("exp.title", lang))
    ticket = head[1].text_input(t("aduan.ask_ticket", lang), key="aduan-ticket", max_chars=60,
                                placeholder=t("exp.ticket_hint", lang)).strip()
    if ticket:
        st.query_params.from_dict({"tiket": ticket})
        st.rerun()
    ref = fetch(lookup.reference_codes)
    components.stale_warning([ref], lang)
    if not ref.has_data:
        st.stop()
    lookups = Lookups.from_frame(ref.data)
    sel, notes = parse_params(st.query_params.to_dict(), lookups)
    if notes:
        st.warning(t("exp.bad_param", lang, detail=md_literal(", ".join(notes))), icon=":material/filter_alt_off:")
    current_opds = ref.data[(ref.data["kind"] == "opd") & ref.data["current"]]
    picked = _filter_form(sel, lookups, current_opds, lang)
    if picked is not None:
        _go(picked)
    if sel.to_params():
        st.page_link("pages/complaint.py", label=t("exp.reset", lang), icon=":material/filter_alt_off:",
                     query_params={})

    flt = sel.to_filter(lookups)
    sort = dict(sort=sel.urut, descending=not sel.naik)
    result = fetch(search.search_page, f=flt, page=sel.hal, page_size=PAGE_SIZE, **sort)
    components.stale_warning([result], lang)
    if not result.has_data:
        st.stop()
    n, page_rows = result.data
    n = int(n)
    pages = max(1, math.ceil(n / PAGE_SIZE))
    st.subheader(t("exp.count", lang, n=f"{n:,}".replace(",", ".")))
    if n == 0:
        st.info(t("exp.no_match", lang))
        return
    st.dataframe(_table(page_rows, lang), hide_index=True, width="stretch", key="exp-table", column_config={
        t("rapor.col_ticket", lang): st.column_config.LinkColumn(display_text=r"tiket=(.*)$"),
        t("rapor.col_title", lang): st.column_config.TextColumn(width="large"),
    })
    nav = st.columns([1, 2, 1])
    if nav[0].button(t("exp.prev", lang), disabled=sel.hal <= 1, key="exp-prev", icon=":material/chevron_left:"):
        _go(sel.with_page(sel.hal - 1))
    nav[1].caption(t("exp.page", lang, page=min(sel.hal, pages), pages=pages))
    if nav[2].button(t("exp.next", lang), disabled=sel.hal >= pages, key="exp-next", icon=":material/chevron_right:"):
        _go(sel.with_page(sel.hal + 1))

    def full_list() -> pd.DataFrame:
        everything = fetch(search.search_complaints, f=flt, page=1, page_size=EXPORT_MAX, **sort)
        return export_frame(everything.data if everything.has_data else page_rows.iloc[0:0])

    e = st.columns([1, 1, 2])
    e[0].download_button(t("exp.export_csv", lang), lambda: exports.to_csv_bytes(full_list()),
                         file_name="aduan.csv", mime="text/csv", on_click="ignore", icon=":material/download:")
    e[1].download_button(t("exp.export_xlsx", lang), lambda: exports.to_xlsx_bytes({"aduan": full_list()}),
                         file_name="aduan.xlsx", on_click="ignore", icon=":material/download:")
    if n > EXPORT_MAX:
        e[2].caption(t("exp.export_cap", lang, n=f"{EXPORT_MAX:,}".replace(",", ".")))


__all__ = ["render", "export_frame", "explorer_link"]
