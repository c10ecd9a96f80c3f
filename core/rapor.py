"""The rapor OPD: grades, the rules text and the PDF document, shared by `kepatuhan` and the alert worker.

Both make the same PDF from the same figures (queries.scorecard.opd_scorecard and
queries.overdue.open_complaints), so what an OPD receives by mail is what the advisers see on the page.
"""

from __future__ import annotations

import pandas as pd

from core.locale import Locale
from core.settings import value
from core.timefmt import MISSING

GRADES = ("A", "B", "C", "D")
GRADE_THRESHOLDS = ((90.0, "A"), (75.0, "B"), (50.0, "C"))


def distinct_names(names: pd.Series, codes: pd.Series) -> pd.Series:
    """OPD names as shown, with its code added to each name that two OPDs share (a national instance has a
    "Dinkes Bima" of the regency and of the city): in the rapor the adviser must tell them apart, and plotly
    draws one bar per label, so two OPDs would become one."""
    shared = names.duplicated(keep=False)
    return names.where(~shared, names + " (" + codes.astype(str) + ")")


def grade(response_on_time_pct, breached_now: int) -> str | None:
    """A: >= 90% of the decided responses on time, B: >= 75%, C: >= 50%, else D; one grade lower with any
    complaint breached now, two with five or more. None without a share (too few decided stages: see
    ``with_grades``). Give the exact share (``exact_share_pct``): 188 of 209 is 89.95 %, shown as 90.0 % but a B."""
    if response_on_time_pct is None or pd.isna(response_on_time_pct):
        return None
    base = next((g for limit, g in GRADE_THRESHOLDS if response_on_time_pct >= limit), "D")
    drop = 2 if breached_now >= 5 else 1 if breached_now > 0 else 0
    return GRADES[min(len(GRADES) - 1, GRADES.index(base) + drop)]


def exact_share_pct(on_time, decided):
    """100 * on_time / decided, unrounded (None when no stage is decided)."""
    return None if not decided or pd.isna(decided) else 100.0 * int(on_time) / int(decided)


def min_decided() -> int:
    """The decided stages a share or a grade needs (setting ``NTBCARE_RAPOR_MIN_DECIDED``)."""
    return int(value("NTBCARE_RAPOR_MIN_DECIDED"))


def with_grades(rapor: pd.DataFrame, minimum: int | None = None) -> pd.DataFrame:
    """The rapor with its grades, taken from the exact shares (the shown percentages are rounded).

    A share needs ``minimum`` decided stages (default: the setting); below it the share is missing and the
    grade None ("belum dinilai", ``grade_reason`` says why). ``graded`` says whether the grade could be given.
    """
    minimum = min_decided() if minimum is None else int(minimum)
    out = rapor.copy()
    for stage in ("response", "completion"):
        out[f"{stage}_on_time_pct"] = out[f"{stage}_on_time_pct"].where(out[f"{stage}_decided"] >= minimum)
    out["graded"] = out["response_decided"] >= minimum
    out["grade"] = [
        grade(exact_share_pct(n, d), int(b)) if ok else None
        for n, d, b, ok in zip(
            out["responded_on_time"], out["response_decided"], out["breached"], out["graded"], strict=True
        )
    ]
    return out


def has_grade(value) -> bool:
    """Whether a rapor cell holds a grade (a missing one may read None or NaN, as pandas keeps it)."""
    return isinstance(value, str) and value in GRADES


def grade_reason(row, loc: Locale, minimum: int | None = None) -> str:
    """One line that says why a rapor row has its grade, or why it has none:
    "D: 3 terlambat kini; 4 dari 10 dijawab tepat waktu" or "belum dinilai: kurang dari 5 tahap selesai (baru 2)"."""
    minimum = min_decided() if minimum is None else int(minimum)
    if not has_grade(row.get("grade")):
        return loc.t("grade.reason_none", min=minimum, decided=int(row["response_decided"]))
    parts = [loc.t("grade.reason_breached", n=int(row["breached"]))] if int(row["breached"]) > 0 else []
    parts.append(loc.t("grade.reason_share", n=int(row["responded_on_time"]), of=int(row["response_decided"])))
    return f"{row['grade']}: " + "; ".join(parts)


def share_text(row, stage: str, loc: Locale) -> str:
    """A rapor share as shown: "87,5%", "menunggu" (nothing decided yet, something waiting) or "belum dinilai"."""
    pct = row[f"{stage}_on_time_pct"]
    if pct is not None and not pd.isna(pct):
        return loc.pct(pct / 100, 1)
    if int(row[f"{stage}_decided"]) == 0 and int(row[f"{stage}_waiting"]) > 0:
        return loc.t("grade.waiting")
    if int(row[f"{stage}_decided"]) == 0:
        return MISSING
    return loc.t("grade.none")


def export_frame(rapor: pd.DataFrame) -> pd.DataFrame:
    """The rapor as its downloads hold it (the advisers' XLSX/CSV and the public open data): the OPD code as
    ``kode_opd``, no internal ids (nor the ``graded`` flag: an empty grade says it)."""
    out = rapor.drop(columns=[c for c in ("opd_id", "graded") if c in rapor.columns])
    return out.rename(columns={"opd_code": "kode_opd"})


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
    """One PDF section per OPD of the rapor (or of ``opd_ids``): its figures and breached complaints; the
    complaints not dispatched to an OPD yet (the rapor's last row) in a section of their own, without a grade."""
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

        figures = [
            (loc.t("rapor.dispatched"), int(r["dispatched"])),
            (
                loc.t("rapor.responded_on_time"),
                f"{int(r['responded_on_time'])} / {int(r['response_decided'])} ({share_text(r, 'response', loc)})",
            ),
            (loc.t("rapor.waiting"), int(r["response_waiting"])),
            (
                loc.t("rapor.completed_on_time"),
                f"{int(r['completed_on_time'])} / {int(r['completion_decided'])} ({share_text(r, 'completion', loc)})",
            ),
            (loc.t("rapor.median_response"), loc.num_short(r["median_response_wd"], 1)),
            (loc.t("rapor.open"), int(r["open"])),
            (loc.t("rapor.breached"), int(r["breached"])),
            (loc.t("rapor.at_risk"), int(r["at_risk"])),
            (loc.t("rapor.oldest"), MISSING if pd.isna(r["oldest_breached_wd"]) else int(r["oldest_breached_wd"])),
            (
                loc.t("rapor.grade"),
                grade_reason(r, loc) if "graded" in r and pd.notna(r["opd_id"]) else (r.get("grade") or MISSING),
            ),
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
