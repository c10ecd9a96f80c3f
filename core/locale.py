"""The viewer's language as one object: catalogue text, numbers, percentages, dates, month names, "... ago".

Pages build it once from the URL (``?lang=en``; Bahasa Indonesia otherwise) and pass it to every builder;
no builder has a default language. Texts come from the language's gettext catalogues (core/i18n.py,
core/locales/). Numbers and dates go through Babel (CLDR data), so ``id`` shows ``1.234,5`` and
``2 Des 2026`` while ``en`` shows ``1,234.5`` and ``2 Dec 2026``; a language CLDR does not know (a catalogue
folder for a regional language) writes them as Indonesian does. The alert worker builds the same object
from a target's configured language.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass

from babel import localedata
from babel.dates import format_date
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol, parse_decimal

from core import i18n
from core.timefmt import now_utc, to_wita

LANGS = i18n.LANGS
DEFAULT_LANG = i18n.DEFAULT_LANG


@functools.cache
def _cldr(lang: str) -> str:
    """The Babel locale that writes ``lang``'s numbers and dates: its own, or the default's if CLDR lacks it."""
    return lang if localedata.exists(lang) else DEFAULT_LANG


def _wita_day(ts) -> dt.date:
    local = to_wita(ts)
    assert local is not None  # the callers return "–" for a missing value first
    return local.date()


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("NaT", "<NA>", "nan")


@dataclass(frozen=True)
class Locale:
    """Formats for one language (a folder of core/locales/). Immutable and cheap: one instance per language."""

    lang: str

    # --- text -----------------------------------------------------------------------------------------
    def t(self, key: str, **kwargs) -> str:
        """The catalogue text of ``key`` (core/locales/), with ``kwargs`` filled in."""
        return i18n.t(key, self.lang, **kwargs)

    def tn(self, key: str, n: int, **kwargs) -> str:
        """The counted text ``key`` in the form gettext picks for ``n`` (the catalogue's Plural-Forms: "1 stage
        breached", "2 stages breached"), with ``{n}`` written with the language's marks."""
        return i18n.plural(key, n, self.lang).format(n=self.num(n), **kwargs)

    def label(self, prefix: str, value) -> str:
        """The catalogue label of a code (``status.selesai`` ...), or the code itself if unknown."""
        return i18n.label(prefix, value, self.lang)

    # --- numbers --------------------------------------------------------------------------------------
    def num(self, value, digits: int = 0) -> str:
        """A number with the language's grouping and decimal marks; "–" for a missing value.

        ``digits`` fixes the decimals shown (``num(12.25, 1)`` is ``12,3`` / ``12.3``)."""
        if _missing(value):
            return "–"
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        return format_decimal(value, format=pattern, locale=_cldr(self.lang))

    def num_short(self, value, max_digits: int = 1) -> str:
        """A number with at most ``max_digits`` decimals and no trailing zeros (``2``, ``6,5``)."""
        if _missing(value):
            return "–"
        pattern = "#,##0" + ("." + "#" * max_digits if max_digits > 0 else "")
        return format_decimal(value, format=pattern, locale=_cldr(self.lang))

    def signed(self, value, digits: int = 0) -> str:
        """A change with its sign (``+12``, ``−3,5``); "–" for a missing value."""
        if _missing(value):
            return "–"
        text = self.num(abs(value), digits)
        rounded_zero = round(abs(value), digits) == 0
        return ("+" if value > 0 or rounded_zero else "-") + text

    def pct(self, share, digits: int = 0) -> str:
        """A share (0..1) as a percentage: ``89,9%`` / ``89.9%``. The share is shown rounded; decisions
        (grades, targets) must use the exact share, never this text."""
        if _missing(share):
            return "–"
        return self.num(share * 100, digits) + "%"

    @property
    def separators(self) -> str:
        """Decimal then group mark, as plotly's ``layout.separators`` wants them (``,.`` / ``.,``)."""
        return get_decimal_symbol(_cldr(self.lang)) + get_group_symbol(_cldr(self.lang))

    # --- dates and times ------------------------------------------------------------------------------
    def date(self, day, pattern: str = "d MMM yyyy") -> str:
        """A WITA date (``2 Des 2026`` / ``2 Dec 2026``); timestamps are converted to WITA first."""
        if _missing(day):
            return "–"
        if isinstance(day, dt.datetime) or hasattr(day, "tz_convert"):
            day = _wita_day(day)
        return format_date(day, pattern, locale=_cldr(self.lang))

    def date_numeric(self, day) -> str:
        """A WITA date in the numeric form both languages read the same: ``02-12-2026``."""
        if _missing(day):
            return "–"
        if isinstance(day, dt.datetime) or hasattr(day, "tz_convert"):
            day = _wita_day(day)
        return day.strftime("%d-%m-%Y")

    def month(self, day, pattern: str = "LLLL yyyy") -> str:
        """The month of ``day`` by name: ``Desember 2026`` / ``December 2026``; ``pattern`` "LLL" is short."""
        return self.date(day, pattern)

    def datetime(self, ts, pattern: str = "%d-%m-%Y %H:%M") -> str:
        """A timestamp in WITA (numeric day-month-year and 24-hour time read the same in both languages)."""
        local = to_wita(ts)
        return local.strftime(pattern) if local else "–"

    def ago(self, ts, now: dt.datetime | None = None) -> str:
        """How long ago, short: ``45 dtk`` / ``45 s``, ``12 mnt`` / ``12 min``, ``3 jam`` / ``3 h``, ``2 hari``."""
        local = to_wita(ts)
        if local is None:
            return "–"
        secs = max(0, int(((now or now_utc()) - local).total_seconds()))
        if secs < 60:
            return self.t("ago.seconds", n=secs)
        if secs < 3600:
            return self.t("ago.minutes", n=secs // 60)
        if secs < 86400:
            return self.t("ago.hours", n=secs // 3600)
        return self.t("ago.days", n=secs // 86400)

    def workdays(self, value) -> str:
        """A number of working days (``2 hari kerja``, ``6,5 hari kerja``); "belum ada" when there is none."""
        if _missing(value):
            return self.t("unit.none")
        text = self.num_short(float(value), 1)
        # the form follows the number as shown (1.04 reads "1 working day"); a fraction takes the form of 2
        shown = parse_decimal(text, locale=_cldr(self.lang))
        count = int(shown) if shown == shown.to_integral_value() else 2
        return i18n.plural("unit.workdays", count, self.lang).format(n=text)


LOCALES = {lang: Locale(lang) for lang in LANGS}


def get_locale(lang: str | None) -> Locale:
    """The locale for a language code from a URL or a setting; unknown or missing codes give Indonesian."""
    code = i18n.normalise_lang(lang)
    return LOCALES.get(code) or Locale(code)
