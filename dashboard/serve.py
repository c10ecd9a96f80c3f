"""Start the app: ``python -m dashboard.serve [streamlit options]`` is ``streamlit run app.py`` plus one fix.

Streamlit decides once per server whether the app uses the legacy automatic ``pages/`` routing, and until
the first ``st.navigation`` call it assumes it does. The first visitor after a server start who opens a
URL path such as ``/monitor?kiosk=1`` (the wall, typically, right after a reboot) would then get a
"Page not found" dialog. This project routes every page explicitly with ``st.navigation``, so the flag is
set before the server starts.

Private Streamlit API: ``PagesManager.uses_pages_directory`` (upstream bug streamlit/streamlit#9992, "Multipage
app using st.navigation shows 'Page not found' modal on first load"). tests/test_streamlit_private_api.py
fails if an upgrade renames the flag or stops reading it; remove this module's fix once upstream fixes the bug.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

APP = Path(__file__).resolve().parent.parent / "app.py"


def route_explicitly() -> None:
    """Tell Streamlit, before the first visitor, that the app routes with st.navigation (no ``pages/`` routing)."""
    PagesManager.uses_pages_directory = False


def main(argv: list[str] | None = None) -> int:
    route_explicitly()
    args = ["run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return cli.main(args=args, prog_name="streamlit", standalone_mode=False) or 0


if __name__ == "__main__":
    sys.exit(main())
