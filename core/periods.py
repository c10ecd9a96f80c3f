"""Reporting periods in WITA: a range of whole days, and the choices the pages and the worker offer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.codes import WITA

PERIODS = ("bulan_ini", "bulan_lalu", "tahun_ini", "rentang")


@dataclass(frozen=True)
class Period:
    start: dt.date  # first day, inclusive
    end: dt.date  # last day, inclusive

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start 00:00 WITA, day after end 00:00 WITA) as aware datetimes."""
        return (
            dt.datetime.combine(self.start, dt.time(), WITA),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), WITA),
        )

    def label(self, loc) -> str:
        """``01-03-2026 s.d. 31-03-2026`` (``... to ...`` in English): numeric dates read alike in both."""
        return loc.t("period.range", start=f"{self.start:%d-%m-%Y}", end=f"{self.end:%d-%m-%Y}")


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


def previous_month(today: dt.date) -> Period:
    """The whole calendar month before ``today``'s (the monthly rapor's period)."""
    return resolve_period("bulan_lalu", today)
