"""Seed PostgreSQL with 1,000,000 complaints and report the median time of every query.

    python -m bench.queries [--admin-url URL] [--database ntbcare_bench] [--complaints 1000000]
                            [--runs 9] [--reseed]

Targets (issue 2): each query the monitor uses <= 50 ms median, the monitor's whole set <= 200 ms,
seeding 1M complaints <= 3 minutes. Results are printed and written to bench/results/queries.json.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bench.common import database_parser
from core.engine import make_engine
from core.settings import SlaRules
from queries import breakdown, complaint, feed, headline, overdue, quality, scorecard, search, trend
from queries.schema import complaint as complaint_t

ROOT = Path(__file__).resolve().parent.parent


def monitor_queries(now, rules):
    """The queries the wall runs on each refresh (issue 3 uses exactly these)."""
    day30 = now - dt.timedelta(days=30)
    return {
        "feed.new_complaints": lambda c: feed.new_complaints(c, 12),
        "feed.recent_events": lambda c: feed.recent_events(c, 12),
        "headline.period_counts": lambda c: headline.period_counts(c, now, rules),
        "overdue.overdue_by_opd": lambda c: overdue.overdue_by_opd(c, now, rules),
        "breakdown.sector_30d": lambda c: breakdown.count_by(c, "sector", day30, now),
        "breakdown.channel_30d": lambda c: breakdown.count_by(c, "channel", day30, now),
        "breakdown.region_open": lambda c: breakdown.count_by(c, "region", only_open=True),
        "trend.day_30d": lambda c: trend.received_vs_completed(c, day30, now, "day"),
    }


def change_queries(now):
    """What a new complaint or event makes the wall ask (dashboard/wall/data.take_snapshot, keyed by the change);
    the late OPDs and the period's completions are read once per panel interval, the charts once a minute."""
    hour_ago = now - dt.timedelta(hours=1)
    return {
        "change.new_complaints": lambda c: feed.new_complaints(c, 8, now=now),
        "change.recent_events": lambda c: feed.recent_events(c, 8, now=now),
        "change.recent_urgent": lambda c: feed.recent_urgent(c, hour_ago, 10, now=now),
        "change.received_counts": lambda c: headline.received_counts(c, now),
    }


def other_queries(now, rules, ticket):
    month = now - dt.timedelta(days=30)
    year = now - dt.timedelta(days=365)
    two_years = dt.datetime(now.year - 1, 1, 1, tzinfo=dt.UTC)
    return {
        "headline.headline_counts": lambda c: headline.headline_counts(c, now, rules),
        "scorecard.month": lambda c: scorecard.opd_scorecard(c, month, now, now, rules),
        "scorecard.year": lambda c: scorecard.opd_scorecard(c, year, now, now, rules),
        "trend.month_12m": lambda c: trend.received_vs_completed(c, year, now, "month"),
        # ringkasan's year-over-year chart: last year and this one, month by month (its slowest query)
        "trend.yoy_2y": lambda c: trend.received_vs_completed(c, two_years, now, "month"),
        "complaint.detail": lambda c: complaint.complaint_detail(c, ticket, now, rules),
        "search.page1_breached": lambda c: search.search_complaints(
            c, search.ComplaintFilter(sla_states=("breached",)), now, rules, page_size=50
        ),
        "search.count_month": lambda c: search.count_complaints(c, search.ComplaintFilter(start=month), now, rules),
        "quality.data_quality": lambda c: quality.data_quality(c, now),
    }


def ensure_database(admin_url: str, name: str, complaints: int, reseed: bool) -> tuple[str, float | None]:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if exists and not reseed:
            eng = make_engine(url)
            try:
                with eng.connect() as c:
                    n = c.execute(select(func.count()).select_from(complaint_t)).scalar_one()
                if n >= complaints:
                    return url, None
            except Exception as exc:  # noqa: BLE001 - an unusable bench database is re-created
                print(f"bench database {name} unusable ({exc.__class__.__name__}): seeding it again", file=sys.stderr)
            finally:
                eng.dispose()
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "data_seed",
            "init",
            "--database-url",
            url,
            "--complaints",
            str(complaints),
            "--seed",
            "7",
        ],
        cwd=ROOT,
        check=True,
    )
    return url, time.perf_counter() - started


def time_queries(engine, queries: dict, runs: int) -> dict[str, float]:
    out = {}
    with engine.connect() as conn:
        for name, fn in queries.items():
            fn(conn)  # warm-up
            samples = []
            for _ in range(runs):
                t0 = time.perf_counter()
                fn(conn)
                samples.append((time.perf_counter() - t0) * 1000)
            out[name] = statistics.median(samples)
    return out


def main(argv=None) -> int:
    p = database_parser(__doc__)
    p.add_argument("--runs", type=int, default=9)
    p.add_argument("--reseed", action="store_true")
    args = p.parse_args(argv)
    url, seed_s = ensure_database(args.admin_url, args.database, args.complaints, args.reseed)
    engine = make_engine(url)
    now = dt.datetime.now(dt.UTC)
    rules = SlaRules()
    with engine.connect() as c:
        ticket = c.execute(select(complaint_t.c.ticket).order_by(complaint_t.c.id.desc()).limit(1)).scalar_one()
        total = c.execute(select(func.count()).select_from(complaint_t)).scalar_one()
    mon = time_queries(engine, monitor_queries(now, rules), args.runs)
    oth = time_queries(engine, other_queries(now, rules, ticket), args.runs)
    print(f"\n{total:,} complaints; medians of {args.runs} runs after one warm-up")
    if seed_s is not None:
        print(f"seeding: {seed_s:.1f} s (target <= 180 s)")
    print("\nmonitor queries (target <= 50 ms each, <= 200 ms together):")
    for k, v in mon.items():
        print(f"  {k:32s} {v:8.1f} ms {'OK' if v <= 50 else 'SLOW'}")
    print(f"  {'TOTAL':32s} {sum(mon.values()):8.1f} ms {'OK' if sum(mon.values()) <= 200 else 'SLOW'}")
    print("\nother queries:")
    for k, v in oth.items():
        print(f"  {k:32s} {v:8.1f} ms")
    out = ROOT / "bench" / "results" / "queries.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "complaints": total,
                "runs": args.runs,
                "seed_seconds": seed_s,
                "monitor_ms": mon,
                "monitor_total_ms": sum(mon.values()),
                "other_ms": oth,
                "measured_at": now.isoformat(),
            },
            indent=2,
        )
    )
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
