"""National scale (issue 23): the old and the new code side by side on the 1M and 10M databases.

    python -m bench.scale --db 1M=scale_1m --db 10M=ntbcare_10m_old [--old-tree /work/wt/scale-old]
                          [--only old|new] [--runs 3] [--glass 1M] [--seed-log new:1M=PATH ...]
                          [--skip-pages] [--skip-queries] [--skip-query NAME] [--nginx N]
                          [--admin-url URL] [--out docs/scale.md]

For each version (the old one: a copy of the code in --old-tree; the new one: this tree) and each database:
- pages: a fresh server (`python -m dashboard.serve` with real logins, tests/oidc_support.py), chromium, the
  first visit of each page, from typing the address until the page is complete (Streamlit's script finished,
  no skeleton or spinner, every plotly chart drawn, the page's own content present): the wall as the kiosk
  (its four charts drawn), `kepatuhan` this month as an adviser, `ringkasan` on a 390x844 phone as a leader,
  `kualitas-data` as an admin, the explorer's breached list as an admin (each logged-in page after the login
  tab is closed and the server has gone quiet); with --nginx N through nginx and N app processes started by
  the systemd unit (tests/deploy_stack.py), and with --admin-url naming a hot standby's server, reading it;
- insert-to-glass p95 (bench/glass.py, one wall; only on the databases named by --glass: it inserts and
  deletes rows, so never on a database that must not be written);
- the queries of bench/queries.py (medians of --runs after a warm-up) run by that version's own code in a
  subprocess, and the EXPLAIN (ANALYZE, BUFFERS) plan of every statement each query sends.
Seed times are read from `data_seed init` logs ("... dalam N s") given with --seed-log VERSION:DB=PATH.
The table is printed and written, with the plans, to --out (default bench/results/scale.md) and the raw
figures to bench/results/scale.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
ADMIN_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
TARGETS = {
    "seed": ("data_seed init", "1M <= 60 s, 10M <= 600 s"),
    "wall": ("wall first load (kiosk, four charts drawn)", "<= 1.5 s"),
    "glass": ("insert-to-glass p95", "<= 1.0 s"),
    "kepatuhan": ("kepatuhan, adviser, this month", "<= 2 s"),
    "ringkasan": ("ringkasan, 390x844 phone, leader", "<= 2 s"),
    "kualitas": ("kualitas-data, admin", "<= 3 s"),
    "explorer": ("explorer, breached list, admin", "<= 2 s"),
    "wallset": ("wall query set (sum of medians)", "<= 100 ms"),
    "changeset": ("what a new complaint makes the wall ask (sum of medians)", ""),
    "wall_cpu": ("wall first load: CPU s (server + database)", ""),
    "kepatuhan_cpu": ("kepatuhan: CPU s (server + database)", ""),
    "ringkasan_cpu": ("ringkasan: CPU s (server + database)", ""),
    "kualitas_cpu": ("kualitas-data: CPU s (server + database)", ""),
    "explorer_cpu": ("explorer breached: CPU s (server + database)", ""),
    "wall_browser": ("wall first load: browser main thread busy s (of it scripts)", ""),
    "kepatuhan_browser": ("kepatuhan: browser main thread busy s (of it scripts)", ""),
    "ringkasan_browser": ("ringkasan: browser main thread busy s (of it scripts)", ""),
    "kualitas_browser": ("kualitas-data: browser main thread busy s (of it scripts)", ""),
    "explorer_browser": ("explorer breached: browser main thread busy s (of it scripts)", ""),
}
# the issue measured without the app's statement timeout (66 s for kualitas-data at 10M would fail at 15 s)
SERVER_ENV = {"NTBCARE_STATEMENT_TIMEOUT_MS": "0"}
# (key, role, path, viewport, what must be on screen)
PAGES = (
    ("wall", None, "monitor?kiosk=1", (1920, 1080), ".w-feed"),
    ("kepatuhan", "adviser", "kepatuhan", (1600, 1000), "[data-testid='stDataFrame']"),
    ("ringkasan", "leader", "ringkasan", (390, 844), "[data-testid='stPlotlyChart'] .main-svg"),
    ("kualitas", "admin", "kualitas-data", (1600, 1000), "[data-testid='stDataFrame']"),
    ("explorer", "admin", "aduan?sla=breached", (1600, 1000), "[data-testid='stDataFrame']"),
)
COMPLETE = """([sel, charts]) => {
    const app = document.querySelector("[data-testid='stApp']");
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector("[data-testid='stSkeleton'], [data-testid='stSpinner']")) return false;
    if (!document.querySelector(sel)) return false;
    const drawn = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
    if (drawn.length < charts) return false;
    return drawn.every(c => c.querySelector('.main-svg'));
}"""
QUERY_SCRIPT = textwrap.dedent(
    """
    import datetime as dt, json, statistics, sys, time
    from sqlalchemy import event, select, text
    from bench import queries as bq
    from core.engine import make_engine
    from core.settings import SlaRules
    from queries.schema import complaint
    url, runs, skip = sys.argv[1], int(sys.argv[2]), set(filter(None, sys.argv[3].split(",")))
    engine = make_engine(url)
    now, rules = dt.datetime.now(dt.UTC), SlaRules()
    with engine.connect() as c:
        ticket = c.execute(select(complaint.c.ticket).order_by(complaint.c.id.desc()).limit(1)).scalar_one()
    sent = []
    @event.listens_for(engine, "before_cursor_execute")
    def _keep(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))
    out = {}
    groups = [("wall", bq.monitor_queries(now, rules)), ("other", bq.other_queries(now, rules, ticket))]
    if hasattr(bq, "change_queries"):  # not in the old code
        groups.insert(1, ("change", bq.change_queries(now)))
    for group, qs in groups:
        for name, fn in qs.items():
            if name in skip:
                continue
            with engine.connect() as c:
                del sent[:]
                fn(c)  # warm-up, and the statements it sends
                statements = list(sent)
                samples = []
                for _ in range(runs):
                    t0 = time.perf_counter(); fn(c); samples.append((time.perf_counter() - t0) * 1000)
                plans = []
                for statement, params in statements:
                    if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                        continue
                    cur = c.connection.dbapi_connection.cursor()
                    cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                    plans.append("\\n".join(r[0] for r in cur.fetchall()))
                    cur.close()
                c.rollback()
            out[name] = {"group": group, "median_ms": statistics.median(samples), "samples_ms": samples, "plans": plans}
            print(f"  {name:28s} {out[name]['median_ms']:9.1f} ms", file=sys.stderr, flush=True)
    print(json.dumps(out))
    """
)


@contextlib.contextmanager
def app_from(tree: Path, url: str, log: Path):
    """tests.oidc_support.LoginApp serving the code in ``tree`` (its server starts in browser_support.ROOT)."""
    from tests import browser_support
    from tests.oidc_support import LoginApp

    saved = browser_support.ROOT
    browser_support.ROOT = tree
    try:
        with LoginApp(url, log_path=log, extra_env=SERVER_ENV) as app:
            yield app
    finally:
        browser_support.ROOT = saved


class DbCpu:
    """CPU seconds used by the database's backends (parallel workers included) while it runs: sampled from
    /proc every 50 ms for every backend connected to the database. The machine is shared: a page's wall time
    depends on everyone's load, its CPU seconds (server + database) much less."""

    def __init__(self, admin_url: str, name: str):
        from sqlalchemy import create_engine

        self._engine = create_engine(admin_url)
        self._name = name

    def __enter__(self):
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._stop = threading.Event()
        self._sample(initial=True)
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def _sample(self, initial: bool = False) -> None:
        from sqlalchemy import text

        from bench import procinfo

        with self._engine.connect() as c:
            pids = c.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :d"), {"d": self._name}).scalars()
            for pid in pids:
                cpu = procinfo.cpu_seconds(pid, tree=False)
                self._first.setdefault(pid, cpu if initial else 0.0)
                self._last[pid] = max(cpu, self._last.get(pid, 0.0))

    def _loop(self) -> None:
        while not self._stop.wait(0.05):
            self._sample()

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample()
        self.seconds = sum(self._last[p] - self._first[p] for p in self._last)
        self._engine.dispose()


@contextlib.contextmanager
def behind_nginx(url: str, processes: int, label: str):
    """docs/deployment.md's stack in front of ``url`` (tests/deploy_stack.py): ``processes`` app processes started
    by the systemd unit's own command line, nginx (https, HTTP/2) in front, logins through the local provider.
    With ``url`` on a hot standby this is the scale-out the deployment recommends."""
    from tests.deploy_stack import DeployStack

    with DeployStack(processes=processes, env=SERVER_ENV, database_url=url, log_prefix=f"scale-{label}") as stack:
        yield stack


def time_pages(tree: Path, label: str, url: str, processes: int = 0) -> dict[str, float | str]:
    """First loads of PAGES on a fresh server: the code in ``tree`` as one process, or (``processes`` > 0, this
    tree only) that many app processes behind nginx."""
    from playwright.sync_api import sync_playwright

    from bench import procinfo
    from tests.browser_support import launch_browser
    from tests.oidc_support import login

    out: dict[str, float | str] = {}
    admin_url = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    serving = (
        behind_nginx(url, processes, label) if processes else app_from(tree, url, RESULTS / f"scale-{label}-server.log")
    )
    with serving as app, sync_playwright() as pw:
        pids = [a.proc.pid for a in app.apps.values()] if processes else [app.server.proc.pid]

        def server_cpu() -> float:
            return sum(procinfo.cpu_seconds(pid) for pid in pids)

        browser = launch_browser(pw)
        for key, role, path, (width, height), sel in PAGES:
            ctx = browser.new_context(viewport={"width": width, "height": height}, ignore_https_errors=True)
            if role:
                # the login ends on the wall's list view, a live page: closed, and the server left to go quiet, so
                # that it does not draw (browser) and refresh (server, database) beside the page being timed
                tab = ctx.new_page()
                login(tab, app, role)
                tab.close()
                for pid in pids:
                    procinfo.wait_quiet(pid)
            page = ctx.new_page()
            # the page's main thread: what the browser itself spends (chromium's own task accounting)
            devtools = ctx.new_cdp_session(page)
            devtools.send("Performance.enable")
            charts = 4 if key == "wall" else 0
            cpu0 = server_cpu()
            started = time.monotonic()
            try:
                with DbCpu(admin_url, make_url(url).database) as db:
                    page.goto(f"{app.url}/{path}", wait_until="commit", timeout=600000)
                    page.wait_for_function(COMPLETE, arg=[sel, charts], timeout=600000, polling=50)
                    out[key] = time.monotonic() - started
                out[f"{key}_cpu"] = server_cpu() - cpu0 + db.seconds
                out[f"{key}_db_cpu"] = db.seconds
                metrics = {m["name"]: m["value"] for m in devtools.send("Performance.getMetrics")["metrics"]}
                out[f"{key}_browser"] = metrics["TaskDuration"]
                out[f"{key}_browser_script"] = metrics["ScriptDuration"]
            except Exception as exc:  # noqa: BLE001 - reported in the table
                out[key] = f"failed: {str(exc).splitlines()[0][:80]}"
            print(
                f"  {label} {key}: {out[key] if isinstance(out[key], str) else f'{out[key]:.2f} s'}"
                f" (CPU: server + database {out.get(f'{key}_cpu', 0):.2f} s, of it database {out.get(f'{key}_db_cpu', 0):.2f} s;"
                f" browser main thread {out.get(f'{key}_browser', 0):.2f} s, of it scripts"
                f" {out.get(f'{key}_browser_script', 0):.2f} s)"
                f" load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            ctx.close()
        browser.close()
    return out


def keep_stored_answers(url: str) -> None:
    """What the summary worker does in production (`python -m summaries run`, docs/scale.md): the stored answers
    that `kualitas-data` reads are fresh when its page is timed. An answer older than the server's window would
    make the page compute the figure itself (a minute at 10M), which is not what a user sees."""
    import datetime as dt

    from core.engine import make_engine
    from core.settings import value
    from queries import quality
    from queries.summary_store import read_figure
    from summaries.worker import rebuild

    engine = make_engine(url, statement_timeout_ms=0)
    try:
        now = dt.datetime.now(dt.UTC)
        # fresh for the whole run: a quarter of the server's window (twice the interval) still ahead
        with engine.connect() as conn:
            window = dt.timedelta(seconds=2 * value("NTBCARE_SUMMARY_INTERVAL"))
            fresh = read_figure(conn, quality.STORED_NAME, now, window / 4)
        if fresh is None:
            took = rebuild(engine)
            print(f"  stored answers rebuilt: {', '.join(f'{k} {v:.1f} s' for k, v in took.items())}", flush=True)
    finally:
        engine.dispose()


def time_glass(tree: Path, label: str, url: str, inserts: int) -> float | None:
    from bench import glass
    from core.engine import make_engine

    args = argparse.Namespace(walls=1, inserts=inserts, windows=1, window_s=5)
    engine = make_engine(url)
    try:
        return glass.measure(tree, f"scale-{label}", url, engine, args)["latency_s"]["p95"]
    finally:
        engine.dispose()


def time_queries(tree: Path, url: str, runs: int, skip: list[str] | None = None) -> dict:
    res = subprocess.run(
        [sys.executable, "-c", QUERY_SCRIPT, url, str(runs), ",".join(skip or [])],
        check=False,
        cwd=tree,
        env={**os.environ, **SERVER_ENV, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
    )
    sys.stderr.write(res.stderr[-4000:])
    if res.returncode:
        raise RuntimeError(f"queries failed in {tree}: {res.stderr.strip().splitlines()[-1:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def seed_seconds(path: str) -> float | None:
    found = re.findall(r"dalam ([0-9.]+) s", Path(path).read_text(errors="replace"))
    return float(found[-1]) if found else None


def fmt(v, unit: str = "s") -> str:
    if v is None:
        return "not measured"
    if isinstance(v, str):
        return v
    return f"{v:,.0f} ms" if unit == "ms" else f"{v:,.1f} s" if v >= 10 else f"{v:.2f} s"


def render(results: dict, dbs: list[str]) -> str:
    versions = [v for v in ("old", "new") if v in results]
    cols = [f"{v} {db}" for db in dbs for v in versions]
    lines = ["| figure | " + " | ".join(cols) + " | target at 10M |", "|---" * (len(cols) + 2) + "|"]
    for key, (title, target) in TARGETS.items():
        row = []
        for db in dbs:
            for v in versions:
                r = results[v].get(db, {})
                if key in ("wallset", "changeset"):
                    group = "wall" if key == "wallset" else "change"
                    q = r.get("queries")
                    found = [x["median_ms"] for x in (q or {}).values() if x["group"] == group]
                    row.append(fmt(sum(found) if found else None, "ms"))
                elif key.endswith("_browser") and isinstance(r.get(key), float):
                    row.append(f"{fmt(r[key])} ({fmt(r.get(key + '_script'))})")
                else:
                    row.append(fmt(r.get(key)))
        lines.append(f"| {title} | " + " | ".join(row) + f" | {target} |")
    lines += ["", "Query medians (ms):", "", "| query | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    names = []
    for v in versions:
        for db in dbs:
            for n in results[v].get(db, {}).get("queries") or {}:
                if n not in names:
                    names.append(n)
    for n in names:
        row = []
        for db in dbs:
            for v in versions:
                q = (results[v].get(db, {}).get("queries") or {}).get(n)
                row.append(f"{q['median_ms']:,.1f}" if q else "–")
        lines.append(f"| `{n}` | " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"


def plans_markdown(results: dict, dbs: list[str]) -> str:
    out = []
    for v, per_db in results.items():
        for db in dbs:
            for name, q in (per_db.get(db, {}).get("queries") or {}).items():
                for k, plan in enumerate(q["plans"]):
                    out.append(f"#### {v} code, {db}: `{name}` statement {k + 1}\n\n```\n{plan}\n```\n")
    return "\n".join(out)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--admin-url", default=ADMIN_URL)
    p.add_argument("--db", action="append", required=True, help="LABEL=DATABASE, e.g. 1M=scale_1m")
    p.add_argument("--old-tree", default="/work/wt/scale-old")
    p.add_argument("--only", choices=("old", "new"), default=None)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--glass", action="append", default=[], help="LABEL of a database that may be written")
    p.add_argument("--glass-inserts", type=int, default=20)
    p.add_argument("--seed-log", action="append", default=[], help="VERSION:LABEL=PATH of a data_seed init log")
    p.add_argument("--skip-pages", action="store_true")
    p.add_argument("--skip-queries", action="store_true")
    p.add_argument(
        "--skip-query",
        action="append",
        default=[],
        help="a query of bench/queries.py not to time, e.g. quality.data_quality (a minute per run at 10M; the "
        "page reads the stored answer)",
    )
    p.add_argument(
        "--nginx",
        type=int,
        default=0,
        metavar="N",
        help="pages through nginx and N app processes (new code only; with --admin-url on a hot standby: the "
        "scale-out of docs/deployment.md)",
    )
    p.add_argument("--merge", action="store_true", help="add to bench/results/scale.json instead of replacing it")
    p.add_argument("--out", default=str(RESULTS / "scale.md"))
    args = p.parse_args(argv)
    dbs = dict(item.split("=", 1) for item in args.db)
    RESULTS.mkdir(parents=True, exist_ok=True)
    store = RESULTS / "scale.json"
    results: dict = {}  # this run's figures; with --merge, added to what the store holds when written

    def save() -> dict:
        held = json.loads(store.read_text()) if args.merge and store.exists() else {}
        for version, per_db in results.items():
            for label, figures in per_db.items():
                held.setdefault(version, {}).setdefault(label, {}).update(figures)
        store.write_text(json.dumps(held, indent=2))
        return held

    trees = {"old": Path(args.old_tree), "new": ROOT}
    for version, tree in trees.items():
        if args.only and version != args.only:
            continue
        for label, name in dbs.items():
            url = make_url(args.admin_url).set(database=name).render_as_string(hide_password=False)
            r = results.setdefault(version, {}).setdefault(label, {})
            r["database"] = name
            print(f"{version} code on {label} ({name}):", flush=True)
            if not args.skip_queries:
                r["queries"] = time_queries(tree, url, args.runs, args.skip_query)
            if not args.skip_pages:
                keep_stored_answers(url)
                r.update(time_pages(tree, f"{version}-{label}", url, processes=args.nginx if version == "new" else 0))
            if label in args.glass:
                r["glass"] = time_glass(tree, f"{version}-{label}", url, args.glass_inserts)
            save()
    for item in args.seed_log:
        who, path = item.split("=", 1)
        version, label = who.split(":", 1)
        results.setdefault(version, {}).setdefault(label, {})["seed"] = seed_seconds(path)
    results = save()
    labels = list(dict.fromkeys([*dbs, *(lbl for v in results.values() for lbl in v)]))
    table = render(results, labels)
    print(table)
    Path(args.out).write_text(
        f"# Scale benchmark (python -m bench.scale)\n\n{os.cpu_count()} CPUs, load {os.getloadavg()}\n\n{table}\n"
        f"## EXPLAIN plans\n\n{plans_markdown(results, labels)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
