"""`python -m alerts run | test TARGET-NAME | targets` (docs/alerts.md). Private: the process's entry point."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from alerts.delivery import send_test
from alerts.recipients import AlertsConfigError, Recipients, load_recipients
from alerts.settings import AlertSettings
from core.engine import DatabaseConfigError, make_engine, redact
from core.settings import DEFAULT_SQLITE_PATH, SlaRules, database_url

if TYPE_CHECKING:
    from alerts.worker import Clock, DbClock


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m alerts", description="NTB Care alert worker")
    sub = p.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="run the worker (until SIGTERM / Ctrl-C)")
    run.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL)")
    run.add_argument("--worker-id", default=None, help=argparse.SUPPRESS)
    run.add_argument("--fake-now", default=None, help=argparse.SUPPRESS)  # tests: start the clock here (ISO)
    test = sub.add_parser("test", help="send a test notice to one target (secretariat-1) or a group (advisers)")
    test.add_argument("target")
    sub.add_parser("targets", help="list the configured targets (redacted) and the file they were read from")
    return p


def is_demo_database(url: str) -> bool:
    """Only the bundled demo file counts as a demo database; anything else is production."""
    if not url.startswith("sqlite"):
        return False
    path = url.split(":///", 1)[1] if ":///" in url else ""
    try:
        return bool(path) and Path(path).resolve() == DEFAULT_SQLITE_PATH.resolve()
    except OSError:
        return False


def refusal(url: str, recipients: Recipients, settings: AlertSettings) -> str | None:
    """Why the worker must not start (one line), or None: a production database with no recipient and
    without an explicit NTBCARE_ALERTS_DEMO=1 would fill the outbox for no one and advance its cursors."""
    if recipients.configured or settings.demo or is_demo_database(url):
        return None
    return (
        "Tidak ada penerima notifikasi; dicari di: "
        + "; ".join(recipients.looked_in)
        + ". Isi [ntbcare_alerts] atau setel NTBCARE_ALERTS_DEMO=1 untuk mode demo."
    )


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        settings = AlertSettings.from_env()
        recipients = load_recipients()
    except (ValueError, AlertsConfigError) as exc:
        print(f"Konfigurasi tidak valid: {exc}", file=sys.stderr)
        return 2
    if args.cmd == "targets":
        print(f"# sumber: {recipients.source} (dicari di: {'; '.join(recipients.looked_in)})")
        for t in recipients.targets:
            print(f"{t.name}\t{t.group}\t{t.lang}\t{t.redacted}")
        return 0
    if args.cmd == "test":
        found = recipients.find(args.target)
        if not found:
            print(
                f"Target '{args.target}' tidak ada. Target: {', '.join(t.name for t in recipients.targets) or '-'}",
                file=sys.stderr,
            )
            return 2
        code = 0
        for t in found:
            res = send_test(t, dt.datetime.now(dt.UTC), settings.send_timeout_s)
            print(f"{t.name} ({t.redacted}): {'terkirim' if res.ok else 'GAGAL: ' + (res.error or '')}")
            code = code or (0 if res.ok else 1)
        return code
    from alerts.store import database_now  # the worker's modules (rules, SQL, PDFs) only for `run`
    from alerts.worker import Worker, shifted_clock, shifted_db_clock, utc_now

    url = args.database_url or database_url()
    why = refusal(url, recipients, settings)
    if why:
        print(why, file=sys.stderr)
        return 3
    try:
        engine = make_engine(url, statement_timeout_ms=60000)
    except DatabaseConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    clock: Clock = utc_now
    db_clock: DbClock = database_now
    if args.fake_now:
        start = dt.datetime.fromisoformat(args.fake_now)
        clock, db_clock = shifted_clock(start), shifted_db_clock(start - utc_now())
    worker = Worker(
        engine, settings, SlaRules.from_env(), recipients, clock=clock, worker_id=args.worker_id, db_clock=db_clock
    )
    logging.getLogger("ntbcare.alerts").info("database %s; recipients: %s", redact(url), recipients.source)

    def stop(*_):
        worker.stop_event.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worker.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
