"""Reusable Streamlit pieces: KPI row, data-age line, stale-data warning, the timeline trim of pages that stay
open. Text is never rendered as HTML."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from urllib.parse import parse_qsl

import streamlit as st
from streamlit.errors import StreamlitDuplicateElementKey

from core.engine import DatabaseConfigError, default_statement_timeout_ms
from core.locale import Locale
from core.textsafe import md_literal
from core.timefmt import fmt_wita
from dashboard import params
from dashboard.data import CAUSES, SETTINGS, Fetched

# --- Pages that stay open: the performance timeline --------------------------------------------------------
# Streamlit's frontend records two performance marks and a measure on every script or fragment run
# (``performance.mark(scriptRunState)``, ``performance.measure("script-run-cycle")``) and plotly one per chart
# draw, and nothing ever clears them: the browser keeps every entry for the life of the page. The wall runs a
# fragment twice a second, so a day adds hundreds of thousands of entries; in the soak (bench/soak.py) this was
# the renderer's growing memory: Blink's garbage-collected heap went from 7 to 35 MB in 18 minutes while its
# live objects, these entries among them, went from 3.6 to 5.3 MB (long-lived entries scattered among
# short-lived objects keep the heap's pages from being freed); with the trim it stays at 12 to 15 MB. Nothing
# in the app reads the timeline, so pages that rerun by themselves (the wall, `layar`) empty it every
# TRIM_TIMELINE_S.
TRIM_TIMELINE_S = 15
TIMELINE_CSS = (
    "<style>.st-key-page-timeline { position: fixed !important; width: 0; height: 0; overflow: hidden; }</style>"
)


def timeline_trim_script(every_s: int = TRIM_TIMELINE_S) -> str:
    """The page script: clear the user-timing marks and measures every ``every_s`` seconds (once per page)."""
    return f"""<script>
(function () {{
  const w = window;
  if (w.__ntbcareTimelineTrim || !w.performance || !w.performance.clearMarks) return;
  w.__ntbcareTimelineTrim = setInterval(function () {{
    w.performance.clearMarks();
    w.performance.clearMeasures();
  }}, {int(every_s) * 1000});
}})();
</script>"""


def trim_performance_timeline() -> None:
    """Keep the page's performance timeline from growing for as long as the page stays open."""
    with st.container(key="page-timeline"):
        st.html(TIMELINE_CSS + timeline_trim_script(), unsafe_allow_javascript=True)


def oldest_fetch(results: Iterable[Fetched]) -> dt.datetime | None:
    times = [r.fetched_at for r in results if r.fetched_at is not None]
    return min(times) if times else None


def stale_warning(results: Iterable[Fetched], loc: Locale, *, retry: bool = True) -> None:
    """A warning (in a container keyed ``stale-warning``) when any result is stale or missing: what went
    wrong (database down, query too slow, all connections busy, ...) and the age of the data shown.

    With ``retry`` (pages without timers of their own) the page also reruns itself every
    NTBCARE_RETRY_INTERVAL seconds while the warning shows, so that it recovers without anyone clicking.
    The wall passes ``retry=False``: its panels are fragments that rerun on their own. A page may call
    this more than once per run: only the first warning shows.
    """
    results = list(results)
    failed = [r for r in results if not r.ok]
    if not failed:
        return
    try:
        box = st.container(key="stale-warning")
    except StreamlitDuplicateElementKey:  # a page that checks in several places: one warning per run is enough
        return
    with box:
        config = next((r for r in failed if r.config_error), None)
        if config is not None:
            st.error(loc.t("data.config_error", detail=md_literal(config.error)), icon=":material/error:")
            return
        st.warning(stale_message(failed, loc), icon=":material/warning:")
        if retry:
            _rerun_later(SETTINGS.retry_interval_s)


def stale_message(failed: list[Fetched], loc: Locale) -> str:
    """One message for failed results: the most specific cause, then the age of the data kept on screen."""
    causes = {r.cause or "error" for r in failed}
    cause = next(c for c in (*CAUSES, *sorted(causes)) if c in causes)
    try:
        seconds = loc.num_short(default_statement_timeout_ms() / 1000, 3)
    except DatabaseConfigError:
        seconds = "?"
    reason = loc.t(f"fault.{cause}", seconds=seconds)
    since = oldest_fetch(r for r in failed if r.has_data)
    if since is None:
        return loc.t("data.unavailable", cause=reason)
    return loc.t("data.stale", cause=reason, time=fmt_wita(since, "%H:%M:%S"), age=loc.ago(since))


_RETRY_ARMED, _RETRY_AT = "ntbcare-retry-armed", "ntbcare-retry-at"


def _rerun_later(interval_s: float) -> None:
    """Rerun the whole page in ``interval_s`` seconds, once per page run, only while this is called.

    A fragment timer (``run_every``) that calls ``st.rerun()``; unlike a client-side interval it never
    interrupts a run in progress (a slow run is followed by the next retry, not cut short), and it stops
    as soon as a run no longer calls this (the data is back).
    """
    state = st.session_state
    state[_RETRY_ARMED] = False  # the call below is the inline first run: it must not rerun
    state[_RETRY_AT] = time.monotonic()

    @st.fragment(run_every=interval_s)
    def _retry():
        if state.get(_RETRY_ARMED) and time.monotonic() - state.get(_RETRY_AT, 0.0) >= 0.9 * interval_s:
            st.rerun(scope="app")

    _retry()
    state[_RETRY_ARMED] = True


def data_age(results: Iterable[Fetched], loc: Locale) -> None:
    at = oldest_fetch(results)
    if at is not None:
        st.caption(loc.t("data.as_of", time=fmt_wita(at, "%H:%M:%S")))


CALENDAR_WARN_DAYS = 60


def calendar_warning(coverage: Fetched, today, loc: Locale) -> None:
    """Warn operators when the working-day calendar ends within two months (deadlines would stop)."""
    if not coverage.has_data or coverage.data.empty:
        return
    last = coverage.data.iloc[0]["last_day"]
    if last is None or (last - today).days <= CALENDAR_WARN_DAYS:
        st.warning(
            loc.t("calendar.ending", day=last.strftime("%d-%m-%Y") if last else "–"), icon=":material/event_busy:"
        )


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
    event = target.plotly_chart(
        fig, key=key, config=CHART_CONFIG, on_select="rerun" if clickable else "ignore", selection_mode="points"
    )
    if not clickable or not event:
        return
    link = first_link(event.get("selection", {}).get("points"))
    if link:
        query = link.split("?", 1)[1] if "?" in link else ""
        st.switch_page("pages/complaint.py", query_params=dict(parse_qsl(query)))


def period_picker(
    cols, periods: tuple[str, ...], default: str, label: str, option_key: str, key: str, today: dt.date, loc: Locale
) -> tuple[str, dt.date | None, dt.date | None]:
    """The period choice of a page, kept in the URL (``?periode=...&dari=YYYY-MM-DD&sampai=YYYY-MM-DD``).

    Reads the URL (a bad value is noted and replaced by ``default``), shows the choice in ``cols[0]`` and, for
    ``rentang``, a date range in ``cols[1]``. Returns (choice, first day, last day); the days are None unless
    given. ``write_period`` puts the resolved period back into the URL.
    """
    url = params.Reader(st.query_params.to_dict())  # bounded and checked: dashboard/params.py
    choice, start, end = url.period(periods, default, today)
    if url.notes:
        st.caption(loc.t("kep.bad_param", detail=md_literal(", ".join(url.notes))))
    choice = cols[0].selectbox(
        label, periods, index=periods.index(choice), format_func=lambda c: loc.t(f"{option_key}.{c}"), key=key
    )
    if choice == "rentang":
        picked = cols[1].date_input(
            loc.t("kep.range"),
            value=(start or (end or today).replace(day=1), end or today),  # never a first day after the last
            min_value=params.DATE_MIN,
            max_value=today,
            format="DD-MM-YYYY",
            key=f"{key}-range",
        )
        if isinstance(picked, (list, tuple)) and len(picked) == 2:
            start, end = picked
    return choice, start, end


def write_period(choice: str, period) -> None:
    """Keep the page's period in the URL (the range only for ``rentang``)."""
    qp = st.query_params
    qp["periode"] = choice
    if choice == "rentang":
        qp["dari"], qp["sampai"] = period.start.isoformat(), period.end.isoformat()
    else:
        for k in ("dari", "sampai"):
            if k in qp:
                del qp[k]
