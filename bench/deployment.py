"""The deployment of docs/deployment.md, measured: failover, insert-to-glass through nginx and the standby, and the
database load of ten walls on one and on two app processes.

    python -m bench.deployment [--complaints N] [--failovers 5] [--inserts 30] [--walls 10] [--window-s 30]
                               [--windows 2]

Everything runs on a PostgreSQL of its own (tests/pg_instance.py: a primary filled by `python -m data_seed init`
with --complaints complaints, default the demo volume, and a hot standby made from it with pg_basebackup), so the
shared server and its `ntbcare_bench` database are left alone. The app processes are started from
deploy/systemd/ntbcare-monitor@.service's own command line and nginx runs deploy/nginx/ntbcare-monitor.conf with a
certificate made for the run (tests/deploy_stack.py). Default intervals: feed 2 s, panels 15 s.

1. Insert-to-glass, three paths in the same run, one kiosk wall each (1920x1080):
   direct   chromium -> app process (http) -> primary
   nginx    chromium -> nginx (https, HTTP/2) -> app process -> primary
   standby  chromium -> nginx (https) -> app process -> hot standby (streaming from the primary)
   --inserts complaints are inserted on the primary at random moments (0.3 s to feed interval + 0.3 s apart, so
   every phase of the refresh cycle is sampled); an observer in each page notes when each ticket first appears.
   p50/p95/max per path, from COMMIT to on screen.
2. Failover: one wall through nginx on two app processes (reading the standby). --failovers times each: the
   process holding the wall's WebSocket is killed (SIGKILL: a lost server) or stopped (SIGTERM: `systemctl
   stop`), a complaint is inserted at once, and the time until (a) the wall's WebSocket is open on the other
   process and (b) that complaint is on the wall ("live again") is measured; then the process is started again.
3. Database load: transactions per minute (pg_stat_database xact_commit + xact_rollback of the app's database on
   the standby, the app's only database) for 1 wall on 1 process, --walls walls on 1 process (the other one
   stopped, so nginx sends every wall to the first), and the same walls on 2 processes (the second started again
   and every wall reloaded: each goes back to the process its affinity cookie hashes to). Median of --windows
   windows of --window-s seconds each.

Results: bench/results/deployment.json (and the app/nginx logs beside it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlalchemy import create_engine, insert, select, text

from bench import procinfo
from bench.common import pct
from bench.soak import WALL_BROWSER_ARGS
from core.engine import make_engine
from queries import schema
from tests.browser_support import ARTIFACTS, CHROMIUM, free_port
from tests.deploy_stack import DATABASE, DeployStack, primary_and_standby
from tests.deploy_support import UnitServer, client_connections, write_monitor_env
from tests.readonly import role_url

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FEED_INTERVAL, PANEL_INTERVAL = 2, 15
ENV = {
    "NTBCARE_FEED_INTERVAL": str(FEED_INTERVAL),
    "NTBCARE_PANEL_INTERVAL": str(PANEL_INTERVAL),
    "NTBCARE_KIOSK_RELOAD_AT": "",
}
SEEN = """() => {
    window.__seen = {};
    const note = () => {
        for (const tr of document.querySelectorAll('.w-feed tr[data-ticket]'))
            if (!(tr.dataset.ticket in window.__seen)) window.__seen[tr.dataset.ticket] = Date.now();
    };
    new MutationObserver(note).observe(document.body, {subtree: true, childList: true});
    note();
}"""


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50_s": pct(values, 0.5),
        "p95_s": pct(values, 0.95),
        "max_s": max(values, default=None),
        "samples_s": [round(v, 3) for v in values],
    }


def seed(complaints: int | None):
    def build(engine) -> None:
        url = engine.url.render_as_string(hide_password=False)
        cmd = [sys.executable, "-m", "data_seed", "init", "--database-url", url, "--quiet"]
        if complaints:
            cmd += ["--complaints", str(complaints)]
        if complaints and complaints >= 1_000_000:  # nothing here searches text: its index would cost minutes
            cmd += ["--text-index", "later"]
        subprocess.run(cmd, cwd=ROOT, check=True)

    return build


class Inserter:
    def __init__(self, owner_url: str):
        self.engine = make_engine(owner_url)
        with self.engine.connect() as c:
            self.sector = c.execute(select(schema.sector.c.id).limit(1)).scalar_one()
            self.channel = c.execute(select(schema.channel.c.id).limit(1)).scalar_one()

    def insert(self, title: str) -> tuple[str, float]:
        """Insert one complaint received now; returns (ticket, wall-clock time just after COMMIT)."""
        ticket = f"BENCH-{uuid.uuid4().hex[:12]}"
        with self.engine.begin() as c:
            c.execute(
                insert(schema.complaint).values(
                    ticket=ticket,
                    title=title,
                    body="bench.deployment",
                    sector_id=self.sector,
                    channel_id=self.channel,
                    classification="pengaduan",
                    priority="biasa",
                    status="diterima",
                    received_at=dt.datetime.now(dt.UTC),
                )
            )
        return ticket, time.time()


def open_wall(browser, url: str, width=1920, height=1080):
    context = browser.new_context(viewport={"width": width, "height": height}, ignore_https_errors=True)
    page = context.new_page()
    page.goto(f"{url}/monitor?kiosk=1", wait_until="commit", timeout=180000)
    page.wait_for_selector(".w-feed tr", timeout=180000)
    page.evaluate(SEEN)
    return context, page


def seen_at(page, ticket: str) -> float | None:
    ms = page.evaluate("t => window.__seen[t] || null", ticket)
    return ms / 1000 if ms else None


def wait_seen(pages: dict, ticket: str, timeout: float = 60) -> dict[str, float | None]:
    deadline = time.monotonic() + timeout
    got: dict[str, float | None] = {}
    while time.monotonic() < deadline:
        got = {name: seen_at(page, ticket) for name, page in pages.items()}
        if all(v is not None for v in got.values()):
            break
        time.sleep(0.1)
    return got


def latency_phase(browser, pg_urls: dict, inserter: Inserter, inserts: int, tmp: Path) -> dict:
    """Three walls, three paths (module docstring); the same inserts seen by all three."""
    env_file = write_monitor_env(tmp / "direct.env", pg_urls["primary"], "d" * 64, ENV)
    (tmp / "empty-secrets.toml").write_text("")
    direct = UnitServer(free_port(), env_file, tmp / "empty-secrets.toml", RESULTS / "deployment-direct-app.log")
    via_nginx = DeployStack(
        processes=1, env=ENV, with_login=False, log_prefix="bench-nginx", database_url=pg_urls["primary"]
    )
    via_standby = DeployStack(
        processes=1, env=ENV, with_login=False, log_prefix="bench-standby", database_url=pg_urls["standby"]
    )
    try:
        walls = {
            "direct": open_wall(browser, direct.url),
            "nginx": open_wall(browser, via_nginx.url),
            "standby": open_wall(browser, via_standby.url),
        }
        pages = {name: page for name, (_, page) in walls.items()}
        time.sleep(3)
        lat: dict[str, list[float]] = {name: [] for name in pages}
        missed: dict[str, int] = {name: 0 for name in pages}
        for i in range(inserts):
            time.sleep(random.uniform(0.3, FEED_INTERVAL + 0.3))
            ticket, committed = inserter.insert(f"Uji latensi penerapan {i}")
            for name, at in wait_seen(pages, ticket).items():
                if at is None:
                    missed[name] += 1
                else:
                    lat[name].append(at - committed)
        for context, _ in walls.values():
            context.close()
        out = {name: {**summary(v), "missed": missed[name]} for name, v in lat.items()}
        for name, fig in out.items():
            print(
                f"insert-to-glass {name:8s}: p50 {fig['p50_s']:.2f} s, p95 {fig['p95_s']:.2f} s, "
                f"max {fig['max_s']:.2f} s (n={fig['n']}, missed {fig['missed']})",
                flush=True,
            )
        return out
    finally:
        via_standby.close()
        via_nginx.close()
        direct.stop()


def serving(stack) -> dict[int, int]:
    return {port: client_connections(port) for port in stack.ports}


def wait_serving(stack, total: int, timeout: float = 60) -> dict[int, int]:
    deadline = time.monotonic() + timeout
    while True:
        got = serving(stack)
        if sum(got.values()) == total or time.monotonic() > deadline:
            return got
        time.sleep(0.05)


def failover_phase(browser, stack, inserter: Inserter, rounds: int) -> dict:
    context, page = open_wall(browser, stack.url)
    out: dict = {}
    for mode, sig in (("killed", signal.SIGKILL), ("stopped", signal.SIGTERM)):
        reconnect, live, errors = [], [], []
        for r in range(rounds):
            held = wait_serving(stack, 1)
            lost = next(port for port, n in held.items() if n == 1)
            other = next(port for port in stack.ports if port != lost)
            app = stack.apps[lost]
            t0 = time.time()
            os.killpg(app.proc.pid, sig)
            ticket, _committed = inserter.insert(f"Uji failover {mode} {r}")
            while client_connections(other) < 1 and time.time() - t0 < 30:
                time.sleep(0.02)
            reconnect.append(time.time() - t0)
            at = wait_seen({"wall": page}, ticket, timeout=30)["wall"]
            if at is None:
                errors.append(f"{mode} {r}: the wall did not show the new complaint within 30 s")
            else:
                live.append(at - t0)
            trouble = page.evaluate(
                "() => ['Connection error', 'Traceback'].filter(s => document.body.innerText.includes(s))"
            )
            if trouble:
                errors.append(f"{mode} {r}: {trouble}")
            try:
                app.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(app.proc.pid, signal.SIGKILL)
            stack.restart(lost)
            print(
                f"failover ({mode}) {r + 1}/{rounds}: WebSocket on the other process after {reconnect[-1]:.2f} s, "
                f"new complaint on the wall after {live[-1] if live else float('nan'):.2f} s",
                flush=True,
            )
            time.sleep(3)
        out[mode] = {"reconnect": summary(reconnect), "live_again": summary(live), "errors": errors}
    context.close()
    return out


def transactions(stack) -> int:
    engine = create_engine(stack.standby_admin_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as c:
            return int(
                c.execute(
                    text("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = :d"), {"d": DATABASE}
                ).scalar_one()
            )
    finally:
        engine.dispose()


def measure(stack, window_s: float, windows: int) -> dict:
    rows = []
    for _ in range(windows):
        tx0, t0 = transactions(stack), time.monotonic()
        time.sleep(window_s)
        rows.append((transactions(stack) - tx0) * 60 / (time.monotonic() - t0))
    return {
        "db_transactions_per_min": statistics.median(rows),
        "windows": [round(r) for r in rows],
        "load1": procinfo.load_average()[0],
    }


def load_phase(browser, stack, walls_n: int, window_s: float, windows: int) -> dict:
    _first, second = stack.ports
    stack.apps[second].stop()  # `systemctl stop ntbcare-monitor@second`: nginx sends every wall to the first
    walls = [open_wall(browser, stack.url, 1280, 720)]
    time.sleep(PANEL_INTERVAL)
    out = {"1 wall, 1 process": {**measure(stack, window_s, windows), "walls_per_process": serving(stack)}}
    print(f"1 wall on 1 process: {out['1 wall, 1 process']}", flush=True)
    walls += [open_wall(browser, stack.url, 1280, 720) for _ in range(walls_n - 1)]
    wait_serving(stack, walls_n)
    time.sleep(PANEL_INTERVAL)
    key = f"{walls_n} walls, 1 process"
    out[key] = {**measure(stack, window_s, windows), "walls_per_process": serving(stack)}
    print(f"{key}: {out[key]}", flush=True)
    stack.restart(second)
    for _, page in walls:  # a reload: the same affinity cookie, now hashed to its own process again
        page.reload(wait_until="commit")
    for _, page in walls:
        page.wait_for_selector(".w-feed tr", timeout=180000)
    wait_serving(stack, walls_n)
    time.sleep(PANEL_INTERVAL)
    key = f"{walls_n} walls, 2 processes"
    out[key] = {**measure(stack, window_s, windows), "walls_per_process": serving(stack)}
    print(f"{key}: {out[key]}", flush=True)
    for context, _ in walls:
        context.close()
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument(
        "--complaints",
        type=int,
        default=None,
        help="complaints in the bench's own database (default: data_seed's demo volume)",
    )
    p.add_argument("--failovers", type=int, default=5)
    p.add_argument("--inserts", type=int, default=30)
    p.add_argument("--walls", type=int, default=10)
    p.add_argument("--window-s", type=float, default=30)
    p.add_argument("--windows", type=int, default=2)
    p.add_argument("--skip", default="", help="comma-separated phases to skip: latency,failover,load")
    args = p.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    RESULTS.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "started_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_average_start": procinfo.load_average(),
        "feed_interval_s": FEED_INTERVAL,
        "panel_interval_s": PANEL_INTERVAL,
    }
    t0 = time.monotonic()
    copy_timeout = 30 + (args.complaints or 0) / 50_000  # pg_basebackup of 10M complaints: about a minute here
    with primary_and_standby(seed(args.complaints), copy_timeout=copy_timeout) as (primary, standby, owner_url):
        with make_engine(owner_url).connect() as c:
            results["database"] = {
                "complaints": c.execute(text("SELECT count(*) FROM complaint")).scalar_one(),
                "where": "private PostgreSQL (tests/pg_instance.py) + hot standby, data_seed init",
            }
        print(
            f"database: {results['database']['complaints']} complaints, primary :{primary.port}, standby "
            f":{standby.port} ({time.monotonic() - t0:.0f} s)",
            flush=True,
        )
        inserter = Inserter(owner_url)
        urls = {"primary": role_url(primary, DATABASE), "standby": role_url(standby, DATABASE)}
        tmp = Path(ARTIFACTS / "bench-deployment")
        tmp.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=WALL_BROWSER_ARGS)
            if "latency" not in skip:
                results["insert_to_glass"] = latency_phase(browser, urls, inserter, args.inserts, tmp)
            with DeployStack(
                processes=2, env=ENV, with_login=False, log_prefix="bench-failover", database_url=urls["standby"]
            ) as stack:
                stack.standby_admin_url = standby.url("postgres")
                if "failover" not in skip:
                    results["failover"] = failover_phase(browser, stack, inserter, args.failovers)
                if "load" not in skip:
                    results["db_load"] = load_phase(browser, stack, args.walls, args.window_s, args.windows)
            browser.close()
        inserter.engine.dispose()
    results["load_average_end"] = procinfo.load_average()
    results["duration_s"] = round(time.monotonic() - t0)
    out = RESULTS / "deployment.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
