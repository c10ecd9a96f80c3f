"""Soak test: one kiosk wall in chromium for an hour at the default intervals, with the live simulator writing.

    python -m bench.soak [--minutes 60] [--sample-s 30] [--warmup-minutes 5] [--window-minutes 10]
                         [--rate 3] [--database-url URL | --admin-url URL --database ntbcare_bench]

The server (`python -m dashboard.serve`, feed 2 s, panels 15 s) runs on the 1,000,000-complaint PostgreSQL
database of `python -m bench.queries` (or on --database-url, for a quick run on a small database made by
`python -m data_seed init`: SQLite or PostgreSQL, the database figures need PostgreSQL), while
`python -m data_seed live --rate R` inserts complaints and moves them
through their lifecycle. One chromium kiosk wall at 1920x1080 (/monitor?kiosk=1) stays open for --minutes.

Every --sample-s seconds it records: the server's RSS (VmRSS, process and children), threads and open files;
chromium's memory (private dirty memory of its renderers, browser and GPU processes, which other chromium
instances on the machine leave alone, unlike PSS; the PSS total is kept for reference); the page's JS heap after a forced garbage
collection (CDP HeapProfiler.collectGarbage, then Runtime.getHeapUsage); the DOM (elements in the document,
and the renderer's node and event-listener counts from CDP Performance.getMetrics, which include detached
nodes not yet collected); the database connections of the app (pg_stat_activity) and transactions; and whether
the wall is still live: the "data per HH:MM:SS" stamp must change within two feed intervals and be recent.

Every --allocators-every minutes it also takes a memory-infra dump (bench/allocators.py) and records the page
renderer's memory per allocator (V8, Blink's garbage-collected heap and its live objects, PartitionAlloc,
malloc, the compositor's tiles...) in bench/results/<name>-allocators.jsonl: where the memory is, not only how
much. The performance timeline's entry count (marks and measures, which nothing else clears) is sampled too.

Growth is the median of the window right after the warm-up against the median of the last window, in %,
plus a least-squares slope per hour over all samples after the warm-up (target: growth under 10%).
Writes bench/results/soak.csv (one row per sample, written as it goes) and bench/results/soak.json.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlalchemy import create_engine, text

from bench import allocators, procinfo
from bench.common import database_parser
from core.codes import WITA
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
# a wall is a visible screen: no background throttling of timers in a headless page
WALL_BROWSER_ARGS = CHROMIUM_ARGS + [
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]
STAMP = re.compile(r"(\d{2}):(\d{2}):(\d{2})")
GROWTH_METRICS = (
    "server_rss_mb",
    "js_heap_used_mb",
    "js_embedder_mb",
    "js_backing_store_mb",
    "dom_elements",
    "dom_nodes",
    "js_event_listeners",
    "chromium_private_mb",
    "renderer_private_mb",
    "browser_private_mb",
    "gpu_private_mb",
    "chromium_pss_mb",
    "server_threads",
    "server_fds",
    "timeline_entries",
    "blink_gc_mb",
)
CSV_FIELDS = [
    "elapsed_min",
    "utc",
    "server_rss_mb",
    "server_threads",
    "server_fds",
    "server_cpu_s",
    "server_cpu_s_per_min",
    "chromium_pss_mb",
    "chromium_private_mb",
    "renderer_private_mb",
    "browser_private_mb",
    "gpu_private_mb",
    "chromium_processes",
    "js_heap_used_mb",
    "js_heap_total_mb",
    "js_embedder_mb",
    "js_backing_store_mb",
    "layout_objects",
    "dom_elements",
    "dom_nodes",
    "js_event_listeners",
    "documents",
    "iframes",
    "timeline_entries",
    "exceptions",
    "feed_rows",
    "live",
    "stamp",
    "stamp_lag_s",
    "db_connections",
    "db_xacts",
    "db_xacts_per_min",
    "load1",
    "crashes",
    "page_errors",
    "console_errors",
    "navigations",
    "blink_gc_mb",
    "blink_gc_live_mb",
]


def database_url(args) -> str:
    if args.database_url:
        return args.database_url
    from bench.queries import ensure_database

    return ensure_database(args.admin_url, args.database, args.complaints, False)[0]


def app_connections(admin, database: str, server_pid: int) -> int:
    """The server's open connections to the database (the simulator uses the same application_name: its
    connections are told apart by their client port)."""
    with admin.connect() as c:
        ports = (
            c.execute(
                text(
                    "SELECT client_port FROM pg_stat_activity WHERE datname = :d "
                    "AND application_name = 'ntbcare-monitor'"
                ),
                {"d": database},
            )
            .scalars()
            .all()
        )
    mine = procinfo.tcp_local_ports(server_pid)
    return sum(1 for port in ports if port in mine)


def db_transactions(admin, database: str) -> int:
    with admin.connect() as c:
        return int(
            c.execute(
                text("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = :d"), {"d": database}
            ).scalar_one()
        )


def stamp_lag_s(stamp: str, now: dt.datetime) -> float | None:
    """Seconds between the wall's "data per HH:MM:SS" stamp and ``now`` (WITA), or None without a stamp."""
    m = STAMP.search(stamp or "")
    if not m:
        return None
    shown = int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3])
    local = now.astimezone(WITA)
    current = local.hour * 3600 + local.minute * 60 + local.second + local.microsecond / 1e6
    return (current - shown) % 86400


def page_stamp(page) -> str:
    return page.evaluate("() => (document.querySelector('.w-age') || {}).textContent || ''")


def browser_sample(page, cdp) -> dict:
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    dom = page.evaluate("""() => ({elements: document.getElementsByTagName('*').length,
        iframes: document.getElementsByTagName('iframe').length,
        exceptions: document.querySelectorAll('[data-testid=stException]').length,
        feedRows: document.querySelectorAll('.w-feed tr').length,
        timeline: performance.getEntriesByType('mark').length + performance.getEntriesByType('measure').length})""")
    return {
        "js_heap_used_mb": heap["usedSize"] / 2**20,
        "js_heap_total_mb": heap["totalSize"] / 2**20,
        "js_embedder_mb": heap.get("embedderHeapUsedSize", 0) / 2**20,
        "js_backing_store_mb": heap.get("backingStorageSize", 0) / 2**20,
        "layout_objects": int(metrics.get("LayoutObjects", 0)),
        "dom_elements": dom["elements"],
        "dom_nodes": int(metrics.get("Nodes", 0)),
        "js_event_listeners": int(metrics.get("JSEventListeners", 0)),
        "documents": int(metrics.get("Documents", 0)),
        "iframes": dom["iframes"],
        "exceptions": dom["exceptions"],
        "feed_rows": dom["feedRows"],
        "timeline_entries": dom["timeline"],
    }


def is_live(page, feed_interval: float) -> tuple[bool, str, float | None]:
    """The wall still refreshes: its data stamp changes within two feed intervals and is recent."""
    first = page_stamp(page)
    deadline = time.monotonic() + 2 * feed_interval + 1
    now = page_stamp(page)
    while now == first and time.monotonic() < deadline:
        time.sleep(0.25)
        now = page_stamp(page)
    lag = stamp_lag_s(now, dt.datetime.now(dt.UTC))
    return now != first and lag is not None and lag < 3 * feed_interval + 2, now, lag


def chromium_memory() -> dict:
    """Chromium's memory: PSS of all its processes, and per kind (renderers, browser, GPU/compositor) the
    private dirty memory, which other chromium instances on the machine do not change (PSS does)."""
    chrome = procinfo.chromium_processes()
    every = [q for g in chrome.values() for q in g]
    return {
        "chromium_pss_mb": procinfo.pss_mb(every),
        "chromium_private_mb": procinfo.private_dirty_mb(every),
        "renderer_private_mb": procinfo.private_dirty_mb(chrome.get("renderer", [])),
        "browser_private_mb": procinfo.private_dirty_mb(chrome.get("browser", [])),
        "gpu_private_mb": procinfo.private_dirty_mb(chrome.get("gpu-process", [])),
        "chromium_processes": len(every),
    }


def renderer_allocators(browser, page) -> dict:
    """The page renderer's memory per top-level allocator (MB), its Blink heap's live objects, and the
    allocators two levels deep (for a diff of where growth went)."""
    dump = allocators.memory_dump(browser, page)
    pid = allocators.main_renderer(dump)
    sizes = dump.get(pid, {})
    mb = {k: round(v / 2**20, 2) for k, v in allocators.level(sizes, 2).items() if v >= 2**16}
    return {
        "pid": pid,
        "top": {k: v for k, v in mb.items() if "/" not in k},
        "level2": mb,
        "blink_gc_live_mb": round(sizes.get("blink_gc/main/allocated_objects", 0) / 2**20, 2),
    }


def pressure_probe(browser, cdp) -> dict:
    """Chromium's memory before and after a simulated critical memory-pressure signal: what it gives back
    is cache (tiles, decoded resources, allocator reserves), what stays is in use."""
    before = chromium_memory()
    cdp.send("Memory.simulatePressureNotification", {"level": "critical"})
    browser.new_browser_cdp_session().send("Memory.simulatePressureNotification", {"level": "critical"})
    time.sleep(5)
    cdp.send("HeapProfiler.collectGarbage")
    time.sleep(5)
    after = chromium_memory()
    return {"before": before, "after": after}


def _median(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if isinstance(r.get(key), (int, float))]
    return statistics.median(values) if values else None


def _slope_per_hour(rows: list[dict], key: str) -> float | None:
    pts = [(r["elapsed_min"] / 60, r[key]) for r in rows if isinstance(r.get(key), (int, float))]
    if len(pts) < 3:
        return None
    mx, my = statistics.fmean(p[0] for p in pts), statistics.fmean(p[1] for p in pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / den if den else None


def summarise(rows: list[dict], warmup_min: float, window_min: float, meta: dict) -> dict:
    after = [r for r in rows if r["elapsed_min"] >= warmup_min]
    summary = {**meta, "samples": len(rows), "samples_after_warmup": len(after)}
    if not after:
        return summary
    end = after[-1]["elapsed_min"]
    span = end - after[0]["elapsed_min"]
    window = min(window_min, span / 3) if span > 0 else 0
    first = [r for r in after if r["elapsed_min"] <= after[0]["elapsed_min"] + window]
    last = [r for r in after if r["elapsed_min"] >= end - window]
    summary["windows_min"] = {
        "first": [first[0]["elapsed_min"], first[-1]["elapsed_min"]],
        "last": [last[0]["elapsed_min"], last[-1]["elapsed_min"]],
    }
    growth = {}
    for key in GROWTH_METRICS:
        a, b = _median(first, key), _median(last, key)
        growth[key] = {
            "first_median": a,
            "last_median": b,
            "growth_pct": 100 * (b - a) / a if a and b is not None else None,
            "slope_per_hour": _slope_per_hour(after, key),
            "min": min((r[key] for r in after if key in r), default=None),
            "max": max((r[key] for r in after if key in r), default=None),
        }
    summary["growth_after_warmup"] = growth
    summary["live_samples"] = sum(1 for r in rows if r["live"])
    summary["not_live_samples"] = [r["elapsed_min"] for r in rows if not r["live"]]
    summary["exceptions_on_screen_max"] = max(r.get("exceptions", 0) for r in rows)
    summary["db_connections_max"] = max((r["db_connections"] for r in rows if "db_connections" in r), default=None)
    lags = [r["stamp_lag_s"] for r in rows if isinstance(r.get("stamp_lag_s"), (int, float))]
    summary["stamp_lag_s_median"] = statistics.median(lags) if lags else None
    summary["stamp_lag_s_max"] = max(lags) if lags else None
    cpu = [r["server_cpu_s_per_min"] for r in after if isinstance(r.get("server_cpu_s_per_min"), float)]
    summary["server_cpu_s_per_min_median"] = statistics.median(cpu) if cpu else None
    tx = [r["db_xacts_per_min"] for r in after if isinstance(r.get("db_xacts_per_min"), float)]
    summary["db_xacts_per_min_median"] = statistics.median(tx) if tx else None
    return summary


def main(argv=None) -> int:
    p = database_parser(__doc__)
    p.add_argument("--database-url", default=None, help="use this database as it is (no 1M seeding)")
    p.add_argument("--minutes", type=float, default=60)
    p.add_argument("--sample-s", type=float, default=30)
    p.add_argument("--warmup-minutes", type=float, default=5)
    p.add_argument("--window-minutes", type=float, default=10)
    p.add_argument("--rate", type=float, default=3.0, help="simulator: new complaints per minute")
    p.add_argument(
        "--panel-interval", type=int, default=15, help="seconds (15 = the default; less ages the charts faster)"
    )
    p.add_argument("--name", default="soak", help="result file stem in bench/results")
    p.add_argument("--allocators-every", type=float, default=10, help="minutes between memory-infra dumps (0: none)")
    args = p.parse_args(argv)
    url = database_url(args)
    db_name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = args.admin_url
    on_postgres = url.startswith("postgresql")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_size=1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    feed_interval = 2
    env = {
        "NTBCARE_FEED_INTERVAL": str(feed_interval),
        "NTBCARE_PANEL_INTERVAL": str(args.panel_interval),
        "NTBCARE_KIOSK_RELOAD_AT": "",
    }  # measure the page itself: the nightly reload backstop is off
    meta = {
        "minutes": args.minutes,
        "sample_s": args.sample_s,
        "warmup_min": args.warmup_minutes,
        "window_min": args.window_minutes,
        "database": db_name,
        "simulator_rate_per_min": args.rate,
        "feed_interval_s": feed_interval,
        "panel_interval_s": args.panel_interval,
        "viewport": "1920x1080",
        "started_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "load_average_start": procinfo.load_average(),
        "cpus": os.cpu_count(),
    }
    csv_path, json_path = RESULTS / f"{args.name}.csv", RESULTS / f"{args.name}.json"
    live_log = (RESULTS / f"{args.name}-live.log").open("w")
    sim = subprocess.Popen(
        [sys.executable, "-m", "data_seed", "live", "--database-url", url, "--rate", str(args.rate), "--seed", "7"],
        cwd=ROOT,
        stdout=live_log,
        stderr=subprocess.STDOUT,
    )
    rows: list[dict] = []
    errors: list[str] = []
    events = {"crashes": 0, "page_errors": 0, "console_errors": 0, "navigations": 0}
    try:
        with StreamlitServer(url, env, RESULTS / f"{args.name}-server.log") as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=WALL_BROWSER_ARGS)
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.on("crash", lambda _p: events.update(crashes=events["crashes"] + 1))
            page.on("pageerror", lambda _e: events.update(page_errors=events["page_errors"] + 1))

            def on_console(msg):
                if msg.type == "error":
                    events["console_errors"] += 1
                    if len(errors) < 20:
                        errors.append(f"{time.monotonic() - t0:.0f}s {msg.text[:300]}")

            t0 = time.monotonic()
            page.on("console", on_console)
            page.on(
                "framenavigated",
                lambda f: f == page.main_frame and events.update(navigations=events["navigations"] + 1),
            )
            page.goto(f"{server.url}/monitor?kiosk=1", wait_until="commit", timeout=180000)
            page.wait_for_selector(".w-feed", timeout=180000)
            page.wait_for_selector("[data-testid='stPlotlyChart']", timeout=180000)
            cdp = page.context.new_cdp_session(page)
            cdp.send("Performance.enable")
            started = time.monotonic()
            prev = None
            alloc_log = (RESULTS / f"{args.name}-allocators.jsonl").open("w")
            next_dump = 0.0
            with csv_path.open("w", newline="") as fh:
                writer = None
                k = 0
                while True:
                    elapsed = time.monotonic() - started
                    if elapsed > args.minutes * 60 + 1:
                        break
                    row: dict = {
                        "elapsed_min": round(elapsed / 60, 3),
                        "utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    }
                    spid = server.proc.pid
                    row.update(
                        server_rss_mb=procinfo.rss_mb(spid),
                        server_threads=procinfo.threads(spid),
                        server_fds=procinfo.open_fds(spid),
                        server_cpu_s=procinfo.cpu_seconds(spid),
                    )
                    row.update(chromium_memory())
                    try:
                        row.update(browser_sample(page, cdp))
                        live, stamp, lag = is_live(page, feed_interval)
                        row.update(live=live, stamp=stamp, stamp_lag_s=lag)
                    except Exception as exc:  # noqa: BLE001 - a dead page is a finding, not a crash of the bench
                        row.update(live=False, stamp=f"error: {exc.__class__.__name__}", exceptions=-1)
                    if on_postgres:  # SQLite has no server to ask: its database figures stay empty
                        row.update(
                            db_connections=app_connections(admin, db_name, spid),
                            db_xacts=db_transactions(admin, db_name),
                        )
                    row.update(load1=procinfo.load_average()[0], **events)
                    if args.allocators_every and elapsed >= next_dump:
                        next_dump += args.allocators_every * 60
                        try:
                            record = renderer_allocators(browser, page)
                            alloc_log.write(json.dumps({"elapsed_min": row["elapsed_min"], **record}) + "\n")
                            alloc_log.flush()
                            row.update(
                                blink_gc_mb=record["top"].get("blink_gc"), blink_gc_live_mb=record["blink_gc_live_mb"]
                            )
                        except Exception as exc:  # noqa: BLE001 - extra information, as the pressure probe
                            errors.append(f"allocators: {exc}")
                    if prev:
                        minutes = (elapsed - prev["_t"]) / 60
                        row["server_cpu_s_per_min"] = (row["server_cpu_s"] - prev["server_cpu_s"]) / minutes
                        if on_postgres:
                            row["db_xacts_per_min"] = (row["db_xacts"] - prev["db_xacts"]) / minutes
                    if writer is None:
                        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS, extrasaction="ignore")
                        writer.writeheader()
                    writer.writerow(row)
                    fh.flush()
                    rows.append(row)
                    prev = {**row, "_t": elapsed}
                    print(
                        f"{row['elapsed_min']:6.1f} min  server {row['server_rss_mb']:.0f} MB  "
                        f"heap {row.get('js_heap_used_mb', float('nan')):.1f} MB  "
                        f"DOM {row.get('dom_elements')} el / {row.get('dom_nodes')} nodes  "
                        f"chromium {row['chromium_private_mb']:.0f} MB private  live {row['live']}  "
                        f"conns {row.get('db_connections', '–')}",
                        flush=True,
                    )
                    json_path.write_text(
                        json.dumps(
                            summarise(rows, args.warmup_minutes, args.window_minutes, {**meta, "finished": False}),
                            indent=2,
                        )
                    )
                    k += 1
                    time.sleep(max(0.0, started + k * args.sample_s - time.monotonic()))
            alloc_log.close()
            try:
                events["pressure_probe"] = pressure_probe(browser, cdp)
            except Exception as exc:  # noqa: BLE001 - the probe is extra information
                events["pressure_probe"] = f"failed: {exc}"
            browser.close()
    finally:
        sim.terminate()
        try:
            sim.wait(15)
        except subprocess.TimeoutExpired:
            sim.kill()
        live_log.close()
        admin.dispose()
    summary = summarise(
        rows,
        args.warmup_minutes,
        args.window_minutes,
        {
            **meta,
            "finished": True,
            "load_average_end": procinfo.load_average(),
            **events,
            "first_console_errors": errors,
        },
    )
    json_path.write_text(json.dumps(summary, indent=2))
    g = summary.get("growth_after_warmup", {})
    for key in (
        "server_rss_mb",
        "js_heap_used_mb",
        "dom_nodes",
        "chromium_private_mb",
        "renderer_private_mb",
        "gpu_private_mb",
    ):
        if key in g and g[key]["growth_pct"] is not None:
            print(
                f"{key}: {g[key]['first_median']:.1f} -> {g[key]['last_median']:.1f} "
                f"({g[key]['growth_pct']:+.1f}%, slope {g[key]['slope_per_hour']:+.2f}/h)"
            )
    print(f"live in {summary.get('live_samples')}/{summary['samples']} samples; written {csv_path} and {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
