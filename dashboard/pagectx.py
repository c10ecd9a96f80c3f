"""Per-run page context: the viewer's locale (``?lang=en``) and kiosk mode from the URL, and the run's clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import streamlit as st

from core.locale import Locale, get_locale
from core.timefmt import now_utc


@dataclass(frozen=True)
class PageContext:
    locale: Locale
    kiosk: bool
    now: dt.datetime = field(default_factory=now_utc)
    """This run's clock (aware UTC), read once when the run starts: every query and every "today" of the run
    uses it, so a page never mixes two instants (``dashboard.data.fetch(..., now=ctx.now)``)."""


def page_context() -> PageContext:
    qp = st.query_params
    return PageContext(locale=get_locale(qp.get("lang")), kiosk=qp.get("kiosk", "0") in ("1", "true", "ya"))
