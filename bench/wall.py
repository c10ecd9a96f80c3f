"""Wall benchmark on PostgreSQL with 1,000,000 complaints (the database of `python -m bench.queries`).

    python -m bench.wall [--admin-url URL] [--database ntbcare_bench] [--inserts 30] [--cpu-seconds 60]
                         [--refreshes 2000]

Reports:
- INSERT-to-visible latency in chromium, p50 and p95 over --inserts inserts (target p95 <= feed interval + 1 s);
- server CPU seconds per minute and database transactions per minute for 1 and 10 walls (--walls; the
  shared cache must keep the database load flat);
- server memory (RSS) after 100 and after --refreshes feed refreshes (target: growth under 10%).
Results are printed and written to bench/results/wall.json.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlalchemy import create_engine, delete, insert, select, text

from bench.common import database_parser, pct
from bench.procinfo import cpu_seconds, rss_mb
from bench.queries import ensure_database
from core.engine import make_engine
from queries import schema
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, StreamlitServer

ROOT = Path(__file__).resolve().parent.parent
FEED_INTERVAL = 2


def db_transactions(admin, name: str) -> int:
    with admin.connect() as c:
        return int(
            c.execute(
                text("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = :n"), {"n": name}
            ).scalar_one()
        )


def open_walls(browser, url: str, n: int):
    pages = []
    for _ in range(n):
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{url}/monitor?kiosk=1", wait_until="commit", timeout=180000)
        page.wait_for_selector(".w-feed", timeout=180000)
        pages.append(page)
    return pages


def measure_latency(engine, page, inserts: int) -> list[float]:
    with engine.connect() as c:
        ref = (
            c.execute(select(schema.sector.c.id).limit(1)).scalar_one(),
            c.execute(select(schema.channel.c.id).limit(1)).scalar_one(),
        )
    samples, tickets = [], []
    for i in range(inserts):
        time.sleep(random.uniform(0.3, FEED_INTERVAL + 0.3))  # sample every phase of the refresh cycle
        ticket = f"BENCH-{uuid.uuid4().hex[:12]}"
        with engine.begin() as c:
            c.execute(
                insert(schema.complaint).values(
                    ticket=ticket,
                    title=f"Uji latensi {i}",
                    body="bench",
                    sector_id=ref[0],
                    channel_id=ref[1],
                    classification="pengaduan",
                    priority="biasa",
                    status="diterima",
                    received_at=dt.datetime.now(dt.UTC),
                )
            )
        committed = time.monotonic()
        page.wait_for_selector(f".w-feed tr[data-ticket='{ticket}']", timeout=30000)
        samples.append(time.monotonic() - committed)
        tickets.append(ticket)
    with engine.begin() as c:
        c.execute(delete(schema.complaint).where(schema.complaint.c.ticket.in_(tickets)))
    return samples


def main(argv=None) -> int:
    p = database_parser(__doc__)
    p.add_argument("--inserts", type=int, default=30)
    p.add_argument("--cpu-seconds", type=float, default=60)
    p.add_argument("--refreshes", type=int, default=2000)
    p.add_argument("--walls", default="1,10", help="wall counts to compare")
    args = p.parse_args(argv)
    url, _ = ensure_database(args.admin_url, args.database, args.complaints, False)
    admin = create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    engine = make_engine(url)
    results: dict = {"feed_interval_s": FEED_INTERVAL}
    env = {"NTBCARE_FEED_INTERVAL": str(FEED_INTERVAL), "NTBCARE_PANEL_INTERVAL": "15"}
    with StreamlitServer(url, env, ROOT / "bench" / "results" / "wall-server.log") as server, sync_playwright() as pw:
        # every wall is a visible screen: no background-tab throttling
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS
            + [
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
            ],
        )
        walls = open_walls(browser, server.url, 1)
        lat = measure_latency(engine, walls[0], args.inserts)
        results["latency_s"] = {"p50": statistics.median(lat), "p95": pct(lat, 0.95), "max": max(lat), "n": len(lat)}
        print(
            f"INSERT -> visible: p50 {results['latency_s']['p50']:.2f} s, p95 {results['latency_s']['p95']:.2f} s "
            f"(target p95 <= {FEED_INTERVAL + 1} s), n={len(lat)}"
        )

        for n in sorted(int(x) for x in args.walls.split(",")):
            walls += open_walls(browser, server.url, n - len(walls)) if n > len(walls) else []
            time.sleep(5)
            cpu0, tx0, t0 = cpu_seconds(server.proc.pid), db_transactions(admin, args.database), time.monotonic()
            time.sleep(args.cpu_seconds)
            cpu1, tx1, t1 = cpu_seconds(server.proc.pid), db_transactions(admin, args.database), time.monotonic()
            minutes = (t1 - t0) / 60
            results[f"walls_{n}"] = {
                "server_cpu_s_per_min": (cpu1 - cpu0) / minutes,
                "db_transactions_per_min": (tx1 - tx0) / minutes,
            }
            print(
                f"{n:2d} wall(s): server CPU {results[f'walls_{n}']['server_cpu_s_per_min']:.1f} s/min, "
                f"database {results[f'walls_{n}']['db_transactions_per_min']:.0f} transactions/min"
            )

        # memory: refreshes = fragment reruns of the live panels (header, feed, activity: 3 per wall per interval)
        per_second = 3 * len(walls) / FEED_INTERVAL
        start = time.monotonic()
        time.sleep(max(0.0, 100 / per_second - (time.monotonic() - start)))
        rss_100 = rss_mb(server.proc.pid)
        time.sleep(max(0.0, args.refreshes / per_second - (time.monotonic() - start)))
        rss_n = rss_mb(server.proc.pid)
        results["memory_mb"] = {
            "after_100": rss_100,
            f"after_{args.refreshes}": rss_n,
            "growth_pct": 100 * (rss_n - rss_100) / rss_100,
            "walls": len(walls),
        }
        print(
            f"server RSS after 100 refreshes {rss_100:.0f} MB, after {args.refreshes} {rss_n:.0f} MB "
            f"({results['memory_mb']['growth_pct']:+.1f}%, target < 10%)"
        )
        browser.close()
    out = ROOT / "bench" / "results" / "wall.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
