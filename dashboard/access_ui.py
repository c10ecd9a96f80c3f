"""Streamlit pieces of access control: the account box in the sidebar, the stand-in for a page the viewer
may not open, and the reporter block of the complaint detail. Decisions come from dashboard.access.

Names and e-mail addresses come from the identity provider or the database: they are shown with st.text
or in dataframes, never as markdown.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd
import streamlit as st

from core.locale import Locale
from dashboard import access


def _login_button(loc: Locale, key: str) -> None:
    if not access.login_configured():
        st.caption(loc.t("auth.not_configured"))
        return
    if st.button(loc.t("auth.login"), key=key, icon=":material/login:", type="primary"):
        st.login()


def account_box(viewer: access.Viewer, config_error: str | None, loc: Locale, page_says_why: bool = False) -> None:
    """Sidebar: who is logged in and with which role, log out; or the login button.

    ``page_says_why``: the page is a stand-in that explains itself (the sidebar then does not repeat it).
    """
    with st.sidebar:
        if config_error and viewer.role == access.ADMIN:  # names addresses and roles: admins only
            st.error(loc.t("auth.config_error", detail=config_error), icon=":material/error:")
        elif config_error:
            st.error(loc.t("auth.config_error_short"), icon=":material/error:")
        if not viewer.logged_in and viewer.role != access.WALL:  # the newcomer's demo: banner on the page
            st.caption(loc.t("auth.demo", role=loc.t(f"role.{viewer.role}")))
        elif viewer.logged_in:
            st.text(viewer.name or viewer.email or "–", help=viewer.email)
            st.caption(loc.t("auth.role", role=loc.t(f"role.{viewer.role}")))
            if viewer.unmapped and not page_says_why:
                st.warning(loc.t("auth.no_role"), icon=":material/no_accounts:")
            if st.button(loc.t("auth.logout"), key="auth-logout", icon=":material/logout:"):
                st.logout()
        elif not page_says_why:
            _login_button(loc, "auth-login-sidebar")


def demo_banner(viewer: access.Viewer, kiosk: bool, loc: Locale) -> None:
    """On the bundled demo database, every page says so: a production server whose DATABASE_URL is missing or
    misspelt is visibly a demo (and gets no demo role: ``access.demo_role``)."""
    if not access.is_demo_database():
        return
    text = loc.t("auth.demo_banner")
    if viewer.role != access.WALL and not viewer.logged_in:
        text += " " + loc.t("auth.demo", role=loc.t(f"role.{viewer.role}"))
    if kiosk:  # floats in a corner: the wall keeps its exact fit
        st.html(
            f'<div class="ntbcare-demo" style="position:fixed;bottom:0.3rem;right:0.6rem;z-index:1001;'
            f'background:#E69F00;color:#000;padding:0.1rem 0.6rem;border-radius:0.3rem;font-weight:700">'
            f"{html.escape(loc.t('auth.demo_badge'))}</div>"
        )
    else:
        st.warning(text, icon=":material/science:")


def refused_page(viewer: access.Viewer, loc: Locale) -> Callable[[], None]:
    """The stand-in served under the URL path of a page that ``viewer`` may not open: a message, no data."""

    def refused() -> None:
        if not viewer.logged_in:
            st.info(loc.t("auth.please_login"), icon=":material/lock:")
            _login_button(loc, "auth-login-page")
        elif viewer.unmapped:
            st.warning(loc.t("auth.no_role"), icon=":material/no_accounts:")
        else:
            st.warning(loc.t("auth.forbidden", role=loc.t(f"role.{viewer.role}")), icon=":material/block:")

    return refused


def require(url_path: str, loc: Locale) -> access.Viewer:
    """First line of every page script but the wall: the viewer, or a message and ``st.stop()``.

    app.py already routes a viewer who may not open ``url_path`` to a stand-in; this second check covers a
    page script that runs without the entrypoint (see dashboard/access.py).
    """
    viewer, _ = access.current_viewer()
    if not viewer.may_open(url_path):
        refused_page(viewer, loc)()
        st.stop()
    return viewer


def reporter_block(row, viewer: access.Viewer, loc: Locale) -> None:
    """The reporter's name and contact on the complaint detail, for roles that may see personal data.

    ``row`` is the complaint row fetched with ``include_personal=viewer.may_see_personal``.
    """
    if not viewer.may_see_personal:
        return
    st.subheader(loc.t("aduan.reporter"))

    def text(key):
        value = row.get(key) if hasattr(row, "get") else None
        return value if isinstance(value, str) and value.strip() else "–"

    st.dataframe(
        pd.DataFrame(
            {
                "": [loc.t("aduan.reporter_name"), loc.t("aduan.reporter_contact")],
                " ": [text("reporter_name"), text("reporter_contact")],
            }
        ),
        hide_index=True,
        width="stretch",
    )
