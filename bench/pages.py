"""Page speed on PostgreSQL with 1,000,000 complaints (the database of `python -m bench.queries`).

    python -m bench.pages [--runs 5]

`kepatuhan` with a one-month and a one-year period: the time from opening the URL in chromium until the
rapor and the drill-down are on screen (targets: median <= 1 s for a month, <= 3 s for a year). Each run
uses a period shifted by one day, so no run is served from the cache of an earlier one.
Results are printed and written to bench/results/pages.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.queries import ensure_database
from tests.browser_support import StreamlitServer, launch_browser

ROOT = Path(__file__).resolve().parent.parent


def time_page(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    started = time.monotonic()
    page.goto(url, wait_until="commit")
    page.get_by_text("Aduan belum selesai —").first.wait_for(timeout=120000)
    page.locator("[data-testid='stDataFrame']").nth(1).wait_for(timeout=120000)
    elapsed = time.monotonic() - started
    page.close()
    return elapsed


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--admin-url", default="postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--database", default="ntbcare_bench")
    p.add_argument("--complaints", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)
    url, _ = ensure_database(args.admin_url, args.database, args.complaints, False)
    today = dt.date.today()
    results = {}
    with StreamlitServer(url, {}, ROOT / "bench" / "results" / "pages-server.log") as server, sync_playwright() as pw:
        browser = launch_browser(pw)
        time_page(browser, f"{server.url}/kepatuhan")  # warm-up: imports, engine, calendar pages
        for name, days in (("month", 30), ("year", 365)):
            samples = []
            for i in range(args.runs):
                end = today - dt.timedelta(days=i + 1)
                start = end - dt.timedelta(days=days - 1)
                samples.append(time_page(browser, f"{server.url}/kepatuhan?periode=rentang&dari={start}&sampai={end}"))
            results[name] = {"median_s": statistics.median(samples), "samples_s": samples}
            print(f"kepatuhan, one {name}: median {statistics.median(samples):.2f} s over {args.runs} runs "
                  f"({', '.join(f'{s:.2f}' for s in samples)})", flush=True)
        browser.close()
    out = ROOT / "bench" / "results" / "pages.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
