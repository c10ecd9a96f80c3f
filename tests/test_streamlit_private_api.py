"""Each private Streamlit API the app relies on, checked so that an upgrade that breaks it fails here, by name.

- ``PagesManager.uses_pages_directory`` (dashboard/serve.py), the work-around for streamlit/streamlit#9992.
- ``/_stcore/health`` (the kiosk's reload script, nginx and the deployment docs' checks): documented by
  Streamlit for container health checks ("Deploy Streamlit using Docker": HEALTHCHECK on /_stcore/health).
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager

from dashboard import serve

APP = Path(serve.APP)


@pytest.fixture
def pages_flag():
    saved = PagesManager.uses_pages_directory
    yield
    PagesManager.uses_pages_directory = saved


def test_without_the_fix_streamlit_would_route_by_the_pages_folder(pages_flag):
    """The bug the fix is for: with the flag unset, a PagesManager on app.py decides on ``pages/`` routing
    because the folder exists (what shows the 'Page not found' dialog to the first visitor of /monitor)."""
    assert (APP.parent / "pages").is_dir()
    PagesManager.uses_pages_directory = None
    PagesManager(str(APP))
    assert PagesManager.uses_pages_directory is True


def test_the_fix_keeps_explicit_routing_when_streamlit_builds_its_pages_manager(pages_flag):
    """dashboard.serve sets the class flag before the server starts; Streamlit must keep reading that flag."""
    PagesManager.uses_pages_directory = None
    serve.route_explicitly()
    PagesManager(str(APP))
    assert PagesManager.uses_pages_directory is False


def test_the_health_endpoint_answers_ok(app_server, dataset_url):
    """The kiosk reloads only after /_stcore/health answers; nginx and the docs use it too."""
    server = app_server(dataset_url, name="private-api")
    with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=10) as response:
        assert (response.status, response.read().decode().strip()) == (200, "ok")
