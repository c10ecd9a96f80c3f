"""Per-run page context read from the URL: the viewer's locale (``?lang=en``) and kiosk mode."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.locale import Locale, get_locale


@dataclass(frozen=True)
class PageContext:
    locale: Locale
    kiosk: bool


def page_context() -> PageContext:
    qp = st.query_params
    return PageContext(locale=get_locale(qp.get("lang")), kiosk=qp.get("kiosk", "0") in ("1", "true", "ya"))
