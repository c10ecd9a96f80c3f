"""Insert to glass and server CPU per wall, two versions of the app in the same run (issue 13).

    python -m bench.glass [--old REV | --old-tree PATH] [--walls 10] [--inserts 40] [--window-s 30] [--windows 3]
                          [--rounds 1] [--admin-url URL --database ntbcare_bench]

For each version (the old one: a `git archive` of REV, default the first parent of issue-13's work, or a
copy in --old-tree; the new one: this tree), in turn and --rounds times (old, new, old, new...): the server
(`python -m dashboard.serve`, feed 2 s, panels 15 s) on the 1,000,000-complaint database, --walls kiosk walls in
chromium (1920x1080, one browser context each, i.e. one Streamlit session each), then
- server CPU: --windows windows of --window-s seconds with no insert, CPU seconds per minute of the server
  process tree (/proc), divided by the number of walls;
- insert to glass: --inserts complaints inserted one at a time at random moments relative to the refresh
  timers (each insert waits a uniform 1..5 s after the previous one appeared, i.e. two whole periods of the
  old 2 s feed timer: the phase is uniform), from COMMIT to the moment the row is in the DOM of wall 1
  (an in-page MutationObserver stamps it with Date.now(), the same clock as the commit time); all walls open.
Inserted rows are the bench's own (tickets BENCH-...) and are deleted at the end, as bench.wall does.
Results: bench/results/glass.json (medians over rounds; every sample kept).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlalchemy import delete, insert, select

from bench import procinfo
from bench.common import database_parser, pct
from bench.soak import WALL_BROWSER_ARGS
from core.engine import make_engine
from queries import schema
from tests.browser_support import CHROMIUM, free_port

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ENV = {"NTBCARE_FEED_INTERVAL": "2", "NTBCARE_PANEL_INTERVAL": "15", "NTBCARE_KIOSK_RELOAD_AT": ""}
OBSERVER = """() => {
    window.__seen = {};
    const main = document.querySelector('[data-testid=stMain]');
    const scan = () => {
        for (const tr of document.querySelectorAll('.w-feed tr[data-ticket^="BENCH-"]')) {
            const k = tr.getAttribute('data-ticket');
            if (!(k in window.__seen)) window.__seen[k] = Date.now();
        }
    };
    new MutationObserver(scan).observe(main, {subtree: true, childList: true});
}"""


class Server(contextlib.AbstractContextManager):
    """`python -m dashboard.serve` from ``tree`` on a free port."""

    def __init__(self, tree: Path, url: str, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dashboard.serve",
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--server.fileWatcherType",
                "none",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=tree,
            env={**os.environ, "DATABASE_URL": url, **ENV},
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
            time.sleep(0.3)
        raise RuntimeError(f"server from {tree} did not start")

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self._log.close()


def measure(tree: Path, label: str, url: str, engine, args) -> dict:
    out: dict = {"version": label, "tree": str(tree), "load_start": procinfo.load_average()}
    with Server(tree, url, RESULTS / f"glass-{label}-server.log") as server, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=WALL_BROWSER_ARGS)
        walls = []
        for _ in range(args.walls):
            ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
            page = ctx.new_page()
            page.goto(f"{server.url}/monitor?kiosk=1", wait_until="commit", timeout=300000)
            page.wait_for_selector(".w-feed", timeout=300000)
            walls.append(page)
        walls[0].evaluate(OBSERVER)
        time.sleep(15)
        cpu = []
        for _ in range(args.windows):
            c0, t0 = procinfo.cpu_seconds(server.proc.pid), time.monotonic()
            time.sleep(args.window_s)
            c1, t1 = procinfo.cpu_seconds(server.proc.pid), time.monotonic()
            cpu.append((c1 - c0) / ((t1 - t0) / 60))
        out["server_cpu_s_per_min_windows"] = cpu
        out["server_cpu_s_per_min"] = statistics.median(cpu)
        out["server_cpu_s_per_min_per_wall"] = statistics.median(cpu) / args.walls
        with engine.connect() as c:
            ref = (
                c.execute(select(schema.sector.c.id).limit(1)).scalar_one(),
                c.execute(select(schema.channel.c.id).limit(1)).scalar_one(),
            )
        lat, tickets, missed = [], [], 0
        for i in range(args.inserts):
            time.sleep(random.uniform(1.0, 5.0))
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
            committed = time.time() * 1000
            tickets.append(ticket)
            try:
                walls[0].wait_for_function("t => t in window.__seen", arg=ticket, timeout=30000, polling=100)
                lat.append((walls[0].evaluate("t => window.__seen[t]", ticket) - committed) / 1000)
            except Exception:  # noqa: BLE001 - counted
                missed += 1
        with engine.begin() as c:  # (a simulator on a small database may have added events to them)
            ids = select(schema.complaint.c.id).where(schema.complaint.c.ticket.in_(tickets))
            c.execute(delete(schema.complaint_event).where(schema.complaint_event.c.complaint_id.in_(ids)))
            c.execute(delete(schema.complaint).where(schema.complaint.c.ticket.in_(tickets)))
        out["latency_s"] = {
            "p50": statistics.median(lat) if lat else None,
            "p95": pct(lat, 0.95),
            "max": max(lat, default=None),
            "n": len(lat),
            "missed": missed,
            "samples": [round(x, 3) for x in lat],
        }
        out["load_end"] = procinfo.load_average()
        browser.close()
    print(
        f"{label}: insert to glass p50 {out['latency_s']['p50']:.2f} s, p95 {out['latency_s']['p95']:.2f} s "
        f"(n={len(lat)}, missed {missed}); server CPU {out['server_cpu_s_per_min']:.1f} s/min for {args.walls} walls "
        f"= {out['server_cpu_s_per_min_per_wall']:.2f} s/min per wall; load {out['load_end']}",
        flush=True,
    )
    return out


def main(argv=None) -> int:
    p = database_parser(__doc__)
    p.add_argument("--database-url", default=None)
    p.add_argument("--old", default="1f26de7", help="git revision of the old version")
    p.add_argument("--old-tree", default=None, help="a copy of the old version (instead of --old)")
    p.add_argument("--walls", type=int, default=10)
    p.add_argument("--inserts", type=int, default=40)
    p.add_argument("--window-s", type=float, default=30)
    p.add_argument("--windows", type=int, default=3)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--name", default="glass")
    args = p.parse_args(argv)
    url = args.database_url or args.admin_url.rsplit("/", 1)[0] + "/" + args.database
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ntbcare-old-") as tmp:
        old = Path(args.old_tree) if args.old_tree else Path(tmp)
        if not args.old_tree:
            archive = subprocess.run(["git", "archive", args.old], cwd=ROOT, capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
        engine = make_engine(url)
        runs = []
        for r in range(args.rounds):
            for label, tree in (("old", old), ("new", ROOT)):
                runs.append({"round": r, **measure(tree, label, url, engine, args)})
        engine.dispose()
    summary = {"walls": args.walls, "database": url.rsplit("/", 1)[1], "cpus": os.cpu_count(), "runs": runs}
    for label in ("old", "new"):
        mine = [x for x in runs if x["version"] == label]
        lat = [s for x in mine for s in x["latency_s"]["samples"]]
        summary[label] = {
            "latency_p50_s": statistics.median(lat) if lat else None,
            "latency_p95_s": pct(lat, 0.95),
            "latency_n": len(lat),
            "server_cpu_s_per_min_per_wall_median": statistics.median(x["server_cpu_s_per_min_per_wall"] for x in mine),
        }
    (RESULTS / f"{args.name}.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps({k: summary[k] for k in ("old", "new")}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
