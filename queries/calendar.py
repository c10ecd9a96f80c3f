"""The working-day calendar table: how far it reaches."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from queries._sql import read_frame
from queries.schema import work_calendar


def calendar_coverage(conn) -> pd.DataFrame:
    """First and last day of the working-day calendar (one row; NULLs when the table is empty)."""
    return read_frame(
        conn, select(func.min(work_calendar.c.day).label("first_day"), func.max(work_calendar.c.day).label("last_day"))
    )
