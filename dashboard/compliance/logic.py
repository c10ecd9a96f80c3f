"""The compliance page's own logic (no Streamlit): links from the rapor into the explorer.

Periods live in core.periods and grades, the rules text and the PDF in core.rapor (the alert worker sends
the same rapor); they are re-exported here because the page and its tests use them as one feature.
"""

from __future__ import annotations

import pandas as pd

from core.periods import PERIODS, Period, resolve_period  # noqa: F401 - this feature's interface
from core.rapor import GRADES, exact_share_pct, export_frame, grade, pdf_labels, pdf_sections, rules_text, with_grades  # noqa: F401
from dashboard.explorer.url import OPEN_ALIAS, code_or_none


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
