"""Every URL parameter of every page is read through here: bounded, validated, and a note for each bad value.

A URL is typed by anyone. A value that is out of range, too long or of the wrong kind is replaced by the page's
default and noted (the page shows the notes in its language, e.g. ``kep.bad_param``), so the page always
shows. No Streamlit here: ``Reader`` takes the query parameters as a plain mapping (``st.query_params.to_dict()``).

The bounds are defined once, here: dates 1900-01-01..2100-12-31 (a date outside cannot be a complaint's and
would overflow the WITA day bounds), the wall's rotation 10..3600 s, at most 40 characters of a bad value
quoted back, and no parameter longer than ``RAW_MAX`` read at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
RAW_MAX = 2000  # characters of one parameter's value; the longest legitimate one (an explorer list) is far shorter
NOTE_MAX = 40  # characters of a bad value quoted back to the viewer
INT_DIGITS_MAX = 9  # an integer parameter has at most this many digits (no 400-digit int() conversions)
TRUE_WORDS = ("1", "true", "ya")


def quote(value: str) -> str:
    """A bad value as it is quoted back: its first 40 characters, one line."""
    short = " ".join(str(value).split())
    return short[:NOTE_MAX] + ("…" if len(short) > NOTE_MAX else "")


class Reader:
    """Reads one page's query parameters; each method returns a valid value or the default, and ``notes`` lists
    what was ignored (``name=value``, for the page's "URL parameter ignored" message)."""

    def __init__(self, params: Mapping[str, object]):
        self._params = params
        self.notes: list[str] = []

    def has(self, name: str) -> bool:
        return bool(self.raw(name))

    def raw(self, name: str) -> str:
        """The parameter's last value, stripped; a value over ``RAW_MAX`` characters is refused (noted, empty)."""
        value = self._params.get(name)
        if isinstance(value, (list, tuple)):
            value = value[-1] if value else ""
        text = str(value if value is not None else "").strip()
        if len(text) > RAW_MAX:
            self.note(name, f"{len(text)} > {RAW_MAX}")
            return ""
        return text

    def note(self, name: str, value: str) -> None:
        self.notes.append(f"{name}={quote(value)}")

    def day(self, name: str, lo: dt.date = DATE_MIN, hi: dt.date = DATE_MAX) -> dt.date | None:
        """``YYYY-MM-DD`` between ``lo`` and ``hi`` (1900..2100 unless narrower); None when absent or bad."""
        raw = self.raw(name)
        if not raw:
            return None
        try:
            value = dt.date.fromisoformat(raw)  # the whole value: "2026-01-01' OR '1'='1" is not a date
        except ValueError:
            self.note(name, raw)
            return None
        if not lo <= value <= hi:
            self.note(name, raw)
            return None
        return value

    def integer(self, name: str, lo: int, hi: int, default: int) -> int:
        """A whole number between ``lo`` and ``hi``; ``default`` when absent, and (noted) when bad."""
        raw = self.raw(name)
        if not raw:
            return default
        digits = raw[1:] if raw[:1] in "+-" else raw
        if not (digits.isascii() and digits.isdigit()) or len(digits) > INT_DIGITS_MAX:
            self.note(name, raw)
            return default
        value = int(raw)
        if not lo <= value <= hi:
            self.note(name, raw)
            return default
        return value

    def choice(self, name: str, options: Sequence[str], default: str) -> str:
        """One of ``options`` (exact); ``default`` when absent, and (noted) when anything else."""
        raw = self.raw(name)
        if not raw:
            return default
        if raw not in options:
            self.note(name, raw)
            return default
        return raw

    def flag(self, name: str) -> bool:
        """On for ``1``, ``true`` or ``ya``; off when absent, ``0`` or ``false``; anything else is noted (off)."""
        raw = self.raw(name).lower()
        if raw in TRUE_WORDS:
            return True
        if raw not in ("", "0", "false", "tidak"):
            self.note(name, raw)
        return False

    def text(self, name: str, max_len: int) -> str:
        """Free text of at most ``max_len`` characters (longer: cut, noted); control characters removed."""
        raw = "".join(ch for ch in self.raw(name) if ch.isprintable())
        if len(raw) > max_len:
            self.note(name, f"{len(raw)} > {max_len}")
            raw = raw[:max_len].strip()
        return raw

    def period(self, periods: Sequence[str], default: str, today: dt.date):
        """A page's period (``periode``, ``dari``, ``sampai``): (choice, first day, last day). Days after
        ``today`` and a first day after the last are noted and dropped: a date picker cannot show them."""
        choice = self.choice("periode", periods, default)
        start, end = self.day("dari", hi=today), self.day("sampai", hi=today)
        if start and end and start > end:
            self.note("sampai", end.isoformat())
            end = None
        return choice, start, end
