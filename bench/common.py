"""What every benchmark shares: the options that name the 1M-complaint PostgreSQL database, percentiles."""

from __future__ import annotations

import argparse


def database_parser(doc: str) -> argparse.ArgumentParser:
    """An argument parser with --admin-url, --database and --complaints (see bench.queries.ensure_database)."""
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--admin-url", default="postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--database", default="ntbcare_bench")
    p.add_argument("--complaints", type=int, default=1_000_000)
    return p


def pct(values, q: float) -> float | None:
    """The ``q`` quantile (0..1) of ``values`` by nearest rank; None when there are none."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))] if s else None
