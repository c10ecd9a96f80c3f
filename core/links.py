"""Every link to a page of the monitor, built in one place (datasette's ``Urls``): no view concatenates a path.

Values are URL-encoded (tickets may hold ``# & + /``); paths are relative to the app's base, so the same link
works behind nginx's prefix, in an e-mail (``absolute``) and in a table's LinkColumn.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlencode

COMPLAINT_PAGE = "aduan"


def page(path: str, params: Mapping[str, object] | None = None) -> str:
    """A relative link to page ``path`` with query ``params`` (None values left out), encoded."""
    query = {k: str(v) for k, v in (params or {}).items() if v is not None}
    return path + ("?" + urlencode(query, quote_via=quote) if query else "")


def complaint(ticket) -> str:
    """The link to one complaint's page (its timeline): ``aduan?tiket=<ticket, encoded>``."""
    return COMPLAINT_PAGE + "?tiket=" + quote(str(ticket), safe="")


def absolute(base: str, relative: str) -> str:
    """``relative`` under the public address ``base`` (with or without a trailing slash)."""
    return base.rstrip("/") + "/" + relative.lstrip("/")
