"""The compliance page's logic: periods, grades, the rules text, and the PDF sections (no Streamlit)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from dashboard.config import WITA
from dashboard.explorer import OPEN_ALIAS, code_or_none
from dashboard.i18n import t

PERIODS = ("bulan_ini", "bulan_lalu", "tahun_ini", "rentang")
GRADES = ("A", "B", "C", "D")
GRADE_THRESHOLDS = ((90.0, "A"), (75.0, "B"), (50.0, "C"))


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day, inclusive
    end: dt.date  # last day, inclusive

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00 WITA, day after end 00:00 WITA) as aware datetimes."""
        return (dt.datetime.combine(self.start, dt.time(), WITA),
                dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), WITA))

    def label(self) -> str:
        return f"{self.start:%d-%m-%Y} s.d. {self.end:%d-%m-%Y}"


def resolve_period(choice: str, today: dt.date, start: dt.date | None = None, end: dt.date | None = None) -> Period:
    """The period for a choice; a custom range is clipped to be non-empty and ordered."""
    if choice == "bulan_lalu":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return Period(last.replace(day=1), last)
    if choice == "tahun_ini":
        return Period(today.replace(month=1, day=1), today)
    if choice == "rentang" and start and end:
        return Period(min(start, end), max(start, end))
    return Period(today.replace(day=1), today)


def explorer_params(opd_code, history: bool) -> dict[str, dict[str, str]]:
    """Explorer query parameters behind the rapor's now-figures of one OPD (``opd_code`` None: no OPD yet):
    the breached, at-risk and open complaints it holds now. Keys are the rapor's column names."""
    base = {"opd": code_or_none(opd_code), **({"historis": "1"} if history else {})}
    return {"breached": {**base, "sla": "breached"}, "at_risk": {**base, "sla": "at_risk"},
            "open": {**base, "status": OPEN_ALIAS}}


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
    out["grade"] = [grade(exact_share_pct(n, d), int(b))
                    for n, d, b in zip(out["responded_on_time"], out["dispatched"], out["breached"])]
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
