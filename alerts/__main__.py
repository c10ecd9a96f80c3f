"""`python -m alerts run [--database-url URL]` and `python -m alerts test TARGET-NAME` (docs/alerts.md)."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import signal
import sys

from core.alert_settings import AlertSettings
from core.engine import DatabaseConfigError, make_engine, redact
from core.notify import AlertsConfigError, load_recipients
from core.settings import SlaRules, database_url


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m alerts", description="NTB Care alert worker")
    sub = p.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="run the worker (until SIGTERM / Ctrl-C)")
    run.add_argument("--database-url", default=None, help="SQLAlchemy URL (default: DATABASE_URL)")
    run.add_argument("--worker-id", default=None, help=argparse.SUPPRESS)
    run.add_argument("--fake-now", default=None, help=argparse.SUPPRESS)  # tests: start the clock here (ISO)
    test = sub.add_parser("test", help="send a test notice to one target (secretariat-1) or a group (advisers)")
    test.add_argument("target")
    sub.add_parser("targets", help="list the configured targets (redacted)")
    return p


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
        for t in recipients.targets:
            print(f"{t.name}\t{t.group}\t{t.lang}\t{t.redacted}")
        return 0
    if args.cmd == "test":
        from alerts.worker import send_test, utc_now

        found = recipients.find(args.target)
        if not found:
            print(
                f"Target '{args.target}' tidak ada. Target: {', '.join(t.name for t in recipients.targets) or '-'}",
                file=sys.stderr,
            )
            return 2
        code = 0
        for t in found:
            res = send_test(t, utc_now(), settings.send_timeout_s)
            print(f"{t.name} ({t.redacted}): {'terkirim' if res.ok else 'GAGAL: ' + (res.error or '')}")
            code = code or (0 if res.ok else 1)
        return code
    from alerts.worker import Worker, shifted_clock, utc_now

    url = args.database_url or database_url()
    try:
        engine = make_engine(url, statement_timeout_ms=60000)
    except DatabaseConfigError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    clock = shifted_clock(dt.datetime.fromisoformat(args.fake_now)) if args.fake_now else utc_now
    worker = Worker(engine, settings, SlaRules.from_env(), recipients, clock=clock, worker_id=args.worker_id)
    logging.getLogger("ntbcare.alerts").info("database %s", redact(url))

    def stop(*_):
        worker.stop_event.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worker.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
