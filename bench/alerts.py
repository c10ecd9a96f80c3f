"""Benchmark of the alert worker (issue 12) on the 1,000,000-complaint PostgreSQL database.

    python -m bench.alerts                       # copies ntbcare_bench to ntbcare_bench_alerts (TEMPLATE), once
    python -m bench.alerts --url postgresql://postgres@127.0.0.1/OTHER   # any database (it writes!)

Measures, with medians of several runs:
1. INSERT of a mendesak complaint -> its arrival at a local SMTP server (aiosmtpd), through a real worker
   process (`python -m alerts run`, default poll interval): p50 and p95 over --inserts inserts at random
   moments (target p95 <= 5 s).
2. The database time of one evaluation cycle of the running worker (the urgent-complaint scan, the due
   outbox, the lock check and the heartbeat), no notice due (target <= 50 ms median); and, for information,
   the once-a-day morning batch evaluation.
3. The monthly rapor for every OPD: the kepatuhan figures and one PDF per OPD plus the whole one (target
   <= 60 s).

The copy is the benchmark's own: the worker's schema and the inserted complaints stay in it, never in
ntbcare_bench. Results: printed and bench/results/alerts.json.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from alerts import outbox as q
from alerts.recipients import load_recipients
from alerts.settings import AlertSettings
from core.engine import make_engine
from core.settings import SlaRules
from queries.schema import complaint, opd


def copy_database(admin_url: str, template: str, name: str) -> str:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if not exists:
            busy = conn.execute(
                text("SELECT count(*) FROM pg_stat_activity WHERE datname = :t"), {"t": template}
            ).scalar()
            if busy:
                raise SystemExit(
                    f"{template} has {busy} connection(s): CREATE DATABASE ... TEMPLATE needs none; "
                    "try again when no one is connected"
                )
            print(f"creating {name} from {template} ...", flush=True)
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    copy = create_engine(url, isolation_level="AUTOCOMMIT")
    with copy.connect() as conn:  # a copy restored from a dump has no planner statistics yet
        conn.execute(text("ANALYZE"))
    copy.dispose()
    return url


def insert_urgent(engine, ticket: str) -> float:
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        conn.execute(
            insert(complaint).values(
                ticket=ticket,
                title="Banjir bandang, rumah warga terendam",
                body="Mohon bantuan segera.",
                classification="pengaduan",
                priority="mendesak",
                status="diterima",
                received_at=now,
                updated_at=now,
            )
        )
    return time.perf_counter()


def latency(url: str, inserts: int, seed: int) -> dict:
    from tests.alerts_support import SmtpSink

    smtp = SmtpSink().start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NTBCARE_ALERTS_")}
    env.update(
        {
            "NTBCARE_ALERTS_SECRETARIAT": smtp.url("sekretariat@ntbprov.go.id"),
            "NTBCARE_ALERTS_DISABLED": "hampir_jatuh_tempo,terlambat,ringkasan_harian,rapor_bulanan",
            "NTBCARE_PUBLIC_URL": "https://monitor.ntbprov.go.id/",
        }
    )
    ROOT.joinpath("bench", "results").mkdir(parents=True, exist_ok=True)
    log = ROOT.joinpath("bench", "results", "alerts-worker.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "alerts", "run", "--database-url", url, "--worker-id", "bench"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    engine = make_engine(url)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                if q.tables_exist(conn) and "active" in q.worker_heartbeat(conn)["role"].tolist():
                    break
            time.sleep(0.5)
        rng = random.Random(seed)
        stamp = dt.datetime.now().strftime("%H%M%S")
        sent: dict[str, float] = {}
        for i in range(inserts):
            time.sleep(rng.uniform(0.3, 4.0))  # random moments relative to the worker's poll
            ticket = f"BENCH-{stamp}-{seed}-{i:03d}"
            sent[ticket] = insert_urgent(engine, ticket)
        deadline = time.monotonic() + 60
        while len(smtp.messages) < inserts and time.monotonic() < deadline:
            time.sleep(0.05)
        arrived = {}
        for m in smtp.messages:
            t = m["subject"].rsplit(" ", 1)[1]
            arrived.setdefault(t, m["at"])
        # SmtpSink stamps time.time(); convert the insert moments to the same clock
        offset = time.time() - time.perf_counter()
        lat = sorted(arrived[t] - (sent[t] + offset) for t in sent if t in arrived)
        return {
            "inserts": inserts,
            "arrived": len(lat),
            "p50_s": round(statistics.median(lat), 3),
            "p95_s": round(lat[max(0, round(0.95 * len(lat)) - 1)], 3),
            "max_s": round(lat[-1], 3),
        }
    finally:
        proc.terminate()
        proc.wait(20)
        log.close()
        smtp.stop()
        engine.dispose()


def cycle_times(url: str, runs: int) -> dict:
    """The running worker's cycle with nothing due, and the morning batch evaluation, in process."""
    from alerts import rules as R
    from alerts.worker import Worker

    engine = make_engine(url)
    settings = replace(
        AlertSettings.defaults(),
        disabled=frozenset({"hampir_jatuh_tempo", "terlambat", "ringkasan_harian", "rapor_bulanan"}),
    )
    w = Worker(engine, settings, SlaRules(), load_recipients(secrets={}, read_files=False), worker_id="bench-cycle")
    w.cycle()  # tables, lock, cursors
    from sqlalchemy import event

    db = {"s": 0.0}

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, params, context, many):
        context._bench_t0 = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, params, context, many):
        db["s"] += time.perf_counter() - context._bench_t0

    samples, db_samples = [], []
    for _ in range(runs):
        db["s"] = 0.0
        t0 = time.perf_counter()
        assert w.cycle() == "active"
        samples.append((time.perf_counter() - t0) * 1000)
        db_samples.append(db["s"] * 1000)
    batch = []
    ctx = R.Context(AlertSettings.defaults(), SlaRules(), load_recipients(secrets={}, read_files=False))
    now = dt.datetime.now(dt.UTC)
    for _ in range(3):
        t0 = time.perf_counter()
        with engine.connect() as conn:
            rows = R.plan_batch(conn, ctx, now, now.date())
        batch.append(time.perf_counter() - t0)
    w.lock.release()
    engine.dispose()
    return {
        "cycle_db_median_ms": round(statistics.median(db_samples), 1),
        "cycle_wall_median_ms": round(statistics.median(samples), 1),
        "cycle_wall_max_ms": round(max(samples), 1),
        "cycles": runs,
        "batch_median_s": round(statistics.median(batch), 2),
        "batch_notices": len(rows),
    }


def rapor_all(url: str, runs: int) -> dict:
    from alerts import rules as R

    engine = make_engine(url, statement_timeout_ms=0)
    with engine.connect() as conn:
        codes = [c for (c,) in conn.execute(select(opd.c.code).where(opd.c.successor_id.is_(None)))]
        total = conn.execute(select(func.count()).select_from(complaint)).scalar()
    # every OPD has a contact: each gets its own page (the URLs are never contacted here)
    recips = load_recipients(
        secrets={"advisers": "json://127.0.0.1:9/x", "opd": {c: "json://127.0.0.1:9/x" for c in codes}},
        read_files=False,
    )
    ctx = R.Context(AlertSettings.defaults(), SlaRules(), recips)
    now = dt.datetime.now(dt.UTC)
    samples, n_pdfs = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        with engine.connect() as conn:
            rows = R.plan_rapor(conn, ctx, now, now.date().replace(day=1))
        samples.append(time.perf_counter() - t0)
        n_pdfs = len(rows)
    engine.dispose()
    return {
        "rapor_median_s": round(statistics.median(samples), 2),
        "runs": runs,
        "pdfs": n_pdfs,
        "opds": len(codes),
        "complaints": total,
    }


def main(argv=None) -> int:
    from bench.common import database_parser

    p = database_parser(__doc__)
    p.add_argument("--copy", default="ntbcare_bench_alerts", help="the benchmark's own copy of --database")
    p.add_argument("--url", default=None, help="use this database instead of a copy (the worker writes to it)")
    p.add_argument("--inserts", type=int, default=30)
    p.add_argument("--latency-runs", type=int, default=2)
    p.add_argument("--cycles", type=int, default=30)
    p.add_argument("--rapor-runs", type=int, default=3)
    args = p.parse_args(argv)
    url = args.url or copy_database(args.admin_url, args.database, args.copy)
    out: dict = {"database": make_url(url).render_as_string(hide_password=True)}
    out["cycle"] = cycle_times(url, args.cycles)
    print("cycle", out["cycle"], flush=True)
    out["latency_runs"] = [latency(url, args.inserts, seed) for seed in range(args.latency_runs)]
    out["latency"] = {k: round(statistics.median(r[k] for r in out["latency_runs"]), 3) for k in ("p50_s", "p95_s")}
    print("latency", out["latency"], out["latency_runs"], flush=True)
    out["rapor"] = rapor_all(url, args.rapor_runs)
    print("rapor", out["rapor"], flush=True)
    out["measured_at"] = dt.datetime.now(dt.UTC).isoformat()
    res = ROOT / "bench" / "results" / "alerts.json"
    res.parent.mkdir(parents=True, exist_ok=True)
    res.write_text(json.dumps(out, indent=2))
    print(f"written {res}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
