"""The rapor OPD: grades, the rules text and the PDF document, shared by `kepatuhan` and the alert worker.

Both make the same PDF from the same figures (queries.scorecard.opd_scorecard and
queries.overdue.open_complaints), so what an OPD receives by mail is what the advisers see on the page.
"""
from __future__ import annotations

import pandas as pd

from core.i18n import t

GRADES = ("A", "B", "C", "D")
GRADE_THRESHOLDS = ((90.0, "A"), (75.0, "B"), (50.0, "C"))


def grade(response_on_time_pct, breached_now: int) -> str | None:
    """A: >= 90% of dispatched complaints answered on time, B: >= 75%, C: >= 50%, else D; one grade lower
    with any complaint breached now, two with five or more. None when nothing was dispatched and nothing
    is late."""
    if response_on_time_pct is None or pd.isna(response_on_time_pct):
        return "D" if breached_now > 0 else None
    base = next((g for limit, g in GRADE_THRESHOLDS if response_on_time_pct >= limit), "D")
    drop = 2 if breached_now >= 5 else 1 if breached_now > 0 else 0
    return GRADES[min(len(GRADES) - 1, GRADES.index(base) + drop)]


def with_grades(rapor: pd.DataFrame) -> pd.DataFrame:
    out = rapor.copy()
    out["grade"] = [grade(p, int(b)) for p, b in zip(out["response_on_time_pct"], out["breached"])]
    return out


def rules_text(rules, lang: str) -> str:
    return t("sla.rules", lang, dispatch=rules.dispatch_days, response=rules.response_days,
             aspirasi=rules.completion_days["aspirasi"], pengaduan=rules.completion_days["pengaduan"],
             pengawasan=rules.completion_days["pengaduan_pengawasan"],
             anchor=t(f"sla.anchor.{rules.completion_anchor}", lang), at_risk=rules.at_risk_days)


def pdf_sections(rapor: pd.DataFrame, open_late: pd.DataFrame, lang: str, opd_ids: list | None = None) -> list[dict]:
    """One PDF section per OPD of the rapor (or of ``opd_ids``): its figures and breached complaints."""
    if opd_ids is None:
        rows = rapor
    else:
        wanted = [i for i in opd_ids if not pd.isna(i)]
        rows = rapor[rapor["opd_id"].isin(wanted) | (rapor["opd_id"].isna() & (len(wanted) < len(opd_ids)))]
    sections = []
    for r in rows.to_dict("records"):
        name = r["opd"] if isinstance(r["opd"], str) else t("opd.unassigned", lang)
        mine = open_late[(open_late["opd_id"] == r["opd_id"]) & (open_late["sla_state"] == "breached")] \
            if pd.notna(r["opd_id"]) else open_late[open_late["opd_id"].isna() & (open_late["sla_state"] == "breached")]

        def pct(v):
            return "–" if v is None or pd.isna(v) else f"{v:.1f}%"

        figures = [
            (t("rapor.dispatched", lang), int(r["dispatched"])),
            (t("rapor.responded_on_time", lang), f"{int(r['responded_on_time'])} ({pct(r['response_on_time_pct'])})"),
            (t("rapor.completed_on_time", lang), f"{int(r['completed_on_time'])} ({pct(r['completion_on_time_pct'])})"),
            (t("rapor.median_response", lang), "–" if pd.isna(r["median_response_wd"]) else f"{r['median_response_wd']:g}"),
            (t("rapor.open", lang), int(r["open"])), (t("rapor.breached", lang), int(r["breached"])),
            (t("rapor.at_risk", lang), int(r["at_risk"])),
            (t("rapor.oldest", lang), "–" if pd.isna(r["oldest_breached_wd"]) else int(r["oldest_breached_wd"])),
            (t("rapor.grade", lang), r.get("grade") or "–"),
        ]
        sections.append({"opd": name, "figures": figures,
                         "breached": mine[["ticket", "title", "received_at", "deadline", "overdue_wd", "status"]]})
    return sections


def pdf_labels(lang: str) -> dict:
    """The fixed texts of the rapor PDF in ``lang``."""
    return {"title": t("rapor.title", lang), "period": t("rapor.period", lang),
            "generated": t("rapor.generated", lang), "breached_list": t("rapor.breached_list", lang),
            "columns": [t(k, lang) for k in ("rapor.col_ticket", "rapor.col_title", "rapor.col_received",
                                             "rapor.col_deadline", "rapor.col_late")]}
