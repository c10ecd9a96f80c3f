"""The view of page `aduan`: the complaint explorer (`aduan?status=...`, see dashboard.explorer.url) and one complaint by
ticket (`aduan?tiket=...`): fields, SLA stages and timeline. Layout only.

Citizen text is shown through non-HTML elements (st.text, dataframes), never as markdown.
"""

import pandas as pd
import streamlit as st

from core.textsafe import md_literal, plain_text
from core.timefmt import MISSING, fmt_wita, is_missing
from dashboard import access_ui, components, params
from dashboard.data import fetch, sla_rules
from dashboard.explorer import listing
from dashboard.pagectx import page_context
from queries import complaint


def render() -> None:
    """Lay the page out (called by its file in pages/)."""
    ctx = page_context()
    loc = ctx.locale
    viewer = access_ui.require("aduan", loc)  # who may open it, who sees the reporter: dashboard/access.py
    ticket = params.Reader(st.query_params.to_dict()).text("tiket", 60)  # bounded: dashboard/params.py
    if not ticket:  # no ticket asked: the explorer
        listing.render(loc, ctx.now)
        st.stop()
    back = {k: v for k, v in st.query_params.to_dict().items() if k != "tiket"}  # the list it was opened from
    st.page_link("pages/complaint.py", label=loc.t("exp.back"), query_params=back)

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

    with st.container(key="aduan-fields"):
        for row in _field_rows(detail_fields(c, loc)):
            for col, (label, value) in zip(st.columns(len(row)), row, strict=True):
                col.caption(label)
                col.text(value)  # names and codes from the database: text, never markdown
    st.caption(loc.t("aduan.body"))
    body = plain_text(c["body"]) or MISSING
    with st.container(height=360 if len(body) > 3000 else "content"):  # a very long text scrolls in its own box
        st.text(body)
    access_ui.reporter_block(c, viewer, loc)

    st.subheader(loc.t("aduan.stages"))
    st.dataframe(stage_table(c, loc), hide_index=True, width="stretch")

    timeline = fetch(complaint.complaint_timeline, int(c["id"]))
    if timeline.has_data:
        st.subheader(loc.t("aduan.timeline"))
        st.dataframe(timeline_table(timeline.data, loc), hide_index=True, width="stretch")
        passed = [o for o in timeline.data["opd"].dropna().tolist()]
        st.caption(loc.t("aduan.opds") + ": " + (md_literal(" → ".join(dict.fromkeys(passed))) if passed else MISSING))


FIELDS_PER_ROW = 5


def _text(value) -> str:
    return MISSING if is_missing(value) or value == "" else str(value)


def detail_fields(c, loc) -> list[tuple[str, str]]:
    """The complaint's facts as (catalogue label, value): shown as a grid of labelled values, not a table."""
    return [
        (loc.t("rapor.col_status"), loc.label("status", c["status"])),
        (loc.t("rapor.col_sla"), MISSING if is_missing(c["sla_state"]) else loc.label("sla", c["sla_state"])),
        (loc.t("rapor.opd"), _text(c["opd_own"])),
        (loc.t("rapor.col_received"), fmt_wita(c["received_at"])),
        (loc.t("rapor.col_dispatched"), fmt_wita(c["dispatched_at"])),
        (loc.t("exp.channel"), _text(c["channel"])),
        (loc.t("exp.sector"), _text(c["sector"])),
        (loc.t("exp.region"), _text(c["region"])),
        (loc.t("exp.classification"), loc.label("class", c["classification"])),
        (loc.t("exp.priority"), loc.label("priority", c["priority"])),
    ]


def _field_rows(fields: list, per_row: int = FIELDS_PER_ROW) -> list[list]:
    return [fields[i : i + per_row] for i in range(0, len(fields), per_row)]


def stage_table(c, loc) -> pd.DataFrame:
    """One row per SLA stage: its deadline, state and working days late (``–`` where a stage does not apply)."""
    rows = []
    for stage in ("dispatch", "response", "completion"):
        state = None if is_missing(c[f"{stage}_state"]) else c[f"{stage}_state"]
        deadline = c[f"{stage}_deadline"] if state else None  # no deadline for a stage that does not apply
        late = c[f"{stage}_late_by"]
        rows.append(
            {
                loc.t("aduan.col_stage"): loc.t(f"aduan.stage.{stage}"),
                loc.t("rapor.col_deadline"): MISSING if is_missing(deadline) else deadline.strftime("%d-%m-%Y"),
                loc.t("rapor.col_sla"): loc.label("sla", state) if state else MISSING,
                loc.t("rapor.col_late"): MISSING if is_missing(late) else str(int(late)),
            }
        )
    return pd.DataFrame(rows)


def timeline_table(tl: pd.DataFrame, loc) -> pd.DataFrame:
    """The complaint's events, oldest first: when (WITA), what (catalogue label), which OPD, the note as text."""
    return pd.DataFrame(
        {
            loc.t("aduan.col_when"): tl["occurred_at"].map(lambda v: fmt_wita(v, "%d-%m-%Y %H:%M")),
            loc.t("aduan.col_event"): tl["kind"].map(lambda k: loc.label("kind", k)),
            loc.t("rapor.opd"): tl["opd"].fillna(MISSING),
            loc.t("aduan.note"): tl["note"].map(plain_text),
        }
    )
