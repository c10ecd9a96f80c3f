"""Quiet hours: one definition for the wall's chime (``NTBCARE_QUIET_HOURS``) and the alert worker
(``NTBCARE_ALERTS_QUIET_HOURS``), so both accept the same values and agree on the same minute.

A value is ``HH:MM-HH:MM`` in WITA (start inclusive, end exclusive, may cross midnight); empty or ``off``:
never quiet. Anything else is a ``SettingError`` naming the setting.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from core.codes import WITA
from core.settings import SettingError

OFF = ("", "off", "-", "0", "tidak")


class QuietHours(NamedTuple):
    start: dt.time
    end: dt.time

    def contains(self, now: dt.datetime) -> bool:
        """Whether ``now`` (aware) falls in these hours, in WITA."""
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        if self.start == self.end:
            return False
        t = now.astimezone(WITA).time()
        return (self.start <= t < self.end) if self.start < self.end else (t >= self.start or t < self.end)

    def label(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def parse_hhmm(raw: str, name: str) -> dt.time:
    """``"07:30"`` -> 07:30; a ``SettingError`` naming ``name`` otherwise."""
    try:
        return dt.datetime.strptime(raw.strip(), "%H:%M").time()
    except ValueError:
        raise SettingError(f"{name} harus berbentuk HH:MM, bukan {raw!r}") from None


def parse(raw: str | None, name: str) -> QuietHours | None:
    """``"20:00-07:00"`` -> QuietHours(20:00, 07:00); empty or ``off`` -> None. SettingError otherwise."""
    value = (raw or "").strip()
    if value.lower() in OFF:
        return None
    a, sep, b = value.partition("-")
    if not sep:
        raise SettingError(f"{name} harus berbentuk HH:MM-HH:MM (misalnya 20:00-07:00) atau off, bukan {raw!r}")
    return QuietHours(parse_hhmm(a, name), parse_hhmm(b, name))


def is_quiet(now: dt.datetime, hours: QuietHours | tuple[dt.time, dt.time] | None) -> bool:
    """Whether ``now`` falls in ``hours`` (None: never)."""
    return hours is not None and QuietHours(*hours).contains(now)
