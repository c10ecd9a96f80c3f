"""Exports that are safe to open in Excel: CSV, XLSX and the printable PDF "Rapor OPD".

- No reporter names or contacts: callers pass frames built without them, and ``drop_personal`` removes
  those columns anyway.
- Spreadsheet formula injection: text that starts with =, +, -, @, tab or carriage return is prefixed
  with an apostrophe, so Excel shows it as text instead of running it.
- XLSX cells: control characters that XML (and so Excel) refuses become U+FFFD, and text longer than
  Excel's cell limit (32,767 UTF-16 code units) is cut at a character boundary and ends with "…".
  CSV keeps every character.
- Citizen text (``CITIZEN_TEXT`` columns, PDF titles) is written as text by ``core.textsafe.plain_text``:
  ``<br>``/``<p>`` as line breaks, entities decoded, other tags as the characters they are.
- Times are written in WITA.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from core.codes import WITA
from core.textsafe import FORMULA_START, neutralise, plain_text  # noqa: F401 - part of this module's interface
from core.timefmt import is_missing

PERSONAL = ("reporter_name", "reporter_contact")

# citizen text, written as the text it means (``core.textsafe.plain_text``: <br> as line breaks, entities
# decoded); the columns' names in the frames and in the explorer's export
CITIZEN_TEXT = ("title", "body", "note", "judul", "isi", "catatan")
XLSX_CELL_MAX = 32_767  # Excel's limit on the length of a cell, in UTF-16 code units
PDF_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl refuses (IllegalCharacterError)
FONT_CANDIDATES = [
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
]


def xlsx_text(value):
    """A text cell that Excel accepts: no XML-illegal control characters, at most ``XLSX_CELL_MAX`` UTF-16
    units (cut between characters, never inside an emoji's surrogate pair, "…" at the end)."""
    if not isinstance(value, str):
        return value
    value = XML_ILLEGAL.sub("\ufffd", value)
    if len(value) + sum(1 for ch in value if ord(ch) > 0xFFFF) <= XLSX_CELL_MAX:
        return value
    units, cut = 0, len(value)
    for i, ch in enumerate(value):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > XLSX_CELL_MAX - 1:  # room for the ellipsis
            cut = i
            break
    return value[:cut] + "…"


def drop_personal(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=[c for c in PERSONAL if c in df.columns])


def spreadsheet_frame(df: pd.DataFrame, xlsx: bool = False) -> pd.DataFrame:
    """Personal columns dropped, timestamps as WITA text, every text cell neutralised (and, for ``xlsx``,
    made acceptable to Excel first: see ``xlsx_text``)."""
    out = drop_personal(df).copy()
    for col in out.columns:
        if col in CITIZEN_TEXT:
            out[col] = out[col].map(lambda v: None if v is None or is_missing(v) else plain_text(v))
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_convert(WITA).dt.strftime("%Y-%m-%d %H:%M").where(out[col].notna(), None)
        elif out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: xlsx_text(neutralise(v))) if xlsx else out[col].map(neutralise)
    return out


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark (Excel then reads Indonesian and other scripts correctly).

    Rows end with CRLF (RFC 4180), which also makes every field holding a CR or LF quoted: with pandas'
    default LF ending, a lone CR in a title stayed unquoted and Excel broke the row there."""
    return spreadsheet_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def to_xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for name, df in sheets.items():
            spreadsheet_frame(df, xlsx=True).to_excel(writer, sheet_name=name[:31], index=False)
            ws = writer.sheets[name[:31]]
            for col in ws.columns:
                width = max((min(len(str(c.value)), 60) for c in col if c.value is not None), default=8)
                ws.column_dimensions[col[0].column_letter].width = min(60, max(8, width + 2))
    return buf.getvalue()


FIGURE_WIDTHS = (80, 110)  # the rapor's figures: label, value (mm; A4 portrait has 190 mm between margins)
LIST_WIDTHS = (32, 94, 20, 20, 24)  # the breached list: ticket, title, received, deadline, late (working days)


def cell_lines(pdf, value: str, width: float) -> list[str]:
    """The lines ``value`` takes in a cell ``width`` mm wide at the current font (fpdf2 measures the glyphs)."""
    return pdf.multi_cell(width, 1, value, dry_run=True, output="LINES")


def fit_line(pdf, value: str, width: float) -> str:
    """``value`` cut (ending in "...") to fit one line of a cell ``width`` mm wide at the current font."""
    room = width - 2 * pdf.c_margin
    if pdf.get_string_width(value) <= room:
        return value
    value = value[:400]  # no line of a cell holds more; measuring stays cheap for a huge title
    while value and pdf.get_string_width(value + "...") > room:
        value = value[:-1]
    return value + "..."


def table_row(pdf, values, widths, line_h: float, aligns=None, border: str = "1") -> None:
    """One table row whose cells hold their text: each cell wraps within its width, the row is as tall as its
    tallest cell (a header such as "Terlambat (hk)" wraps instead of spilling into its neighbour)."""
    lines = [cell_lines(pdf, v, w) for v, w in zip(values, widths, strict=True)]
    height = line_h * max(len(ls) for ls in lines)
    if pdf.will_page_break(height):
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y()
    for v, w, a in zip(values, widths, aligns or ("L",) * len(widths), strict=True):
        if border == "1":
            pdf.rect(x, y, w, height)
        pdf.set_xy(x, y)
        pdf.multi_cell(w, line_h, v, align=a)
        x += w
    if border == "B":
        pdf.line(pdf.l_margin, y + height, x, y + height)
    pdf.set_xy(pdf.l_margin, y + height)


def _font_path() -> Path | None:
    return next((p for p in FONT_CANDIDATES if p.exists()), None)


def rapor_pdf(
    sections: list[dict],
    period_label: str,
    rules_text: str,
    generated_at: dt.datetime,
    labels: dict[str, str],
    progress: Callable[[float], None] | None = None,
) -> bytes:
    """The printable "Rapor OPD": one section (page) per OPD.

    Each section: {"opd": name, "figures": [(label, value), ...], "breached": DataFrame with ticket, title,
    received_at, deadline, overdue_wd, status}. ``labels`` holds the headings (from the i18n catalogue).
    """
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    font = _font_path()
    if font:
        pdf.add_font("Body", "", str(font))
        family = "Body"
    else:
        family = "Helvetica"

    def text(value) -> str:
        s = "–" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
        s = PDF_CONTROL.sub(" ", s)  # tabs, CR and other control characters have no glyph
        return s if font else s.encode("latin-1", "replace").decode("latin-1")

    stamp = generated_at.astimezone(WITA).strftime("%d-%m-%Y %H:%M WITA")
    for n, sec in enumerate(sections, start=1):
        pdf.add_page()
        pdf.set_font(family, size=16)
        pdf.multi_cell(0, 8, text(f"{labels['title']} — {sec['opd']}"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, size=10)
        pdf.multi_cell(0, 5, text(f"{labels['period']}: {period_label}"), new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 5, text(f"{labels['generated']}: {stamp}"), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font(family, size=11)
        for label, value in sec["figures"]:
            table_row(pdf, (text(label), text(value)), FIGURE_WIDTHS, 6, ("L", "R"), border="B")
        pdf.ln(4)
        breached: pd.DataFrame = sec["breached"]
        pdf.set_font(family, size=12)
        pdf.multi_cell(0, 6, text(f"{labels['breached_list']} ({len(breached)})"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, size=8)
        table_row(pdf, [text(h) for h in labels["columns"]], LIST_WIDTHS, 4)
        for r in breached.itertuples(index=False):
            received = (
                pd.Timestamp(r.received_at).tz_convert(WITA).strftime("%d-%m-%Y") if pd.notna(r.received_at) else "–"
            )
            deadline = r.deadline.strftime("%d-%m-%Y") if r.deadline is not None and not pd.isna(r.deadline) else "–"
            title = fit_line(pdf, text(plain_text(r.title).replace("\n", " ")), LIST_WIDTHS[1])  # one line
            table_row(pdf, [text(v) for v in (r.ticket, title, received, deadline, r.overdue_wd)], LIST_WIDTHS, 4)
        pdf.ln(4)
        pdf.set_font(family, size=8)
        pdf.multi_cell(0, 4, text(rules_text), align="L", new_x="LMARGIN", new_y="NEXT")
        if progress:
            progress(n / len(sections))
    return bytes(pdf.output())
