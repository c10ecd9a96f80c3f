"""Many viewers at once: kiosk walls and adviser pages in chromium against one server on the 1M database.

    python -m bench.sessions [--sessions 20] [--advisers 6] [--walls 1,10,20] [--window-s 30] [--windows 3]
                             [--mixed-s 180] [--database-url URL | --admin-url URL --database ntbcare_bench]

Phase 1, walls only: 1, then 10, then 20 kiosk walls (/monitor?kiosk=1, 1920x1080, each in its own browser
context, i.e. its own Streamlit session) at the default intervals (feed 2 s, panels 15 s). For each count,
--windows windows of --window-s seconds give the medians of: database transactions per minute
(pg_stat_database xact_commit + xact_rollback; the app runs each query in its own transaction, and no
other program writes during the bench), server CPU (s per minute, /proc), chromium CPU, and how every wall
refreshed (an in-page observer records each change of the "data per HH:MM:SS" stamp: updates per wall,
the interval between updates and how old the data was when it appeared).

Phase 0, for comparison: the --advisers adviser sessions alone for --baseline-s seconds (no walls).

Phase 2, mixed: --sessions sessions, --advisers of them adviser pages (`kepatuhan`) and the rest walls, for
--mixed-s seconds. Each adviser opens the page for a 30-day range not asked before (so not cached) and then
chooses another period on the open page, again and again; the p95 of both times is reported with the same
figures as phase 1.

Throughout, the server's database connections (pg_stat_activity rows whose client port belongs to the
server process) are sampled every 0.5 s: the maximum must stay within the pool (pool_size 5 + max_overflow 5).
The machine's load average is recorded at every step. Results: bench/results/sessions.json.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import logging
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from playwright.async_api import async_playwright
from sqlalchemy import create_engine, text

from bench import procinfo
from bench.common import database_parser, pct
from bench.soak import WALL_BROWSER_ARGS, db_transactions, stamp_lag_s
from core.codes import WITA
from tests.browser_support import CHROMIUM, StreamlitServer

log = logging.getLogger("bench.sessions")

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FEED_INTERVAL, PANEL_INTERVAL = 2, 15
POOL_LIMIT = 5 + 5  # dashboard/engine.py: pool_size + max_overflow
OBSERVER = """() => {
    const main = document.querySelector('[data-testid=stMain]');
    window.__upd = []; let last = null;
    const check = () => {
        const e = document.querySelector('.w-age'); const s = e ? e.textContent : null;
        if (s && s !== last) { last = s; window.__upd.push([Date.now(), s]); }
    };
    new MutationObserver(check).observe(main, {subtree: true, childList: true, characterData: true});
    check();
}"""


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


class ConnectionSampler(threading.Thread):
    """Samples the server's open and busy database connections every 0.5 s, tagged with the current phase."""

    def __init__(self, admin, database: str, server_pid: int):
        super().__init__(daemon=True)
        self.admin, self.database, self.pid = admin, database, server_pid
        self.phase = "start"
        self.samples: list[tuple[str, int, int]] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                with self.admin.connect() as c:
                    rows = c.execute(
                        text(
                            "SELECT client_port, state FROM pg_stat_activity WHERE datname = :d "
                            "AND application_name = 'ntbcare-monitor'"
                        ),
                        {"d": self.database},
                    ).all()
                mine = procinfo.tcp_local_ports(self.pid)
                own = [state for port, state in rows if port in mine]
                self.samples.append((self.phase, len(own), sum(1 for s in own if s != "idle")))
            except Exception as exc:  # noqa: BLE001 - a missed sample is not a result
                log.debug("sample missed: %s", exc)
            self.stop.wait(0.5)

    def summary(self, phase: str | None = None) -> dict:
        rows = [s for s in self.samples if phase is None or s[0] == phase]
        return {
            "open_max": max((r[1] for r in rows), default=None),
            "busy_max": max((r[2] for r in rows), default=None),
            "open_median": med([r[1] for r in rows]),
            "samples": len(rows),
            "pool_limit": POOL_LIMIT,
        }


async def open_wall(browser, url: str):
    context = await browser.new_context(viewport={"width": 1920, "height": 1080})
    page = await context.new_page()
    await page.goto(f"{url}/monitor?kiosk=1", wait_until="commit", timeout=300000)
    await page.wait_for_selector(".w-feed", timeout=300000)
    await page.wait_for_selector("[data-testid='stMain']", timeout=300000)
    await page.evaluate(OBSERVER)
    return context, page


async def wall_updates(pages) -> list[list[tuple[float, str]]]:
    """Each wall's stamp changes since the last call (and forget them)."""
    return [await p.evaluate("() => window.__upd.splice(0, window.__upd.length)") for p in pages]


def refresh_figures(updates: list[list], window_s: float) -> dict:
    per_wall = [len(u) for u in updates]
    intervals, lags = [], []
    for u in updates:
        intervals += [(b[0] - a[0]) / 1000 for a, b in itertools.pairwise(u)]
        for ts, stamp in u:
            lag = stamp_lag_s(stamp, dt.datetime.fromtimestamp(ts / 1000, dt.UTC))
            if lag is not None:
                lags.append(lag)
    return {
        "walls": len(updates),
        "walls_not_refreshed": sum(1 for n in per_wall if n == 0),
        "updates_per_wall_per_min_min": 60 * min(per_wall) / window_s if per_wall else None,
        "updates_per_wall_per_min_median": 60 * med(per_wall) / window_s if per_wall else None,
        "interval_s_p50": pct(intervals, 0.5),
        "interval_s_p95": pct(intervals, 0.95),
        "data_age_on_screen_s_p50": pct(lags, 0.5),
        "data_age_on_screen_s_p95": pct(lags, 0.95),
    }


async def measure_windows(server, admin, db: str, walls, window_s: float, windows: int) -> dict:
    await wall_updates(walls)
    rows = []
    for _ in range(windows):
        chrome = [p for g in procinfo.chromium_processes().values() for p in g]
        cpu0, tx0, t0 = procinfo.cpu_seconds(server.proc.pid), db_transactions(admin, db), time.monotonic()
        ccpu0 = sum(procinfo.cpu_seconds(p, tree=False) for p in chrome)
        await asyncio.sleep(window_s)
        cpu1, tx1, t1 = procinfo.cpu_seconds(server.proc.pid), db_transactions(admin, db), time.monotonic()
        ccpu1 = sum(procinfo.cpu_seconds(p, tree=False) for p in chrome)
        minutes = (t1 - t0) / 60
        rows.append(
            {
                "server_cpu_s_per_min": (cpu1 - cpu0) / minutes,
                "chromium_cpu_s_per_min": (ccpu1 - ccpu0) / minutes,
                "db_transactions_per_min": (tx1 - tx0) / minutes,
                "load1": procinfo.load_average()[0],
                **refresh_figures(await wall_updates(walls), t1 - t0),
            }
        )
    keys = [k for k in rows[0] if isinstance(rows[0][k], (int, float))]
    out = {k: med([r[k] for r in rows]) for k in keys}
    out["walls_not_refreshed"] = max(r["walls_not_refreshed"] for r in rows)  # worst window
    out["updates_per_wall_per_min_min"] = min(r["updates_per_wall_per_min_min"] for r in rows)
    out["windows"] = rows
    return out


def adviser_ranges(session: int, count: int, today: dt.date):
    """Distinct 30-day ranges per session and iteration (never cached), none starting on the 1st."""
    out, k = [], 0
    while len(out) < count:
        end = today - dt.timedelta(days=1 + session * 97 + k)
        start = end - dt.timedelta(days=29)
        k += 1
        if start.day != 1:
            out.append((start, end))
    return out


async def adviser(browser, url: str, session: int, until: float, loads: list, changes: list, errors: list):
    context = await browser.new_context(viewport={"width": 1600, "height": 1000})
    page = await context.new_page()
    today = dt.datetime.now(WITA).date()
    first_of_month = today.replace(day=1)
    options = [
        ("Bulan lalu", (first_of_month - dt.timedelta(days=1)).replace(day=1)),
        ("Tahun ini", today.replace(month=1, day=1)),
        ("Bulan ini", first_of_month),
    ]
    for i, (start, end) in enumerate(adviser_ranges(session, 1000, today)):
        if time.monotonic() > until:
            break
        try:
            t0 = time.monotonic()
            await page.goto(
                f"{url}/kepatuhan?periode=rentang&dari={start}&sampai={end}", wait_until="commit", timeout=180000
            )
            await page.get_by_text("Aduan belum selesai —").first.wait_for(timeout=180000)
            await page.locator("[data-testid='stDataFrame']").nth(1).wait_for(timeout=180000)
            loads.append(time.monotonic() - t0)
            option, first_day = options[(i + session) % len(options)]
            await page.locator(".st-key-kep-period").click(timeout=180000)
            t0 = time.monotonic()
            await page.get_by_role("option", name=option).click(timeout=180000)
            await page.get_by_text(f"aduan yang didisposisikan pada {first_day:%d-%m-%Y}").first.wait_for(
                timeout=180000
            )
            await page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=180000)
            changes.append(time.monotonic() - t0)
        except Exception as exc:  # noqa: BLE001 - counted and reported
            errors.append(f"adviser {session}: {exc.__class__.__name__}: {str(exc).splitlines()[0][:200]}")
    await context.close()


def timing(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50_s": pct(values, 0.5),
        "p95_s": pct(values, 0.95),
        "max_s": max(values, default=None),
        "samples_s": [round(v, 3) for v in values],
    }


async def run(args, url: str, db: str) -> dict:
    admin = create_engine(args.admin_url, isolation_level="AUTOCOMMIT", pool_size=2)
    env = {
        "NTBCARE_FEED_INTERVAL": str(FEED_INTERVAL),
        "NTBCARE_PANEL_INTERVAL": str(PANEL_INTERVAL),
        "NTBCARE_KIOSK_RELOAD_AT": "",
    }
    counts = sorted(int(x) for x in args.walls.split(","))
    results: dict = {
        "started_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": db,
        "cpus": os.cpu_count(),
        "load_average_start": procinfo.load_average(),
        "feed_interval_s": FEED_INTERVAL,
        "panel_interval_s": PANEL_INTERVAL,
        "pool_limit": POOL_LIMIT,
        "window_s": args.window_s,
        "windows": args.windows,
        "walls": {},
    }
    with StreamlitServer(url, env, RESULTS / "sessions-server.log") as server:
        sampler = ConnectionSampler(admin, db, server.proc.pid)
        sampler.start()
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=WALL_BROWSER_ARGS)
            if args.baseline_s > 0:  # the advisers alone first: what the walls add to their page times
                sampler.phase = "advisers alone"
                loads, changes, errors = [], [], []
                until = time.monotonic() + args.baseline_s
                await asyncio.gather(
                    *[
                        adviser(browser, server.url, args.advisers + i, until, loads, changes, errors)
                        for i in range(args.advisers)
                    ]
                )
                results["advisers_alone"] = {
                    "advisers": args.advisers,
                    "adviser_page_load": timing(loads),
                    "adviser_period_change": timing(changes),
                    "adviser_errors": errors,
                    "connections": sampler.summary(sampler.phase),
                    "load_average": procinfo.load_average(),
                }
                print(
                    f"{args.advisers} advisers alone: page load p95 {pct(loads, 0.95)} s (n={len(loads)}), period "
                    f"change p95 {pct(changes, 0.95)} s (n={len(changes)}), connections max "
                    f"{results['advisers_alone']['connections']['open_max']}/{POOL_LIMIT}, load "
                    f"{procinfo.load_average()}",
                    flush=True,
                )
            walls: list = []
            for n in counts:
                sampler.phase = f"opening {n}"
                t0 = time.monotonic()
                while len(walls) < n:
                    walls.append(await open_wall(browser, server.url))
                opened_s = time.monotonic() - t0
                await asyncio.sleep(10)
                sampler.phase = f"walls {n}"
                fig = await measure_windows(server, admin, db, [p for _, p in walls], args.window_s, args.windows)
                fig["connections"] = sampler.summary(sampler.phase)
                fig["opening_s"] = opened_s
                fig["load_average"] = procinfo.load_average()
                results["walls"][str(n)] = fig
                print(
                    f"{n:2d} walls: {fig['db_transactions_per_min']:.0f} transactions/min, server CPU "
                    f"{fig['server_cpu_s_per_min']:.1f} s/min, chromium {fig['chromium_cpu_s_per_min']:.0f} s/min, "
                    f"walls not refreshed {fig['walls_not_refreshed']}, updates/wall/min min "
                    f"{fig['updates_per_wall_per_min_min']:.1f}, interval p95 {fig['interval_s_p95']}, connections max "
                    f"{fig['connections']['open_max']}/{POOL_LIMIT}, load {fig['load_average']}",
                    flush=True,
                )

            # mixed: walls + advisers = --sessions
            n_walls = args.sessions - args.advisers
            for context, _ in walls[n_walls:]:
                await context.close()
            walls = walls[:n_walls]
            while len(walls) < n_walls:
                walls.append(await open_wall(browser, server.url))
            sampler.phase = "mixed"
            loads, changes, errors = [], [], []
            until = time.monotonic() + args.mixed_s
            tasks = [
                asyncio.create_task(adviser(browser, server.url, i, until, loads, changes, errors))
                for i in range(args.advisers)
            ]
            windows = max(1, int(args.mixed_s // args.window_s))
            fig = await measure_windows(server, admin, db, [p for _, p in walls], args.window_s, windows)
            await asyncio.gather(*tasks)
            fig.update(
                connections=sampler.summary("mixed"),
                load_average=procinfo.load_average(),
                adviser_page_load=timing(loads),
                adviser_period_change=timing(changes),
                adviser_errors=errors,
                walls_count=n_walls,
                advisers=args.advisers,
            )
            results["mixed"] = fig
            print(
                f"mixed {n_walls} walls + {args.advisers} advisers: page load p95 {fig['adviser_page_load']['p95_s']} s "
                f"(n={len(loads)}), period change p95 {fig['adviser_period_change']['p95_s']} s (n={len(changes)}), "
                f"{fig['db_transactions_per_min']:.0f} transactions/min, server CPU {fig['server_cpu_s_per_min']:.1f} s/min, "
                f"walls not refreshed {fig['walls_not_refreshed']}, connections max {fig['connections']['open_max']}"
                f"/{POOL_LIMIT}, errors {len(errors)}, load {fig['load_average']}",
                flush=True,
            )
            await browser.close()
        sampler.stop.set()
        sampler.join(5)
        results["connections_overall"] = sampler.summary()
    results["load_average_end"] = procinfo.load_average()
    admin.dispose()
    return results


def main(argv=None) -> int:
    p = database_parser(__doc__)
    p.add_argument("--database-url", default=None, help="use this database as it is (no 1M seeding)")
    p.add_argument("--sessions", type=int, default=20)
    p.add_argument("--advisers", type=int, default=6)
    p.add_argument("--walls", default="1,10,20", help="wall counts of phase 1")
    p.add_argument("--window-s", type=float, default=30)
    p.add_argument("--windows", type=int, default=3)
    p.add_argument("--mixed-s", type=float, default=180)
    p.add_argument("--baseline-s", type=float, default=120, help="advisers alone first, for comparison (0: skip)")
    p.add_argument("--name", default="sessions")
    args = p.parse_args(argv)
    if args.database_url:
        url = args.database_url
    else:
        from bench.queries import ensure_database

        url = ensure_database(args.admin_url, args.database, args.complaints, False)[0]
    RESULTS.mkdir(parents=True, exist_ok=True)
    results = asyncio.run(run(args, url, url.rsplit("/", 1)[1].split("?")[0]))
    out = RESULTS / f"{args.name}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
