"""Page speed on PostgreSQL with 1,000,000 complaints (the database of `python -m bench.queries`).

    python -m bench.pages [--runs 5]

`kepatuhan` with a one-month and a one-year period (targets: median <= 1 s for a month, <= 3 s for a year),
measured three ways: in chromium, from opening the URL until the rapor and the drill-down are on screen
(includes the browser loading Streamlit's frontend); in chromium, from choosing the period on an open page
until its rapor is on screen (what "interactive" means to an adviser); and on the server alone, the page
script's run time (Streamlit's AppTest). Each run uses a period shifted by one day, so no run is served from the cache of an
earlier one.
Results are printed and written to bench/results/pages.json.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.common import database_parser
from bench.queries import ensure_database
from tests.access_users import ACCESS_ENV, USERS
from tests.browser_support import launch_browser
from tests.oidc_support import LoginApp, login

ROOT = Path(__file__).resolve().parent.parent


def time_page(browser, url: str) -> float:
    """``browser``: a browser context logged in as an adviser (new pages share its login cookie)."""
    page = browser.new_page()
    started = time.monotonic()
    page.goto(url, wait_until="commit")
    page.get_by_text("Aduan belum selesai —").first.wait_for(timeout=120000)
    page.locator("[data-testid='stDataFrame']").nth(1).wait_for(timeout=120000)
    elapsed = time.monotonic() - started
    page.close()
    return elapsed


def time_interaction(browser, base: str, option: str, label_start: str) -> float:
    """On an open page, choose another period: time until the rapor for it is on screen."""
    page = browser.new_page()
    page.goto(f"{base}/kepatuhan", wait_until="commit")
    page.get_by_text("Aduan belum selesai —").first.wait_for(timeout=120000)
    time.sleep(31)  # past twice the ttl (hard expiry of background refresh): computed, not served from cache
    page.locator(".st-key-kep-period").click()
    started = time.monotonic()
    page.get_by_role("option", name=option).click()
    page.get_by_text(label_start).first.wait_for(timeout=120000)
    page.get_by_text("Aduan belum selesai —").first.wait_for(timeout=120000)
    elapsed = time.monotonic() - started
    page.close()
    return elapsed


def time_script(url: str, start: dt.date, end: dt.date) -> float:
    import os

    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    os.environ.update(ACCESS_ENV)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.user = USERS["adviser"]
    at.switch_page("pages/compliance.py")
    at.query_params.update(periode="rentang", dari=start.isoformat(), sampai=end.isoformat())
    started = time.monotonic()
    at.run()
    elapsed = time.monotonic() - started
    if at.exception:
        raise RuntimeError(at.exception[0].value)
    return elapsed


def main(argv=None) -> int:
    p = database_parser(__doc__)
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)
    url, _ = ensure_database(args.admin_url, args.database, args.complaints, False)
    today = dt.date.today()
    results = {}
    with LoginApp(url, log_path=ROOT / "bench" / "results" / "pages-server.log") as server, sync_playwright() as pw:
        chromium = launch_browser(pw)
        browser = chromium.new_context(viewport={"width": 1600, "height": 1000})
        login(browser.new_page(), server, "adviser")  # kepatuhan needs an adviser's login
        time_page(browser, f"{server.url}/kepatuhan")  # warm-up: imports, engine, calendar pages
        for name, days in (("month", 30), ("year", 365)):
            samples = []
            for i in range(args.runs):
                end = today - dt.timedelta(days=i + 1)
                start = end - dt.timedelta(days=days - 1)
                samples.append(time_page(browser, f"{server.url}/kepatuhan?periode=rentang&dari={start}&sampai={end}"))
            server_samples = []
            for i in range(args.runs):
                end = today - dt.timedelta(days=i + 40)
                server_samples.append(time_script(url, end - dt.timedelta(days=days - 1), end))
            option, first_day = (
                ("Bulan lalu", (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1))
                if name == "month"
                else ("Tahun ini", today.replace(month=1, day=1))
            )
            clicks = [
                time_interaction(browser, server.url, option, f"aduan yang didisposisikan pada {first_day:%d-%m-%Y}")
                for _ in range(args.runs)
            ]
            results[name] = {
                "browser_median_s": statistics.median(samples),
                "browser_samples_s": samples,
                "interaction_median_s": statistics.median(clicks),
                "interaction_samples_s": clicks,
                "server_median_s": statistics.median(server_samples),
                "server_samples_s": server_samples,
            }
            print(
                f"kepatuhan, one {name}: opening the URL in chromium median {statistics.median(samples):.2f} s; "
                f"choosing the period on the open page median {statistics.median(clicks):.2f} s; page script alone "
                f"median {statistics.median(server_samples):.2f} s; {args.runs} runs each",
                flush=True,
            )
        chromium.close()
    out = ROOT / "bench" / "results" / "pages.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
