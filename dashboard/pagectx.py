"""Per-run page context read from the URL: language and kiosk mode."""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.i18n import normalise_lang


@dataclass(frozen=True)
class PageContext:
    lang: str
    kiosk: bool


def page_context() -> PageContext:
    qp = st.query_params
    return PageContext(lang=normalise_lang(qp.get("lang")), kiosk=qp.get("kiosk", "0") in ("1", "true", "ya"))
