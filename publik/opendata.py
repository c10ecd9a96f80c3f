"""The open data at `/publik/data/`: each complete month's rapor as CSV and JSON, exactly the advisers' export.

The frame is the one behind the advisers' XLSX download of that month (``core.rapor.export_frame`` of
``core.rapor.with_grades(queries.scorecard.opd_scorecard(...))``); the CSV is ``core.exports.to_csv_bytes`` of
it (what the advisers' CSV button gives) and the JSON holds the same header and cells.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re

import pandas as pd

from core import exports
from core.periods import Period
from core.rapor import export_frame
from publik.figures import rapor

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_period(text: str, today: dt.date) -> Period | None:
    """The complete month named ``YYYY-MM`` (None when malformed, in the future or still running)."""
    m = MONTH.match(text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    first = dt.date(int(m.group(1)), int(m.group(2)), 1)
    if first >= today.replace(day=1):
        return None
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return Period(first, last)


def months(first_day: dt.date | None, today: dt.date) -> list[str]:
    """Every complete month from the month of ``first_day`` to last month, newest first."""
    if first_day is None:
        return []
    out: list[str] = []
    day = today.replace(day=1)
    start = first_day.replace(day=1)
    while True:
        day = (day - dt.timedelta(days=1)).replace(day=1)
        if day < start:
            return out
        out.append(f"{day:%Y-%m}")


def month_frame(conn, period: Period, now: dt.datetime, rules) -> pd.DataFrame:
    """The rapor of ``period`` as the advisers download it."""
    return export_frame(rapor(conn, period, now, rules))


def to_csv(frame: pd.DataFrame) -> bytes:
    return exports.to_csv_bytes(frame)


def _cell(value):
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    return value


def to_json(frame: pd.DataFrame, month: str, licence: str, licence_url: str) -> bytes:
    """``{"month", "licence", "columns": [...header...], "rows": [{column: cell}]}`` (the CSV's header and cells;
    text cells neutralised as in the spreadsheet exports)."""
    safe = exports.spreadsheet_frame(frame)
    rows = [
        {c: _cell(v) for c, v in zip(safe.columns, rec, strict=True)} for rec in safe.itertuples(index=False, name=None)
    ]
    doc = {"month": month, "licence": licence, "licence_url": licence_url, "columns": list(safe.columns), "rows": rows}
    return json.dumps(doc, ensure_ascii=False, allow_nan=False).encode("utf-8")


DICTIONARY_COLUMNS = (
    "kode_opd",
    "opd",
    "dispatched",
    "responded",
    "responded_on_time",
    "response_on_time_pct",
    "completed",
    "completed_on_time",
    "completion_on_time_pct",
    "median_response_wd",
    "open",
    "breached",
    "at_risk",
    "oldest_breached_wd",
    "grade",
)
