"""The wall's frame: its static CSS (no values from the database ever go in here) and, in kiosk mode, the
nightly self-reload of the page."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import streamlit as st

from core.codes import WITA
from core.settings import REGISTRY
from dashboard import theme

# A screen at least this large in CSS pixels is a 4K wall whose browser runs at scale 1: the CSS doubles the
# text (sized in rem) and the page asks for charts twice as large (``?skala=2``, see ``scale_probe_script``).
LARGE_SCREEN_PX = (3000, 1700)
SCALE_PARAM = "skala"
# ``?rotate=N``: the wall alternates its two views every N seconds, N between these (else no rotation, noted).
ROTATE_MIN_S, ROTATE_MAX_S = 10, 3600

# Sizes for a 43-inch 1080p panel (1 CSS px is about 0.5 mm; readable distance in m = character height in mm
# x 0.4, character height about 0.7 x font size): headline figures from 8 m (at least 56 px), the feed's
# titles and the late OPDs from 4 m (28 px), every other text from 3 m (21 px). In rem, so that a 4K screen
# at browser scale 1 (root font 32 px) doubles them; tests/test_wall_legibility_browser.py measures them.
FIGURE_REM = 3.75  # 60 px: the cards' figures and the clock
LIST_REM = 1.8  # 28.8 px: the feed's titles, the late-OPD table, panel titles
TEXT_REM = 1.4  # 22.4 px: everything else
CHART_TEXT_PX = 22  # plotly sizes are pixels (doubled by ``charts.enlarged`` at ?skala=2)
CHART_TITLE_PX = 28
LATE_ROWS = 11  # late OPDs listed; the table says how many more, and its totals are every OPD's
# The frame: header, cards and the two views are placed in fixed bands (rem), so that the views can share one
# band whatever fragment draws them; the charts' height fills half the views' band at 1080p.
HEAD_TOP, HEAD_H, CARDS_H, GAP = 0.4, 3.4, 12.0, 0.5
VIEWS_TOP = HEAD_TOP + HEAD_H + GAP + CARDS_H + GAP
CHARTS_BAND_PX = int((1080 / 16 - VIEWS_TOP - 0.4 - 0.5) * 16)  # the views' band at 1080p, less one gap
CHART_HEIGHT_PX = CHARTS_BAND_PX // 2  # sectors and channels, one above the other
MAP_HEIGHT_PX = round(CHARTS_BAND_PX * 0.58)  # the map needs room above and below the islands for its labels
TREND_HEIGHT_PX = CHARTS_BAND_PX - MAP_HEIGHT_PX

WALL_CSS = f"""
<style>
/* A 4K wall should run its browser at device scale factor 2 (see README), which shows exactly the 1080p
   layout at double resolution. Without it, text sized in rem still doubles. */
@media (min-width: {LARGE_SCREEN_PX[0]}px) and (min-height: {LARGE_SCREEN_PX[1]}px) {{
  html {{ font-size: 32px !important; }} }}
[data-testid="stMainBlockContainer"] {{ padding: 0; max-width: 100%; position: relative; height: 100vh; }}
[data-testid="stVerticalBlock"] {{ gap: 0.5rem; }}
.st-key-wall-head, .st-key-wall-kpis, .st-key-wall-view-lists, .st-key-wall-view-charts,
.st-key-wall-view-activity {{ position: absolute !important; left: 1.2rem; right: 1.2rem; width: auto !important; }}
.st-key-wall-head {{ top: {HEAD_TOP}rem; height: {HEAD_H}rem; }}
.st-key-wall-kpis {{ top: {HEAD_TOP + HEAD_H + GAP}rem; height: {CARDS_H}rem; }}
.st-key-wall-view-lists, .st-key-wall-view-charts, .st-key-wall-view-activity {{ top: {VIEWS_TOP}rem;
  bottom: 0.4rem; overflow: hidden; }}
.st-key-wall-view-charts {{ right: 31%; }}
.st-key-wall-view-activity {{ left: 70.5%; }}
/* The two views alternate (``rotate_views`` sets the attribute); hidden, a view keeps its place and size
   (transparent, not clickable), so that a chart is drawn at its size and nothing moves when the views change. */
html:not([data-wall-view="charts"]) .st-key-wall-view-charts,
html:not([data-wall-view="charts"]) .st-key-wall-view-activity,
html[data-wall-view="charts"] .st-key-wall-view-lists {{ opacity: 0; pointer-events: none; }}
.st-key-wall-view-switch {{ position: absolute !important; top: {HEAD_TOP + 0.2}rem; left: 36%; width: auto !important;
  z-index: 10; }}
[data-testid="stMetric"] {{ padding: 0.3rem 0.8rem; height: {CARDS_H}rem; }}
[data-testid="stMetricLabel"] {{ height: auto; min-height: {2.45 * TEXT_REM:g}rem; align-items: flex-start; }}
[data-testid="stMetricLabel"] p {{ font-size: {TEXT_REM}rem; line-height: 1.2; color: {theme.MUTED};
  white-space: normal; }}
[data-testid="stMetricLabel"] > div {{ white-space: normal; overflow: visible; }}
[data-testid="stMetricIcon"] {{ font-size: {TEXT_REM}rem !important; }}
[data-testid="stMetricValue"] {{ font-size: {FIGURE_REM}rem; line-height: 1.1; font-weight: 700; }}
[data-testid="stMetricDelta"] {{ font-size: {TEXT_REM}rem; }}
[data-testid="stMetricDelta"] p, [data-testid="stMetricDelta"] div {{ font-size: {TEXT_REM}rem; white-space: normal; }}
[class*="st-key-kpi-"][class*="-missed"] [data-testid="stMetricValue"] {{ color: {theme.STATE_COLOUR["breached"]}; }}
[class*="st-key-kpi-"][class*="-met"] [data-testid="stMetricValue"] {{ color: {theme.STATE_COLOUR["met"]}; }}
.w-header {{ display: flex; align-items: baseline; justify-content: space-between; gap: 1rem; }}
.w-brand {{ font-size: 2rem; font-weight: 700; white-space: nowrap; }}
.w-age {{ font-size: {TEXT_REM}rem; color: {theme.MUTED}; white-space: nowrap; }}
.w-now {{ display: flex; align-items: baseline; gap: 0.6rem; }}
.w-date {{ font-size: {TEXT_REM}rem; color: {theme.MUTED}; }}
.w-big-clock {{ font-size: 2.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }}
.w-tz {{ font-size: {TEXT_REM}rem; color: {theme.MUTED}; }}
.w-panel-title {{ font-size: {LIST_REM}rem; font-weight: 700; margin: 0 0 0.2rem 0; }}
.w-feed, .w-act, .w-late {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
.w-feed td, .w-act td, .w-late td, .w-late th {{ padding: 0.2rem 0.4rem; border-bottom: 1px solid {theme.GRID};
  vertical-align: top; }}
a.w-link, a.w-link:visited {{ color: inherit; text-decoration: none; }}
a.w-link:hover {{ text-decoration: underline; }}
.w-feed .w-time {{ width: 6rem; }}
.w-feed .w-opd {{ width: 11rem; text-align: right; font-size: {TEXT_REM}rem; }}
.w-feed .w-opd div {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.w-clock {{ font-size: {LIST_REM}rem; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.2; }}
.w-ago, .w-meta, .w-status {{ font-size: {TEXT_REM}rem; color: {theme.MUTED}; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
.w-title {{ font-size: {LIST_REM}rem; font-weight: 600; line-height: 1.2; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
.w-ticket {{ font-variant-numeric: tabular-nums; }}
.w-row.w-new {{ background: rgba(86, 180, 233, 0.16); }}
.w-row.w-urgent .w-clock {{ color: {theme.STATE_COLOUR["breached"]}; }}
.w-badge {{ display: inline-block; font-size: {TEXT_REM}rem; font-weight: 700; padding: 0 0.35rem;
  margin-right: 0.45rem; border-radius: 0.25rem; vertical-align: middle; }}
.w-badge-new {{ background: {theme.OKABE_ITO[0]}; color: #000; }}
.w-prio-mendesak {{ background: {theme.STATE_COLOUR["breached"]}; color: #000; }}
.w-prio-penting {{ border: 1px solid {theme.STATE_COLOUR["at_risk"]}; color: {theme.STATE_COLOUR["at_risk"]}; }}
.w-act-icon {{ width: 2.6rem; font-size: {TEXT_REM}rem; }}
.w-act-what {{ font-size: {TEXT_REM}rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.w-late th {{ font-size: {LIST_REM}rem; color: {theme.MUTED}; text-align: left; font-weight: 600;
  line-height: 1.15; vertical-align: bottom; }}
.w-late td {{ font-size: {LIST_REM}rem; line-height: 1.25; }}
.w-late th.w-num {{ width: 8.8rem; }}
.w-late th.w-oldest {{ width: 14.6rem; }}
.w-late td.w-oldest {{ white-space: nowrap; }}
.w-late .w-late-opd {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.w-late tr.w-late-more td {{ font-size: {LIST_REM}rem; color: {theme.TEXT}; font-style: italic; }}
.w-late tr.w-late-total td {{ font-weight: 700; border-top: 2px solid {theme.MUTED}; }}
.w-num {{ text-align: right !important; font-variant-numeric: tabular-nums; }}
.w-breached {{ color: {theme.STATE_COLOUR["breached"]}; font-weight: 700; }}
.w-atrisk {{ color: {theme.STATE_COLOUR["at_risk"]}; font-weight: 700; }}
.w-icon {{ font-family: "Material Symbols Rounded"; font-weight: normal; font-style: normal; font-size: 1.25em;
  line-height: 1; vertical-align: -0.22em; letter-spacing: normal; text-transform: none; white-space: nowrap;
  font-feature-settings: "liga"; -webkit-font-smoothing: antialiased; }}
/* The outage warning floats over the header instead of pushing the wall below the screen's edge, between the
   title and the clock (width auto: Streamlit gives a container width 100%, which would win over `right`). */
.st-key-stale-warning {{ position: fixed; top: 0.4rem; left: 26rem; right: 20rem; width: auto !important; z-index: 1000; }}
.st-key-stale-warning p {{ font-size: {TEXT_REM}rem; }}
.w-empty {{ font-size: {TEXT_REM}rem; color: {theme.MUTED}; padding: 0.5rem; }}
/* The urgent banner floats over the cards (nothing below moves), readable across the room. Its border
   glows once every 2 seconds (0.5 Hz, far below the 3 flashes a second that can trigger seizures), and not
   at all for viewers who ask for reduced motion. */
.st-key-urgent-banner {{ position: fixed; top: 4.4rem; left: 1.2rem; right: 1.2rem; width: auto !important; z-index: 999; }}
.w-alert {{ background: {theme.STATE_COLOUR["breached"]}; color: #000; border-radius: 0.6rem; padding: 0.6rem 1.4rem 0.8rem;
  border: 0.35rem solid #000; box-shadow: 0 0.6rem 2.4rem rgba(0, 0, 0, 0.7); animation: w-alert-glow 2s ease-in-out infinite; }}
.w-alert-label {{ font-size: 1.8rem; font-weight: 800; letter-spacing: 0.04em; display: flex; gap: 1rem; align-items: baseline; }}
.w-alert-ticket {{ font-weight: 700; font-variant-numeric: tabular-nums; }}
.w-alert-more {{ margin-left: auto; font-size: 1.5rem; font-weight: 700; }}
.w-alert-title {{ font-size: {FIGURE_REM}rem; font-weight: 800; line-height: 1.15; overflow: hidden; display: -webkit-box;
  -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow-wrap: anywhere; }}
.w-alert-meta {{ font-size: 2rem; font-weight: 700; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
@keyframes w-alert-glow {{ 0%, 100% {{ border-color: #000; }} 50% {{ border-color: #FFFFFF; }} }}
@media (prefers-reduced-motion: reduce) {{ .w-alert {{ animation: none; }} }}
.st-key-wall-sound, .st-key-wall-reload, .st-key-wall-scale, .st-key-wall-rotate {{ position: fixed !important;
  width: 0; height: 0; overflow: hidden; }}
</style>
"""


def rotate_views(every_s: int, pinned: str | None = None) -> None:
    """Alternate the two views every ``every_s`` seconds in the browser (no rerun, every wall in step with
    the clock), or show only ``pinned`` ("lists", "charts": ``?tampilan=``)."""
    with st.container(key="wall-rotate"):
        st.html(rotate_script(every_s, pinned), unsafe_allow_javascript=True)


def rotate_script(every_s: int, pinned: str | None = None) -> str:
    """The page script behind ``rotate_views``: sets ``data-wall-view`` on the root element once a second."""
    fixed = f'"{pinned}"' if pinned in ("lists", "charts") else "null"
    return f"""<script>
(function () {{
  const w = window, root = document.documentElement, fixed = {fixed}, every = {int(every_s)} * 1000;
  if (w.__ntbcareRotate) clearInterval(w.__ntbcareRotate);
  const show = function () {{
    root.dataset.wallView = fixed || (Math.floor(Date.now() / every) % 2 ? "charts" : "lists");
  }};
  show();
  w.__ntbcareRotate = setInterval(show, 1000);
}})();
</script>"""


KIOSK_CSS = """
<style>
/* Kiosk: no Streamlit chrome at all, nothing to click, the page fills the screen. */
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
footer { display: none !important; }
html, body { overflow: hidden !important; cursor: none; }
.st-key-kiosk-reload { position: fixed !important; width: 0; height: 0; overflow: hidden; }
</style>
"""


def apply_wall_style(kiosk: bool) -> None:
    """Inject the wall's static CSS (and the kiosk CSS when ``kiosk``), and the probe of the screen's size."""
    st.html(WALL_CSS + (KIOSK_CSS if kiosk else ""))
    with st.container(key="wall-scale"):  # out of the layout, like the reload scripts
        st.html(scale_probe_script(), unsafe_allow_javascript=True)


def screen_scale() -> int:
    """How many times larger than at 1920x1080 the charts are drawn: 2 on a large screen at browser scale 1
    (the probe puts ``?skala=2`` in the address), else 1; any other value of the parameter counts as 1."""
    return 2 if st.query_params.get(SCALE_PARAM) == "2" else 1


def scale_probe_script() -> str:
    """The page script: make ``?skala`` say whether the window is a large screen at browser scale 1 (the same
    test as the CSS rule that doubles the text), replacing the address once when it does not (after the server's
    health check, like the nightly reload). Plotly sizes are pixels and only the server draws the charts, so it
    has to be told; a browser at device scale factor 2 shows a 4K screen as 1920x1080 and never gets it."""
    w, h = LARGE_SCREEN_PX
    return f"""<script>
(function () {{
  const url = new URL(window.location.href);
  const want = (window.innerWidth >= {w} && window.innerHeight >= {h}) ? "2" : null;
  if (url.searchParams.get("{SCALE_PARAM}") === want) return;
  if (want) url.searchParams.set("{SCALE_PARAM}", want); else url.searchParams.delete("{SCALE_PARAM}");
  const attempt = function () {{  // as the nightly reload: never leave the wall on a browser error page
    fetch(new URL("_stcore/health", window.location.href), {{cache: "no-store"}})
      .then(function (r) {{ if (r.ok) {{ window.location.replace(url.toString()); }} else {{ throw new Error(); }} }})
      .catch(function () {{ setTimeout(attempt, 60000); }});
  }};
  attempt();
}})();
</script>"""


# --- Nightly self-reload (kiosk only) -----------------------------------------------------------------------
# A backstop against slow leaks in the browser: once a night the kiosk page reloads itself completely, as if
# someone pressed F5, which frees everything the page accumulated. The reload only happens when the server
# answers its health check, so a server that is down at that moment never leaves the wall on a browser error
# page: the script tries again every minute until the server is back (Streamlit reconnects by itself meanwhile).
RELOAD_ENV = "NTBCARE_KIOSK_RELOAD_AT"
DEFAULT_RELOAD_AT = "03:00"
log = logging.getLogger("ntbcare.kiosk")


def parse_reload_at(raw: str | None) -> dt.time | None:
    """``HH:MM`` or ``HH:MM:SS`` (WITA) -> a time; ``None`` (unset) -> 03:00; empty -> ``None`` (disabled).

    Raises ValueError with a message in Bahasa Indonesia for anything else.
    """
    value = DEFAULT_RELOAD_AT if raw is None else raw.strip()
    if value == "":
        return None
    for fmt in ("%H:%M", "%H:%M:%S"):
        try:
            return dt.datetime.strptime(value, fmt).time()
        except ValueError:
            continue
    raise ValueError(f"{RELOAD_ENV} harus berupa jam WITA HH:MM (misalnya 03:00) atau kosong, bukan {raw!r}")


def reload_at_from_env() -> dt.time | None:
    """The configured reload time; an invalid value is logged and the default (03:00) is used instead."""
    try:
        return parse_reload_at(REGISTRY[RELOAD_ENV].raw())  # unset and empty mean different things
    except ValueError as exc:
        log.warning("%s; memakai %s", exc, DEFAULT_RELOAD_AT)
        return parse_reload_at(DEFAULT_RELOAD_AT)


def next_reload(now: dt.datetime, at: dt.time) -> dt.datetime:
    """The first moment strictly after ``now`` (aware) when the WITA wall clock shows ``at``; aware, in WITA."""
    local = now.astimezone(WITA)
    candidate = dt.datetime.combine(local.date(), at, tzinfo=WITA)
    if candidate <= local:
        candidate = dt.datetime.combine(local.date() + dt.timedelta(days=1), at, tzinfo=WITA)
    return candidate


def reload_script(delay_ms: int) -> str:
    """The page script: reload the whole page after ``delay_ms`` once the server's health check answers."""
    return f"""<script>
(function () {{
  const delayMs = {int(delay_ms)};
  const w = window;
  if (w.__ntbcareReload) clearTimeout(w.__ntbcareReload);
  const attempt = function () {{
    fetch(new URL("_stcore/health", w.location.href), {{cache: "no-store"}})
      .then(function (r) {{ if (r.ok) {{ w.location.reload(); }} else {{ throw new Error(r.status); }} }})
      .catch(function () {{ w.__ntbcareReload = setTimeout(attempt, 60000); }});
  }};
  w.__ntbcareReload = setTimeout(attempt, delayMs);
}})();
</script>"""


def schedule_nightly_reload(kiosk: bool, now: dt.datetime | None = None) -> dt.datetime | None:
    """On a kiosk page, schedule the full reload for the next configured WITA time; returns that moment."""
    at = reload_at_from_env() if kiosk else None
    if at is None:
        return None
    now = now or dt.datetime.now(dt.UTC)
    when = next_reload(now, at)
    delay_ms = max(0, int((when - now).total_seconds() * 1000))
    with st.container(key="kiosk-reload"):  # out of the layout: the wall keeps its exact fit
        st.html(reload_script(delay_ms), unsafe_allow_javascript=True)
    return when


# --- Remote reload (the admin page `layar`) and the optional chime ------------------------------------------


def request_page_reload() -> None:
    """Reload this page now, once the server answers its health check (the nightly reload's script)."""
    with st.container(key="wall-reload"):
        st.html(reload_script(0), unsafe_allow_javascript=True)


CHIME_FILE = Path(__file__).resolve().parent.parent / "assets" / "chime.wav"


def chime_script() -> str:
    """Defines ``window.__ntbcareChime(id)``: plays the chime shipped with the app (dashboard/assets/chime.wav,
    made by dashboard/assets/make_chime.py) once per announcement id. Browsers refuse sound before a user
    gesture: the kiosk browser needs ``--autoplay-policy=no-user-gesture-required`` (README)."""
    import base64

    with open(CHIME_FILE, "rb") as fh:
        src = "data:audio/wav;base64," + base64.b64encode(fh.read()).decode("ascii")
    return f"""<script>
(function () {{
  const w = window;
  w.__ntbcareChime = function (id) {{
    if (w.__ntbcareChimed === id) return;
    w.__ntbcareChimed = id;
    try {{ const a = new Audio("{src}"); a.volume = 0.8; a.play().catch(function () {{}}); }} catch (e) {{}}
  }};
}})();
</script>"""


def enable_sound() -> None:
    """On ``?suara=1``: load the chime once per page (the banner calls it for each announcement)."""
    with st.container(key="wall-sound"):
        st.html(chime_script(), unsafe_allow_javascript=True)


def chime(announcement_id: int) -> None:
    """Sound the chime for this announcement (once: the same markup on the next refresh does nothing)."""
    st.html(
        f"<script>window.__ntbcareChime && window.__ntbcareChime({int(announcement_id)});</script>",
        unsafe_allow_javascript=True,
    )
