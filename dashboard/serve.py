"""Start the app: ``python -m dashboard.serve [streamlit options]`` is ``streamlit run app.py`` plus one fix.

Streamlit decides once per server whether the app uses the legacy automatic ``pages/`` routing, and until
the first ``st.navigation`` call it assumes it does. The first visitor after a server start who opens a
URL path such as ``/monitor?kiosk=1`` (the wall, typically, right after a reboot) would then get a
"Page not found" dialog. This project routes every page explicitly with ``st.navigation``, so the flag is
set before the server starts.

Private Streamlit API: ``PagesManager.uses_pages_directory`` (upstream bug streamlit/streamlit#9992, "Multipage
app using st.navigation shows 'Page not found' modal on first load"). tests/test_streamlit_private_api.py
fails if an upgrade renames the flag or stops reading it; remove this module's fix once upstream fixes the bug.

It also imports every page's code and draws one throwaway plotly figure before the server listens
(``warm_up``): otherwise the first visitor after a start (the wall, right after a reboot) waits about a second
for pandas, plotly and the views to import and for plotly's validators to be built.
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

import click
from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def route_explicitly() -> None:
    """Tell Streamlit, before the first visitor, that the app routes with st.navigation (no ``pages/`` routing)."""
    PagesManager.uses_pages_directory = False


# every page's view (pages/*.py are a few lines that call these)
VIEWS = tuple(
    f"dashboard.{name}.view"
    for name in ("wall", "compliance", "summary", "explorer", "quality", "notifications", "screens")
)


def warm_up() -> None:
    """Import what the pages run and build one figure, so no visitor pays for it (see the module's docstring).

    Streamlit checks each ``st.cache_data`` function's options when it is defined and, with no server running
    yet, logs "No runtime found" for each: harmless (the caches are made with the server's storage at the first
    call), so that logger is quiet while the views are imported."""
    cache_log = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = cache_log.level
    cache_log.setLevel(logging.ERROR)
    try:
        for name in VIEWS:
            importlib.import_module(name)
    finally:
        cache_log.setLevel(level)
    import plotly.graph_objects as go

    go.Figure(go.Bar(x=["a"], y=[1]), layout={"title": {"text": "warm-up"}}).to_json()


def main(argv: list[str] | None = None) -> int:
    route_explicitly()
    warm_up()
    args = ["run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    try:
        return cli.main(args=args, prog_name="streamlit", standalone_mode=False) or 0
    except click.ClickException as exc:  # a wrong option: click's own message (what it accepts), not a traceback
        exc.show()
        return exc.exit_code


if __name__ == "__main__":
    sys.exit(main())
