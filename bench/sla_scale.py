"""Old against new SLA queries on one database, in the same run: medians, ratios, and whether the answers agree.

    python -m bench.sla_scale --old-tree /tmp/old --database scale_1m [--runs 3] [--rounds 2]

``--old-tree``: a checkout of the code to compare with (``git archive <commit> | tar -x -C /tmp/old``). Each
round runs the old tree, then this one, in a fresh process (imports from that tree only): one warm-up and
``--runs`` timed runs of every query. Set NTBCARE_STATEMENT_TIMEOUT_MS=0 where an old query exceeds the app's limit. A median is over all rounds' runs. Each answer is hashed, so the table
says whether old and new return exactly the same figures. Results: bench/results/sla_scale.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "postgresql+psycopg2://postgres@127.0.0.1:5432/"


def _queries(now, rules):
    """The SLA-heavy queries of kepatuhan, the wall, ringkasan and the explorer (imported from the tree run)."""
    import datetime as dt

    from queries import headline, overdue, scorecard, search

    month, year = now - dt.timedelta(days=30), now - dt.timedelta(days=365)
    breached = search.ComplaintFilter(sla_states=("breached",))
    return {
        "scorecard.opd_scorecard month": lambda c: scorecard.opd_scorecard(c, month, now, now, rules),
        "scorecard.opd_scorecard year": lambda c: scorecard.opd_scorecard(c, year, now, now, rules),
        "overdue.overdue_by_opd": lambda c: overdue.overdue_by_opd(c, now, rules),
        "headline.period_counts": lambda c: headline.period_counts(c, now, rules),
        "headline.headline_counts": lambda c: headline.headline_counts(c, now, rules),
        "overdue.open_complaints late": lambda c: overdue.open_complaints(c, now, rules, only_late=True, limit=500),
        "search.page1_breached": lambda c: search.search_complaints(c, breached, now, rules, page_size=50),
        "search.count_breached": lambda c: search.count_complaints(c, breached, now, rules),
    }


def _digest(result) -> str:
    text = result.to_json(date_format="iso", double_precision=10) if hasattr(result, "to_json") else repr(result)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def worker(tree: str, url: str, now_iso: str, runs: int, skip: str = "") -> dict:
    """Time every query of ``tree`` (run in a process of its own: the tree's modules only)."""
    sys.path.insert(0, tree)
    import datetime as dt

    from core.engine import make_engine
    from core.settings import SlaRules

    now = dt.datetime.fromisoformat(now_iso)
    engine = make_engine(url)
    out = {}
    with engine.connect() as conn:
        for name, fn in _queries(now, SlaRules()).items():
            if skip and skip in name:
                continue
            answer = fn(conn)  # warm-up
            samples = []
            for _ in range(runs):
                t0 = time.perf_counter()
                fn(conn)
                samples.append((time.perf_counter() - t0) * 1000)
            out[name] = {"ms": samples, "digest": _digest(answer)}
    engine.dispose()
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--old-tree", required=True)
    p.add_argument("--database", default="scale_1m")
    p.add_argument("--admin-url", default=ADMIN)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--skip", default="", help="leave out the queries whose name contains this text")
    p.add_argument("--worker", nargs=3, metavar=("TREE", "URL", "NOW"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.worker:
        tree, url, now_iso = args.worker
        print(json.dumps(worker(tree, url, now_iso, args.runs, args.skip)))
        return 0
    import datetime as dt

    url = args.admin_url.rstrip("/") + "/" + args.database
    now = dt.datetime.now(dt.UTC).isoformat()  # the same instant for both trees: same answers expected
    trees = {"old": str(Path(args.old_tree).resolve()), "new": str(ROOT)}
    samples: dict[str, dict[str, list[float]]] = {"old": {}, "new": {}}
    digests: dict[str, dict[str, str]] = {"old": {}, "new": {}}
    for _ in range(args.rounds):
        for side, tree in trees.items():
            cmd = [sys.executable, str(Path(__file__).resolve()), "--old-tree", "-", "--runs", str(args.runs)]
            cmd += ["--skip", args.skip]
            done = subprocess.run(
                [*cmd, "--worker", tree, url, now], check=False, capture_output=True, text=True, cwd=tree
            )
            if done.returncode:
                sys.exit(f"{side} tree failed:\n{done.stderr[-3000:]}")
            for name, r in json.loads(done.stdout.strip().splitlines()[-1]).items():
                samples[side].setdefault(name, []).extend(r["ms"])
                digests[side][name] = r["digest"]
    print(f"\n{args.database}: medians of {args.rounds} x {args.runs} runs (ms), old and new alternating\n")
    print("| query | old | new | new / old | same answer |")
    print("|---|---|---|---|---|")
    rows = {}
    for name in samples["new"]:
        old, new = statistics.median(samples["old"][name]), statistics.median(samples["new"][name])
        same = digests["old"][name] == digests["new"][name]
        rows[name] = {"old_ms": old, "new_ms": new, "ratio": new / old, "same_answer": same}
        print(f"| `{name}` | {old:,.1f} | {new:,.1f} | {new / old:.2f} | {'yes' if same else 'NO'} |")
    out = ROOT / "bench" / "results" / "sla_scale.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"database": args.database, "now": now, "queries": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
