"""The explorer's layout (used by page `aduan` when no ticket is asked): filters, count, page, exports.

Filters live in the URL (``dashboard.explorer.url``), so every view is a shareable link; the form only writes
the URL. Citizen text appears only in dataframes (never markdown or HTML).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import streamlit as st

from core import exports
from core.codes import CLASSIFICATIONS, PRIORITIES, STATUSES
from core.locale import Locale
from core.textsafe import md_literal, plain_text
from core.timefmt import MISSING, fmt_wita, is_missing, wita_date
from dashboard import components
from dashboard.data import fetch, sla_rules
from dashboard.explorer.url import DATES, NONE_CODE, Lookups, Selection, explorer_link, parse_params
from queries import lookup, search

PAGE_SIZE = 50
EXPORT_MAX = 20_000


def _signature(sel: Selection) -> str:
    """Widget keys change with the URL, so the form always shows what the URL says."""
    return str(abs(hash(tuple(sorted(sel.to_params().items())))))


def _filter_form(
    sel: Selection, lookups: Lookups, current_opds: pd.DataFrame, today: dt.date, loc: Locale
) -> Selection | None:
    sig = _signature(sel)
    none = loc.t("exp.none")
    opd_names = dict(zip(current_opds["code"], current_opds["name"], strict=True))
    opd_table = lookups.opd_own if sel.historis else lookups.opd
    opd_options = [NONE_CODE] + (sorted(opd_table, key=lambda c: opd_table[c][1]) if sel.historis else list(opd_names))

    def names(mapping):
        return lambda c: none if c == NONE_CODE else mapping.get(c, c)

    pick = dict(placeholder=loc.t("exp.pick"))
    n_active = len(active_filters(sel, lookups, loc))
    title = loc.t("exp.filters") + (f" ({loc.tn('exp.active', n_active)})" if n_active else "")
    # Always folded: the list comes first; the active filters are chips above it (``_chips``).
    # The date fields always hold a day (a blank one would show Streamlit's English "dd-mm-yyyy"); the
    # checkbox says whether they filter.
    date_format = loc.t("exp.date_format")
    with (
        st.expander(title, expanded=False, icon=":material/filter_list:"),
        st.form(f"exp-form-{sig}", border=False),
    ):
        c = st.columns(4)
        by_date = c[0].checkbox(loc.t("exp.by_date"), value=bool(sel.dari or sel.sampai), key=f"exp-bydate-{sig}")
        dari = c[0].date_input(
            loc.t("exp.from"), value=sel.dari or today.replace(day=1), format=date_format, key=f"exp-dari-{sig}"
        )
        sampai = c[1].date_input(
            loc.t("exp.to"), value=sel.sampai or today, format=date_format, key=f"exp-sampai-{sig}"
        )
        q = c[2].text_input(loc.t("exp.text"), value=sel.q, max_chars=search.MAX_TEXT, key=f"exp-q-{sig}")
        sla = c[3].multiselect(
            loc.t("exp.sla"),
            search.SLA_STATES,
            default=list(sel.sla),
            format_func=lambda s: loc.label("sla", s),
            key=f"exp-sla-{sig}",
            **pick,
        )
        c = st.columns(4)
        status = c[0].multiselect(
            loc.t("exp.status"),
            STATUSES,
            default=list(sel.status),
            format_func=lambda s: loc.label("status", s),
            key=f"exp-status-{sig}",
            **pick,
        )
        opd = c[1].multiselect(
            loc.t("exp.opd"),
            opd_options,
            default=[o for o in sel.opd if o in opd_options],
            format_func=lambda o: none if o == NONE_CODE else opd_table.get(o, (0, o))[1],
            key=f"exp-opd-{sig}",
            **pick,
        )
        sektor = c[2].multiselect(
            loc.t("exp.sector"),
            [NONE_CODE, *lookups.sektor],
            default=list(sel.sektor),
            format_func=names(lookups.sektor),
            key=f"exp-sektor-{sig}",
            **pick,
        )
        wilayah = c[3].multiselect(
            loc.t("exp.region"),
            [NONE_CODE, *lookups.wilayah],
            default=list(sel.wilayah),
            format_func=names(lookups.wilayah),
            key=f"exp-wilayah-{sig}",
            **pick,
        )
        c = st.columns(4)
        kanal = c[0].multiselect(
            loc.t("exp.channel"),
            [NONE_CODE, *lookups.kanal],
            default=list(sel.kanal),
            format_func=names(lookups.kanal),
            key=f"exp-kanal-{sig}",
            **pick,
        )
        prioritas = c[1].multiselect(
            loc.t("exp.priority"),
            PRIORITIES,
            default=list(sel.prioritas),
            format_func=lambda p: loc.label("priority", p),
            key=f"exp-prio-{sig}",
            **pick,
        )
        klas = c[2].multiselect(
            loc.t("exp.classification"),
            CLASSIFICATIONS,
            default=list(sel.klasifikasi),
            format_func=lambda k: loc.label("class", k),
            key=f"exp-klas-{sig}",
            **pick,
        )
        urut = c[3].selectbox(
            loc.t("exp.sort"),
            search.SORTABLE,
            index=search.SORTABLE.index(sel.urut),
            format_func=lambda s: loc.t(f"exp.sort.{s}"),
            key=f"exp-urut-{sig}",
        )
        c = st.columns(4)
        naik = c[0].toggle(loc.t("exp.ascending"), value=sel.naik, key=f"exp-naik-{sig}")
        historis = c[1].toggle(loc.t("exp.history"), value=sel.historis, key=f"exp-hist-{sig}")
        submitted = c[3].form_submit_button(loc.t("exp.apply"), type="primary", width="stretch")
    if not submitted:
        return None
    if not by_date:
        dari = sampai = None
    if dari and sampai and dari > sampai:
        dari, sampai = sampai, dari
    return Selection(
        dari=dari,
        sampai=sampai,
        status=tuple(status),
        opd=tuple(opd),
        sektor=tuple(sektor),
        kanal=tuple(kanal),
        wilayah=tuple(wilayah),
        prioritas=tuple(prioritas),
        klasifikasi=tuple(klas),
        sla=tuple(sla),
        q=q.strip(),
        historis=historis,
        urut=urut,
        naik=naik,
    )


def active_filters(sel: Selection, lookups: Lookups, loc: Locale) -> list[tuple[str, str]]:
    """The active filters, each as (its name for ``Selection.without``, its words: 'Sektor: Kesehatan')."""
    none = loc.t("exp.none")
    opd_table = lookups.opd_own if sel.historis else lookups.opd
    parts = []
    if sel.dari or sel.sampai:
        days = (f"{sel.dari:%d-%m-%Y}" if sel.dari else "…") + " – " + (f"{sel.sampai:%d-%m-%Y}" if sel.sampai else "…")
        parts.append((DATES, f"{loc.t('exp.received')}: {days}"))
    named = (  # (URL parameter, label, values, name of a value)
        ("status", "exp.status", sel.status, lambda v: loc.label("status", v)),
        ("opd", "exp.opd", sel.opd, lambda v: opd_table.get(v, (0, v))[1]),
        ("sektor", "exp.sector", sel.sektor, lambda v: lookups.sektor.get(v, v)),
        ("wilayah", "exp.region", sel.wilayah, lambda v: lookups.wilayah.get(v, v)),
        ("kanal", "exp.channel", sel.kanal, lambda v: lookups.kanal.get(v, v)),
        ("prioritas", "exp.priority", sel.prioritas, lambda v: loc.label("priority", v)),
        ("klasifikasi", "exp.classification", sel.klasifikasi, lambda v: loc.label("class", v)),
        ("sla", "exp.sla", sel.sla, lambda v: loc.label("sla", v)),
    )
    for param, key, values, name in named:
        if values:
            parts.append((param, f"{loc.t(key)}: " + ", ".join(none if v == NONE_CODE else name(v) for v in values)))
    if sel.q:
        parts.append(("q", f"“{sel.q}”"))
    return parts


def describe(sel: Selection, lookups: Lookups, loc: Locale) -> str:
    """The active filters in words, e.g. 'Sektor: Kesehatan · Status tenggat: Terlambat'."""
    return " · ".join(text for _, text in active_filters(sel, lookups, loc))


def _chips(sel: Selection, lookups: Lookups, loc: Locale) -> None:
    """The active filters as chips: a click on one removes that filter (the URL changes, the list follows)."""
    active = active_filters(sel, lookups, loc)
    if not active:
        return
    with st.container(horizontal=True, key="exp-chips", gap="small"):
        for name, text in active:
            if st.button(
                md_literal(text), key=f"exp-chip-{name}", icon=":material/close:", help=loc.t("exp.chip_remove")
            ):
                _go(sel.without(name))
        st.page_link(
            "pages/complaint.py", label=loc.t("exp.reset"), icon=":material/filter_alt_off:", query_params=_kept()
        )


KEPT_PARAMS = ("lang",)
"""URL parameters that are not filters and survive a change of filters (the page's language)."""


def _kept() -> dict[str, str]:
    return {k: st.query_params[k] for k in KEPT_PARAMS if k in st.query_params}


def _go(sel: Selection, **extra: str) -> None:
    """Show ``sel`` (and ``extra`` parameters, e.g. a ticket): the URL changes, the page follows."""
    st.query_params.from_dict({**sel.to_params(), **_kept(), **extra})
    st.rerun()


def _table(df: pd.DataFrame, loc: Locale) -> pd.DataFrame:
    """The list's columns, what a reader acts on first (ticket, status, deadline, OPD) on the left."""
    return pd.DataFrame(
        {
            loc.t("rapor.col_ticket"): df["ticket"].astype(str),
            loc.t("rapor.col_status"): df["status"].map(lambda s: loc.label("status", s)),
            loc.t("rapor.col_sla"): df["sla_state"].map(lambda s: MISSING if is_missing(s) else loc.label("sla", s)),
            loc.t("rapor.col_deadline"): df["deadline"].map(lambda d: MISSING if is_missing(d) else f"{d:%d-%m-%Y}"),
            loc.t("rapor.opd"): df["opd"].fillna(loc.t("opd.unassigned")),
            loc.t("rapor.col_title"): df["title"].map(plain_text),
            loc.t("rapor.col_received"): df["received_at"].map(fmt_wita),
            loc.t("exp.col.sector"): df["sector"].fillna(MISSING),
            loc.t("exp.col.region"): df["region"].fillna(MISSING),
            loc.t("rapor.col_late"): df["overdue_wd"],
        }
    )


def picked_ticket(event, tickets: list[str]) -> str | None:
    """The ticket of the row a click selected in the list (a cell or the row), None without a selection."""
    selection = (event or {}).get("selection", {}) if isinstance(event, dict) else getattr(event, "selection", {})
    rows = list(selection.get("rows", [])) + [cell[0] for cell in selection.get("cells", [])]
    return tickets[rows[0]] if rows and 0 <= rows[0] < len(tickets) else None


def export_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The exported list: no reporter data, codes as stored, times in WITA (``exports`` formats them)."""
    return df[
        [
            "ticket",
            "received_at",
            "title",
            "sector",
            "region",
            "channel",
            "opd",
            "status",
            "priority",
            "classification",
            "sla_state",
            "overdue_wd",
        ]
    ].rename(
        columns={
            "ticket": "tiket",
            "received_at": "diterima_wita",
            "title": "judul",
            "sector": "sektor",
            "region": "kabupaten_kota",
            "channel": "kanal",
            "status": "status",
            "priority": "prioritas",
            "classification": "klasifikasi",
            "sla_state": "status_tenggat",
            "overdue_wd": "terlambat_hari_kerja",
        }
    )


def render(loc: Locale, now: dt.datetime) -> None:
    """The explorer at the run's clock ``now`` (the SLA states of the list are computed at it)."""
    head = st.columns([3, 1], vertical_alignment="bottom")
    head[0].title(loc.t("exp.title"))
    ticket = (
        head[1]
        .text_input(loc.t("aduan.ask_ticket"), key="aduan-ticket", max_chars=60, placeholder=loc.t("exp.ticket_hint"))
        .strip()
    )
    if ticket:
        _go(Selection(), tiket=ticket)
    ref = fetch(lookup.reference_codes)
    components.stale_warning([ref], loc)
    if not ref.has_data:
        st.stop()
    lookups = Lookups.from_frame(ref.data)
    sel, notes = parse_params(st.query_params.to_dict(), lookups)
    if notes:
        st.warning(loc.t("exp.bad_param", detail=md_literal(", ".join(notes))), icon=":material/filter_alt_off:")
    current_opds = ref.data[(ref.data["kind"] == "opd") & ref.data["current"]]
    _chips(sel, lookups, loc)
    picked = _filter_form(sel, lookups, current_opds, wita_date(now), loc)
    if picked is not None:
        _go(picked)

    flt = sel.to_filter(lookups)
    sort = dict(sort=sel.urut, descending=not sel.naik)
    rules = sla_rules()
    result = fetch(search.search_page, flt, now=now, rules=rules, page=sel.hal, page_size=PAGE_SIZE, **sort)
    components.stale_warning([result], loc)
    if not result.has_data:
        st.stop()
    n, page_rows = result.data
    n = int(n)
    pages = max(1, math.ceil(n / PAGE_SIZE))
    st.subheader(loc.tn("exp.count", n))
    if n == 0:
        st.info(loc.t("exp.no_match"))
        return
    st.caption(loc.t("exp.open_hint"))
    event = st.dataframe(
        _table(page_rows, loc),
        hide_index=True,
        width="stretch",
        key="exp-table",
        on_select="rerun",
        selection_mode=["single-cell", "single-row"],
        column_config={loc.t("rapor.col_title"): st.column_config.TextColumn(width="medium")},
    )
    ticket = picked_ticket(event, page_rows["ticket"].astype(str).tolist())
    if ticket:  # one click opens it here, in the same tab; the detail's "back" link returns to this view
        _go(sel, tiket=ticket)
    nav = st.columns([1, 2, 1])
    if nav[0].button(loc.t("exp.prev"), disabled=sel.hal <= 1, key="exp-prev", icon=":material/chevron_left:"):
        _go(sel.with_page(sel.hal - 1))
    nav[1].caption(loc.t("exp.page", page=min(sel.hal, pages), pages=pages))
    if nav[2].button(loc.t("exp.next"), disabled=sel.hal >= pages, key="exp-next", icon=":material/chevron_right:"):
        _go(sel.with_page(sel.hal + 1))

    def full_list() -> pd.DataFrame:
        everything = fetch(search.search_complaints, flt, now=now, rules=rules, page=1, page_size=EXPORT_MAX, **sort)
        return export_frame(everything.data if everything.has_data else page_rows.iloc[0:0])

    e = st.columns([1, 1, 2])
    e[0].download_button(
        loc.t("exp.export_csv"),
        lambda: exports.to_csv_bytes(full_list()),
        file_name="aduan.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
    e[1].download_button(
        loc.t("exp.export_xlsx"),
        lambda: exports.to_xlsx_bytes({"aduan": full_list()}),
        file_name="aduan.xlsx",
        on_click="ignore",
        icon=":material/download:",
    )
    if n > EXPORT_MAX:
        e[2].caption(loc.t("exp.export_cap", n=loc.num(EXPORT_MAX)))


__all__ = ["explorer_link", "export_frame", "render"]
