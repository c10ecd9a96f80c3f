"""dashboard.serve warms the server up before it listens: every page's view is imported there, so the first
visitor after a start (the wall, after a reboot) does not wait for the imports (issue 23)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from dashboard import serve

ROOT = Path(serve.APP).parent


def page_views() -> set[str]:
    """The view modules pages/*.py import (``from dashboard.wall import view`` -> ``dashboard.wall.view``)."""
    found = set()
    for path in (ROOT / "pages").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dashboard."):
                found |= {f"{node.module}.{a.name}" for a in node.names if a.name == "view"}
    return found


def test_every_page_view_is_warmed_up():
    assert page_views(), "pages/ imports no view: the scan is wrong"
    assert page_views() == set(serve.VIEWS)


def test_warm_up_imports_the_views_quietly():
    """In a fresh interpreter: after warm_up the views, pandas and plotly are loaded, and Streamlit's "No
    runtime found" notice (one per cached function, harmless before the server starts) is not logged."""
    code = (
        "import sys; from dashboard import serve; serve.warm_up(); "
        "print(sorted(m for m in (*serve.VIEWS, 'pandas', 'plotly.graph_objects') if m not in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=False, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
    assert "No runtime found" not in out.stderr


def test_a_wrong_option_says_what_it_should_be_without_a_traceback():
    """`python3 dev.py app --port 8611` (a newcomer's guess) stops with click's own message, exit code 2."""
    out = subprocess.run(
        [sys.executable, "-m", "dashboard.serve", "--port", "8611"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2
    assert "No such option '--port'. Did you mean '--server.port'?" in out.stderr
    assert "Traceback" not in out.stderr + out.stdout
