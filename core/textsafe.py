"""Putting values from the database or the URL next to interface text, safely.

Citizen text (titles, bodies, notes) is shown only through non-markdown elements (``st.text``, dataframes)
or ``dashboard.wall.html.esc``. When a value must sit inside a markdown element (a heading, a caption,
an ``st.info`` note), ``md_literal`` makes markdown show it as the characters it is: no bold, links,
images, HTML, maths, colours or Material icons.
"""
from __future__ import annotations

import re
import string
from urllib.parse import quote

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet evaluate a cell
_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")


def md_literal(value, limit: int = 200) -> str:
    """``value`` for a markdown element: whitespace (newlines too) collapsed to single spaces, cut to ``limit``
    characters, every ASCII punctuation character backslash-escaped (CommonMark shows it literally).

    One Streamlit shortcode, ``:streamlit:``, still becomes the Streamlit logo: keep citizen text out of
    markdown altogether, this is for short values such as tickets and URL parameters."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _PUNCT.sub(r"\\\1", text)


def detail_link(ticket) -> str:
    """The relative link to a complaint's page, with the ticket URL-encoded (tickets may hold ``# & + /``)."""
    return "aduan?tiket=" + quote(str(ticket), safe="")


def neutralise(value):
    """A cell value that a spreadsheet will never evaluate as a formula (CSV and XLSX exports)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
