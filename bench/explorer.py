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
from core.codes import WITA
from core.settings import SlaRules
from core.engine import make_engine
from dashboard.explorer.url import Lookups, parse_params
from queries import lookup, search

ROOT = Path(__file__).resolve().parent.parent


def views(today: dt.date) -> dict[str, dict]:
    """URL query parameters of typical explorer views (as links from the other pages produce them)."""
    month_ago = (today - dt.timedelta(days=30)).isoformat()
    year_start = today.replace(month=1, day=1).isoformat()
    return {
        "everything, newest first": {},
        "everything, page 40": {"hal": "40"},
        "last 30 days": {"dari": month_ago},
        "breached now": {"sla": "breached"},
        "breached now, one OPD": {"sla": "breached", "opd": "D01"},
        "at risk now": {"sla": "at_risk"},
        "open, sorted by OPD": {"status": "terbuka", "urut": "opd"},
        "sector + region, this year": {"sektor": "infrastruktur", "wilayah": "5271", "dari": year_start},
        "late (closed), this year": {"sla": "late", "dari": year_start},
        "text 'jalan rusak'": {"q": "jalan rusak"},
        "text 'sekolah', 30 days": {"q": "sekolah", "dari": month_ago},
        "text, rare word": {"q": "zzqx"},
        "no OPD yet (-)": {"opd": "-"},
    }


def main(argv=None) -> int:
    p = database_parser(__doc__)
    p.add_argument("--runs", type=int, default=7)
    args = p.parse_args(argv)
    url, _ = ensure_database(args.admin_url, args.database, args.complaints, False)
    engine = make_engine(url)
    rules = SlaRules()
    now = dt.datetime.now(dt.timezone.utc)
    with engine.connect() as conn:
        lookups = Lookups.from_frame(lookup.reference_codes(conn))
        total = conn.execute(text("SELECT count(*) FROM complaint")).scalar_one()
        trgm = conn.execute(text("SELECT count(*) FROM pg_indexes WHERE indexname LIKE '%trgm%'")).scalar_one()
    results = {}
    for name, params in views(now.astimezone(WITA).date()).items():
        sel, notes = parse_params(params, lookups)
        assert not notes, (name, notes)
        f = sel.to_filter(lookups)
        samples, count = [], None
        for i in range(args.runs + 1):
            t0 = time.perf_counter()
            with engine.connect() as conn:
                count, rows = search.search_page(conn, f, now, rules, page=sel.hal, page_size=50, sort=sel.urut,
                                                 descending=not sel.naik)
            if i:  # the first run warms the database's cache
                samples.append(time.perf_counter() - t0)
        results[name] = {"median_s": statistics.median(samples), "max_s": max(samples), "count": count,
                         "rows": len(rows)}
        print(f"  {name:30s} {statistics.median(samples) * 1000:8.0f} ms median  {count:>9,} matching")
    worst = max(r["median_s"] for r in results.values())
    print(f"\n{total:,} complaints, trigram indexes: {trgm}; medians of {args.runs} runs; "
          f"slowest view {worst * 1000:.0f} ms ({'OK' if worst < 1 else 'SLOW'}, target < 1 s)")
    out = ROOT / "bench" / "results" / "explorer.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"complaints": total, "runs": args.runs, "trigram_indexes": trgm,
                               "views": results, "measured_at": now.isoformat()}, indent=2))
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
