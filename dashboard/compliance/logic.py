"""The compliance page's own logic (no Streamlit): links from the rapor into the explorer.

Periods live in core.periods and grades, the rules text and the PDF in core.rapor (the alert worker sends
the same rapor); they are re-exported here because the page and its tests use them as one feature.
"""

from __future__ import annotations

import re

import pandas as pd

from core.periods import PERIODS, Period, resolve_period  # noqa: F401 - this feature's interface
from core.rapor import (  # noqa: F401 - this feature's interface
    GRADES,
    distinct_names,
    exact_share_pct,
    export_frame,
    grade,
    grade_reason,
    has_grade,
    min_decided,
    pdf_labels,
    pdf_sections,
    rules_text,
    share_text,
    with_grades,
)
from core.timefmt import MISSING
from dashboard.explorer.url import OPEN_ALIAS, code_or_none


def split_unassigned(rapor: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series | None]:
    """The OPD rows of the rapor, and apart from them the row of complaints not dispatched to any OPD yet."""
    apart = rapor["opd_id"].isna()
    opds = rapor[~apart].reset_index(drop=True)
    return opds, (rapor[apart].iloc[0] if apart.any() else None)


ALL_OPDS = "semua-OPD"  # in a download's file name: the rapor of every OPD
NO_OPD = "tanpa-OPD"  # in a download's file name: the complaints not dispatched to an OPD yet


def file_opd(opd_code) -> str:
    """The OPD part of a download's file name: its code, made safe for a file name."""
    if opd_code is None or pd.isna(opd_code):
        return ALL_OPDS
    return re.sub(r"[^A-Za-z0-9_-]+", "-", str(opd_code)).strip("-") or ALL_OPDS


def download_names(period, opd_code) -> dict[str, str]:
    """The file names of the page's downloads: each names its OPD (or "semua-OPD") and its period."""
    stamp = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    one = file_opd(opd_code)
    return {
        "rapor_xlsx": f"rapor-opd-{ALL_OPDS}-{stamp}.xlsx",
        "rapor_csv": f"rapor-opd-{ALL_OPDS}-{stamp}.csv",
        "late_xlsx": f"terlambat-{one}-{stamp}.xlsx",
        "late_csv": f"terlambat-{one}-{stamp}.csv",
        "pdf_one": f"rapor-opd-{one}-{stamp}.pdf",
        "pdf_all": f"rapor-opd-{ALL_OPDS}-{stamp}.pdf",
    }


def count_text(v) -> str:
    """A count as shown in a table: the number, or "–" when there is none."""
    return MISSING if v is None or pd.isna(v) else str(int(v))


RAPOR_ROWS = 15  # rows the rapor's grid shows at most; the rest scroll inside it (400 OPDs nationally)


def rapor_height(rows: int, late_opds: int) -> int:
    """The rapor grid's height in pixels: every late OPD (at least ten rows) without scrolling, as in NTB's
    57 OPDs, but never more than ``RAPOR_ROWS``: with hundreds of late OPDs the grid would be metres long and
    push the chart and the drill-down off every screen."""
    return 38 + 35 * min(rows, max(late_opds, 10), RAPOR_ROWS)


def rapor_view(rapor: pd.DataFrame, loc) -> pd.DataFrame:
    """The rapor as the adviser reads it first: per OPD its grade, why, and the figures that explain it, in the
    rapor's order (breached now first). Every cell is display text, a missing value "–"."""
    rows = rapor.to_dict("records")
    return pd.DataFrame(
        {
            loc.t("rapor.opd"): distinct_names(rapor["opd"], rapor["opd_code"]).tolist(),
            loc.t("kep.col_grade"): [r["grade"] if has_grade(r["grade"]) else MISSING for r in rows],
            loc.t("kep.reason"): [grade_reason(r, loc) for r in rows],
            loc.t("kep.col_breached"): [count_text(r["breached"]) for r in rows],
            loc.t("kep.col_oldest"): [count_text(r["oldest_breached_wd"]) for r in rows],
            loc.t("kep.col_share"): [share_text(r, "response", loc) for r in rows],
            loc.t("kep.col_waiting"): [count_text(r["response_waiting"]) for r in rows],
        },
        dtype=object,
    )


def rapor_full_view(rapor: pd.DataFrame, loc) -> pd.DataFrame:
    """Every figure of the rapor, as display text (the export holds the numbers)."""
    rows = rapor.to_dict("records")
    counts = {
        "rapor.dispatched": "dispatched",
        "rapor.responded_on_time": "responded_on_time",
        "rapor.completed_on_time": "completed_on_time",
        "rapor.open": "open",
        "rapor.at_risk": "at_risk",
    }
    out = {loc.t("rapor.opd"): [r["opd"] for r in rows]}
    for key, col in counts.items():
        out[loc.t(key)] = [count_text(r[col]) for r in rows]
    out[loc.t("rapor.completion_pct")] = [share_text(r, "completion", loc) for r in rows]
    out[loc.t("rapor.median_response")] = [loc.num_short(r["median_response_wd"]) for r in rows]
    return pd.DataFrame(out, dtype=object)


def explorer_params(opd_code, history: bool) -> dict[str, dict[str, str]]:
    """Explorer query parameters behind the rapor's now-figures of one OPD (``opd_code`` None: no OPD yet):
    the breached, at-risk and open complaints it holds now. Keys are the rapor's column names."""
    base = {"opd": code_or_none(opd_code), **({"historis": "1"} if history else {})}
    return {
        "breached": {**base, "sla": "breached"},
        "at_risk": {**base, "sla": "at_risk"},
        "open": {**base, "status": OPEN_ALIAS},
    }


OPEN_COLUMNS = ["opd_id", "sla_state", "ticket", "title", "received_at", "deadline", "overdue_wd", "status"]


def held_by_opd(open_complaints: pd.DataFrame | None) -> pd.DataFrame:
    """The selected OPD's open complaints (``queries.overdue.open_complaints``), or an empty frame of that shape."""
    return open_complaints if open_complaints is not None else pd.DataFrame(columns=OPEN_COLUMNS)


def export_frames(rapor: pd.DataFrame, held: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the rapor and late-list downloads hold: the rapor with the OPD code as ``kode_opd`` (no internal ids),
    and the OPD's breached and at-risk complaints."""
    rapor_export = export_frame(rapor)
    late = held[held["sla_state"].isin(["breached", "at_risk"])]
    return rapor_export, late.drop(columns=[c for c in ("id", "opd_id") if c in late.columns])
