"""Putting values from the database or the URL next to interface text, safely.

Citizen text arrives with HTML line breaks and entities (forwarded from SP4N-LAPOR!, copied from web
forms): ``plain_text`` is the one rule that turns it into the text it means, for every page, export and
notification. It returns text, never markup: the caller still shows it as text (or escapes it).

Citizen text (titles, bodies, notes) is shown only through non-markdown elements (``st.text``, dataframes)
or ``dashboard.wall.html.esc``. When a value must sit inside a markdown element (a heading, a caption,
an ``st.info`` note), ``md_literal`` makes markdown show it as the characters it is: no bold, links,
images, HTML, maths, colours or Material icons.
"""

from __future__ import annotations

import html
import math
import re
import string

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet evaluate a cell
_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")
_BR = re.compile(r"<br\s*/?\s*>", re.IGNORECASE)
_P = re.compile(r"</?p(?:\s[^<>]*)?>", re.IGNORECASE)
_SPACE_BEFORE_BREAK = re.compile(r"[ \t]+\n")
_MANY_BREAKS = re.compile(r"\n{3,}")


def plain_text(value) -> str:
    """Citizen text (title, body, note) as the text it means; the stored value is never changed.

    - ``<br>``, ``<br/>``, ``<br />`` (any case) become a line break; ``<p>``, ``<p ...>`` and ``</p>`` a
      paragraph break (a blank line); more than one blank line in a row becomes one, and line breaks at the
      very start or end are dropped.
    - Entities (``&amp;``, ``&quot;``, ``&#39;``, ``&nbsp;`` ...) are decoded once, after the tags: an encoded
      tag such as ``&lt;br&gt;`` stays the characters ``<br>``.
    - Every other tag stays as the characters it is (``<b>`` shows as ``<b>``); nothing is dropped.
    - Text without these tags and without ``&`` comes back unchanged, character for character.
    None (or NaN) becomes "".
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    breaks = _P.sub("\n\n", _BR.sub("\n", text))
    if breaks == text and "&" not in text:
        return text
    out = html.unescape(breaks).replace("\xa0", " ")
    if breaks != text:
        out = _MANY_BREAKS.sub("\n\n", _SPACE_BEFORE_BREAK.sub("\n", out)).strip("\n")
    return out


def md_literal(value, limit: int = 200) -> str:
    """``value`` for a markdown element: whitespace (newlines too) collapsed to single spaces, cut to ``limit``
    characters, every ASCII punctuation character backslash-escaped (CommonMark shows it literally).

    One Streamlit shortcode, ``:streamlit:``, still becomes the Streamlit logo: keep citizen text out of
    markdown altogether, this is for short values such as tickets and URL parameters."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _PUNCT.sub(r"\\\1", text)


def neutralise(value):
    """A cell value that a spreadsheet will never evaluate as a formula (CSV and XLSX exports)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
