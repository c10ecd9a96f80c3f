"""The browser's floor on this machine: first loads of the smallest Streamlit pages (bench/floor/app.py), no
database, nothing but Streamlit, plotly and chromium. What a page of the monitor costs above this is ours; the
floor itself is the stack's and the machine's.

    python -m bench.floor [--runs 5] [--variants "text=,1 chart=charts=1,4 charts=charts=4,grid=grid=1"]

Each variant is loaded --runs times in a new browser profile (nothing cached: a first visit) and --runs times in
a returning browser (the profile of an earlier visit: Streamlit's static files in the HTTP cache, as for anyone
who opened the monitor before), from typing the address until the script has finished and every chart is drawn
(DRAWN). Printed: the median load (and its range) and the median of chromium's main-thread task
time.
Results go to bench/results/floor.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from bench.scale import RESULTS, ROOT
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

VARIANTS = (
    "text=;1 chart=charts=1;4 charts=charts=4;4 metrics + 4 charts=metrics=4&charts=4;grid=grid=1;"
    "4 metrics + 4 Vega charts=metrics=4&vega=4"
)
# bench.scale's COMPLETE for the plotly charts, and as many of Streamlit's own (Vega-Lite) charts drawn
DRAWN = """([charts, vega]) => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector("[data-testid='stSkeleton'], [data-testid='stSpinner']")) return false;
    const plots = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
    const vegas = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
    return plots.length >= charts && plots.every(c => c.querySelector('.main-svg'))
        && vegas.length >= vega && vegas.every(c => c.querySelector('canvas, svg'));
}"""


@contextlib.contextmanager
def floor_server():
    """``streamlit run bench/floor/app.py`` on a free port, with the project's .streamlit/config.toml."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "streamlit", "run", "bench/floor/app.py", "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import urllib.request

        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the floor app did not start") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def load(ctx, url: str, charts: int, vega: int) -> tuple[float, float]:
    """One load in ``ctx``: (seconds until complete, chromium's main-thread task seconds)."""
    page = ctx.new_page()
    devtools = ctx.new_cdp_session(page)
    devtools.send("Performance.enable")
    started = time.monotonic()
    page.goto(url, wait_until="commit")
    page.wait_for_function(DRAWN, arg=[charts, vega], timeout=60000, polling=50)
    elapsed = time.monotonic() - started
    metrics = {m["name"]: m["value"] for m in devtools.send("Performance.getMetrics")["metrics"]}
    page.close()
    return elapsed, metrics["TaskDuration"]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--variants", default=VARIANTS, help="name=query;... (default: %(default)s)")
    args = p.parse_args(argv)
    from playwright.sync_api import sync_playwright

    variants = [v.split("=", 1) for v in args.variants.split(";")]
    out: dict[str, dict] = {}
    with floor_server() as base, sync_playwright() as pw:
        for name, query in variants:
            asked = dict(q.split("=") for q in query.split("&") if q)
            charts = int(asked.get("charts", "0"))
            vega = int(asked.get("vega", "0"))
            url = f"{base}/?{query}"
            row: dict[str, list] = {"new": [], "returning": []}
            profile = tempfile.mkdtemp(prefix="floor-")
            for run in range(args.runs + 1):
                for mode in ("new", "returning"):
                    where = profile if mode == "returning" else tempfile.mkdtemp(prefix="floor-")
                    ctx = pw.chromium.launch_persistent_context(
                        where,
                        executable_path=CHROMIUM,
                        args=CHROMIUM_ARGS,
                        headless=True,
                        viewport={"width": 1920, "height": 1080},
                    )
                    figures = load(ctx, url, charts, vega)
                    ctx.close()
                    if run:  # run 0 fills the returning profile (and warms the server); not counted
                        row[mode].append(figures)
            out[name] = row
            for mode in ("new", "returning"):
                loads, tasks = zip(*row[mode], strict=True)
                print(
                    f"{name:24s} {mode:9s} load {statistics.median(loads):.2f} s ({min(loads):.2f}-{max(loads):.2f}),"
                    f" main thread {statistics.median(tasks):.2f} s  load avg {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "floor.json").write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
