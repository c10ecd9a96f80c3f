"""`python -m publik serve [--host H] [--port P] [--database-url URL]` (docs/public.md)."""

from __future__ import annotations

import argparse
import logging
import sys

from core.engine import DatabaseConfigError, make_engine, redact
from core.settings import SettingError, SlaRules, database_url


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m publik", description="NTB Care public page, open data and Open311")
    sub = p.add_subparsers(dest="cmd", required=True)
    serve = sub.add_parser("serve", help="serve /publik/, /publik/data/ and /open311/v2/ (until SIGTERM)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8600)
    serve.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL)")
    return p


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    import uvicorn

    from publik.app import PublicConfig, create_app

    url = args.database_url or database_url()
    try:
        config = PublicConfig.from_env()
        rules = SlaRules.from_env()
        engine = make_engine(url, read_only=True)
    except (SettingError, DatabaseConfigError) as exc:
        print(f"Konfigurasi tidak valid: {exc}", file=sys.stderr)
        return 2
    logging.getLogger("ntbcare.publik").info("database %s", redact(url))
    uvicorn.run(create_app(engine, config, rules), host=args.host, port=args.port, proxy_headers=True,
                forwarded_allow_ips="127.0.0.1", server_header=False, access_log=False)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
