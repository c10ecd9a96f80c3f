"""The rapor OPD: grades, the rules text and the PDF document, shared by `kepatuhan` and the alert worker.

Both make the same PDF from the same figures (queries.scorecard.opd_scorecard and
queries.overdue.open_complaints), so what an OPD receives by mail is what the advisers see on the page.
"""

from __future__ import annotations

import pandas as pd

from core.locale import Locale

GRADES = ("A", "B", "C", "D")
GRADE_THRESHOLDS = ((90.0, "A"), (75.0, "B"), (50.0, "C"))


def grade(response_on_time_pct, breached_now: int) -> str | None:
    """A: >= 90% of dispatched complaints answered on time, B: >= 75%, C: >= 50%, else D; one grade lower
    with any complaint breached now, two with five or more. None when nothing was dispatched and nothing
    is late. Give the exact share (``exact_share_pct``): 188 of 209 is 89.95 %, shown as 90.0 % but a B."""
    if response_on_time_pct is None or pd.isna(response_on_time_pct):
        return "D" if breached_now > 0 else None
    base = next((g for limit, g in GRADE_THRESHOLDS if response_on_time_pct >= limit), "D")
    drop = 2 if breached_now >= 5 else 1 if breached_now > 0 else 0
    return GRADES[min(len(GRADES) - 1, GRADES.index(base) + drop)]


def exact_share_pct(on_time, dispatched):
    """100 * on_time / dispatched, unrounded (None when nothing was dispatched)."""
    return None if not dispatched or pd.isna(dispatched) else 100.0 * int(on_time) / int(dispatched)


def with_grades(rapor: pd.DataFrame) -> pd.DataFrame:
    """The rapor with its grades, taken from the exact shares (the shown percentages are rounded)."""
    out = rapor.copy()
    out["grade"] = [
        grade(exact_share_pct(n, d), int(b))
        for n, d, b in zip(out["responded_on_time"], out["dispatched"], out["breached"])
    ]
    return out


def export_frame(rapor: pd.DataFrame) -> pd.DataFrame:
    """The rapor as its downloads hold it (the advisers' XLSX/CSV and the public open data): the OPD code as
    ``kode_opd``, no internal ids."""
    return rapor.drop(columns=["opd_id"]).rename(columns={"opd_code": "kode_opd"})


def rules_text(rules, loc: Locale) -> str:
    return loc.t(
        "sla.rules",
        dispatch=rules.dispatch_days,
        response=rules.response_days,
        aspirasi=rules.completion_days["aspirasi"],
        pengaduan=rules.completion_days["pengaduan"],
        pengawasan=rules.completion_days["pengaduan_pengawasan"],
        anchor=loc.t(f"sla.anchor.{rules.completion_anchor}"),
        at_risk=rules.at_risk_days,
    )


def pdf_sections(rapor: pd.DataFrame, open_late: pd.DataFrame, loc: Locale, opd_ids: list | None = None) -> list[dict]:
    """One PDF section per OPD of the rapor (or of ``opd_ids``): its figures and breached complaints."""
    if opd_ids is None:
        rows = rapor
    else:
        wanted = [i for i in opd_ids if not pd.isna(i)]
        rows = rapor[rapor["opd_id"].isin(wanted) | (rapor["opd_id"].isna() & (len(wanted) < len(opd_ids)))]
    sections = []
    for r in rows.to_dict("records"):
        name = r["opd"] if isinstance(r["opd"], str) else loc.t("opd.unassigned")
        mine = (
            open_late[(open_late["opd_id"] == r["opd_id"]) & (open_late["sla_state"] == "breached")]
            if pd.notna(r["opd_id"])
            else open_late[open_late["opd_id"].isna() & (open_late["sla_state"] == "breached")]
        )

        def pct(v):
            return "–" if v is None or pd.isna(v) else loc.num(v, 1) + "%"

        figures = [
            (loc.t("rapor.dispatched"), int(r["dispatched"])),
            (loc.t("rapor.responded_on_time"), f"{int(r['responded_on_time'])} ({pct(r['response_on_time_pct'])})"),
            (loc.t("rapor.completed_on_time"), f"{int(r['completed_on_time'])} ({pct(r['completion_on_time_pct'])})"),
            (loc.t("rapor.median_response"), loc.num_short(r["median_response_wd"], 1)),
            (loc.t("rapor.open"), int(r["open"])),
            (loc.t("rapor.breached"), int(r["breached"])),
            (loc.t("rapor.at_risk"), int(r["at_risk"])),
            (loc.t("rapor.oldest"), "–" if pd.isna(r["oldest_breached_wd"]) else int(r["oldest_breached_wd"])),
            (loc.t("rapor.grade"), r.get("grade") or "–"),
        ]
        sections.append(
            {
                "opd": name,
                "figures": figures,
                "breached": mine[["ticket", "title", "received_at", "deadline", "overdue_wd", "status"]],
            }
        )
    return sections


def pdf_labels(loc: Locale) -> dict:
    """The fixed texts of the rapor PDF in ``loc``."""
    return {
        "title": loc.t("rapor.title"),
        "period": loc.t("rapor.period"),
        "generated": loc.t("rapor.generated"),
        "breached_list": loc.t("rapor.breached_list"),
        "columns": [
            loc.t(k)
            for k in (
                "rapor.col_ticket",
                "rapor.col_title",
                "rapor.col_received",
                "rapor.col_deadline",
                "rapor.col_late",
            )
        ],
    }
