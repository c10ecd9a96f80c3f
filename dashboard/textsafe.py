"""Showing untrusted text inside Streamlit strings that are read as markdown (labels, captions)."""
from __future__ import annotations

import string

_PUNCT = set(string.punctuation)


def md_escape(text: str) -> str:
    """``text`` with every ASCII punctuation character backslash-escaped (CommonMark allows escaping all of
    them), so markdown and HTML in it are shown literally: ``**x**`` stays ``**x**``, never bold."""
    return "".join("\\" + ch if ch in _PUNCT else ch for ch in str(text)).replace("\n", " ")
