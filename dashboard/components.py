"""Reusable Streamlit pieces: KPI row, data-age line, stale-data warning. Text is never rendered as HTML."""
from __future__ import annotations

import datetime as dt
from typing import Iterable
from urllib.parse import parse_qsl

import streamlit as st

from dashboard.data import Fetched
from dashboard.i18n import t
from dashboard.timefmt import ago, fmt_wita


def oldest_fetch(results: Iterable[Fetched]) -> dt.datetime | None:
    times = [r.fetched_at for r in results if r.fetched_at is not None]
    return min(times) if times else None


def stale_warning(results: Iterable[Fetched], lang: str) -> None:
    """A warning (in a container keyed ``stale-warning``) when any result is stale or missing."""
    results = list(results)
    failed = [r for r in results if not r.ok]
    if not failed:
        return
    with st.container(key="stale-warning"):
        config = next((r for r in failed if r.config_error), None)
        if config is not None:
            st.error(t("data.config_error", lang, detail=config.error), icon=":material/error:")
            return
        since = oldest_fetch(r for r in failed if r.has_data)
        if since is None:
            st.warning(t("data.unavailable", lang), icon=":material/warning:")
        else:
            st.warning(t("data.stale", lang, time=fmt_wita(since, "%H:%M:%S"), age=ago(since, lang=lang)), icon=":material/warning:")


def data_age(results: Iterable[Fetched], lang: str) -> None:
    at = oldest_fetch(results)
    if at is not None:
        st.caption(t("data.as_of", lang, time=fmt_wita(at, "%H:%M:%S")))


def format_workdays(value, lang: str) -> str:
    if value is None or value != value:
        return t("unit.none", lang)
    return t("unit.workdays", lang, n=f"{float(value):.1f}".rstrip("0").rstrip("."))


def kpi_row(head: dict | None, lang: str) -> None:
    """Headline figures as bordered metrics (values '–' when there is no data yet)."""
    none = t("unit.none", lang)
    h = head or {}

    def val(k):
        v = h.get(k)
        return none if v is None else f"{int(v):,}".replace(",", ".")

    share = h.get("on_time_share")
    items = [
        ("kpi.received_today", val("received_today")), ("kpi.received_month", val("received_period")),
        ("kpi.open", val("open")), ("kpi.breached", val("breached")), ("kpi.at_risk", val("at_risk")),
        ("kpi.on_time", none if share is None else f"{share * 100:.0f}%"),
        ("kpi.median_response", format_workdays(h.get("median_response_wd"), lang)),
    ]
    cols = st.columns(len(items))
    for col, (key, value) in zip(cols, items):
        col.metric(t(key, lang), value, border=True)


CALENDAR_WARN_DAYS = 60


def calendar_warning(coverage: Fetched, today, lang: str) -> None:
    """Warn operators when the working-day calendar ends within two months (deadlines would stop)."""
    if not coverage.has_data or coverage.data.empty:
        return
    last = coverage.data.iloc[0]["last_day"]
    if last is None or (last - today).days <= CALENDAR_WARN_DAYS:
        st.warning(t("calendar.ending", lang, day=last.strftime("%d-%m-%Y") if last else "–"),
                   icon=":material/event_busy:")


CHART_CONFIG = {"displayModeBar": False, "responsive": True}


def first_link(points) -> str | None:
    """The drill-down link carried in ``customdata`` by the first clicked point that has one."""
    for point in points or []:
        link = point.get("customdata") if isinstance(point, dict) else None
        if isinstance(link, (list, tuple)):
            link = link[0] if link else None
        if isinstance(link, str) and link.startswith(EXPLORER_PREFIX):
            return link
    return None


EXPLORER_PREFIX = "aduan"


def drill_chart(fig, key: str, clickable: bool = True, container=None) -> None:
    """A plotly chart whose bars/bubbles open the explorer on the complaints behind them when clicked.

    The figure carries the links in ``customdata`` (see dashboard.charts); ``clickable=False`` (the kiosk
    wall, nobody clicks there) draws it without selection handling.
    """
    target = container if container is not None else st
    event = target.plotly_chart(fig, key=key, config=CHART_CONFIG, on_select="rerun" if clickable else "ignore",
                                selection_mode="points")
    if not clickable or not event:
        return
    link = first_link(event.get("selection", {}).get("points"))
    if link:
        query = link.split("?", 1)[1] if "?" in link else ""
        st.switch_page("pages/complaint.py", query_params=dict(parse_qsl(query)))
