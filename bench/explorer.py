"""The explorer at a million complaints: one filtered page (count + 50 rows), median per filter.

    python -m bench.explorer [--admin-url URL] [--database ntbcare_bench] [--runs 7]

Target (issue 5): a filtered page of results in under 1 s median. Each measurement runs what page `aduan`
runs for a view: ``search_page`` (the count and a page of 50), on a fresh connection from
the pool, without Streamlit's cache. Results: printed, and bench/results/explorer.json.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import text

from bench.common import database_parser
from bench.queries import ensure_database
from core.codes import OPEN_STATUSES, WITA
from core.engine import make_engine
from core.settings import SlaRules
from queries import search

ROOT = Path(__file__).resolve().parent.parent


def views(today: dt.date, opd_id: int | None) -> dict[str, tuple[search.ComplaintFilter, dict]]:
    """Typical explorer views (as the links from the other pages produce them): the filter and the paging."""

    def day(d: dt.date) -> dt.datetime:
        return dt.datetime.combine(d, dt.time(), WITA)

    F = search.ComplaintFilter
    month_ago, year_start = day(today - dt.timedelta(days=30)), day(today.replace(month=1, day=1))
    return {
        "everything, newest first": (F(), {}),
        "everything, page 40": (F(), {"page": 40}),
        "last 30 days": (F(start=month_ago), {}),
        "breached now": (F(sla_states=("breached",)), {}),
        "breached now, one OPD": (F(sla_states=("breached",), opd_ids=(opd_id,)), {}),
        "at risk now": (F(sla_states=("at_risk",)), {}),
        "open, sorted by OPD": (F(statuses=OPEN_STATUSES), {"sort": "opd"}),
        "sector + region, this year": (F(sectors=("infrastruktur",), regions=("5271",), start=year_start), {}),
        "late (closed), this year": (F(sla_states=("late",), start=year_start), {}),
        "text 'jalan rusak'": (F(text="jalan rusak"), {}),
        "text 'sekolah', 30 days": (F(text="sekolah", start=month_ago), {}),
        "text, rare word": (F(text="zzqx"), {}),
        "no OPD yet (-)": (F(opd_ids=(None,)), {}),
    }


def main(argv=None) -> int:
    p = database_parser(__doc__)
    p.add_argument("--runs", type=int, default=7)
    args = p.parse_args(argv)
    url, _ = ensure_database(args.admin_url, args.database, args.complaints, False)
    engine = make_engine(url)
    rules = SlaRules()
    now = dt.datetime.now(dt.UTC)
    with engine.connect() as conn:
        opd_id = conn.execute(text("SELECT id FROM opd WHERE code = :c"), {"c": "D01"}).scalar_one_or_none()
        total = conn.execute(text("SELECT count(*) FROM complaint")).scalar_one()
        trgm = conn.execute(text("SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%trgm%'")).scalar_one()
    results = {}
    for name, (f, paging) in views(now.astimezone(WITA).date(), opd_id).items():
        samples, count = [], None
        for i in range(args.runs + 1):
            t0 = time.perf_counter()
            with engine.connect() as conn:
                count, rows = search.search_page(
                    conn,
                    f,
                    now,
                    rules,
                    page=paging.get("page", 1),
                    page_size=50,
                    sort=paging.get("sort", "received_at"),
                    descending=True,
                )
            if i:  # the first run warms the database's cache
                samples.append(time.perf_counter() - t0)
        results[name] = {
            "median_s": statistics.median(samples),
            "max_s": max(samples),
            "count": count,
            "rows": len(rows),
        }
        print(f"  {name:30s} {statistics.median(samples) * 1000:8.0f} ms median  {count:>9,} matching")
    worst = max(r["median_s"] for r in results.values())
    print(
        f"\n{total:,} complaints, trigram indexes: {trgm}; medians of {args.runs} runs; "
        f"slowest view {worst * 1000:.0f} ms ({'OK' if worst < 1 else 'SLOW'}, target < 1 s)"
    )
    out = ROOT / "bench" / "results" / "explorer.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "complaints": total,
                "runs": args.runs,
                "trigram_indexes": trgm,
                "views": results,
                "measured_at": now.isoformat(),
            },
            indent=2,
        )
    )
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
