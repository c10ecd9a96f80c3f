"""The outbox and the workers' heartbeats as the dashboard reads them (page `notifikasi`, the wall's mark):
the alerts package's public read API, plus the one write the dashboard may make, an admin's "Kirim ulang"
of a failed notice (back to pending; the worker sends it)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import case, func, select, update

from alerts.tables import alerts_conn, heartbeat, outbox, tables_exist
from queries._sql import read_frame

STALE_AFTER_S = 120  # the wall and the page mark a worker silent for longer than this

__all__ = [
    "STALE_AFTER_S",
    "failed_count",
    "heartbeat_age_s",
    "outbox_counts",
    "outbox_rows",
    "resend",
    "tables_exist",
    "worker_heartbeat",
]


def worker_heartbeat(conn) -> pd.DataFrame:
    """One row per worker that ever reported: worker, host, pid, role, demo, started_at, beat_at, cycle_ms,
    last_error, skew_s (its clock minus the database's; held while larger than NTBCARE_ALERTS_MAX_SKEW_S). Empty when no worker has created its tables."""
    cols = ["worker", "host", "pid", "role", "demo", "started_at", "beat_at", "cycle_ms", "last_error", "skew_s"]
    if not tables_exist(conn):
        return pd.DataFrame(columns=cols)
    c = alerts_conn(conn)
    # labelled "worker": read_frame would take a column ending in _id for a number
    return read_frame(
        c,
        select(heartbeat.c.worker_id.label("worker"), *(heartbeat.c[n] for n in cols[1:])).order_by(
            heartbeat.c.beat_at.desc()
        ),
    )


def outbox_counts(conn) -> pd.DataFrame:
    """Outbox rows per rule and status: rule, status, n, oldest created_at."""
    if not tables_exist(conn):
        return pd.DataFrame(columns=["rule", "status", "n", "oldest_at"])
    c = alerts_conn(conn)
    return read_frame(
        c,
        select(
            outbox.c.rule, outbox.c.status, func.count().label("n"), func.min(outbox.c.created_at).label("oldest_at")
        )
        .group_by(outbox.c.rule, outbox.c.status)
        .order_by(outbox.c.rule, outbox.c.status),
    )


def outbox_rows(conn, status: tuple[str, ...] = (), limit: int = 200) -> pd.DataFrame:
    """The newest outbox rows (without attachments): id, rule, target, status, attempts, last_error, title,
    created_at, next_attempt_at, sent_at. Failed and pending first, then newest."""
    cols = [
        "id",
        "rule",
        "target",
        "lang",
        "status",
        "attempts",
        "last_error",
        "title",
        "body",
        "attachment_name",
        "created_at",
        "first_failed_at",
        "next_attempt_at",
        "sent_at",
    ]
    if not tables_exist(conn):
        return pd.DataFrame(columns=cols)
    c = alerts_conn(conn)
    order = case((outbox.c.status == "failed", 0), (outbox.c.status.in_(("pending", "sending")), 1), else_=2)
    stmt = select(*(outbox.c[n] for n in cols))
    if status:
        stmt = stmt.where(outbox.c.status.in_(status))
    return read_frame(c, stmt.order_by(order, outbox.c.id.desc()).limit(int(limit)))


def heartbeat_age_s(conn, now: dt.datetime) -> float | None:
    """Seconds since the newest heartbeat of any worker; None when no worker ever reported."""
    hb = worker_heartbeat(conn)
    if hb.empty:
        return None
    return max(0.0, (now - hb["beat_at"].max().to_pydatetime()).total_seconds())


def failed_count(conn) -> int:
    """Notices that failed for good (retried for NTBCARE_ALERTS_RETRY_FOR_H) and wait for an admin."""
    if not tables_exist(conn):
        return 0
    c = alerts_conn(conn)
    return int(c.execute(select(func.count()).select_from(outbox).where(outbox.c.status == "failed")).scalar_one())


def resend(conn, outbox_id: int, now: dt.datetime) -> bool:
    """An admin's "Kirim ulang": a failed notice back to pending, due now, with a new retry period (the worker
    sends it). False when it was not failed (sent meanwhile, or already pending)."""
    c = alerts_conn(conn)
    stmt = (
        update(outbox)
        .where(outbox.c.id == int(outbox_id), outbox.c.status == "failed")
        .values(status="pending", next_attempt_at=now.astimezone(dt.UTC), first_failed_at=None)
    )
    return c.execute(stmt).rowcount == 1
