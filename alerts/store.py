"""The worker's writes to its own tables (queries/alerts.py declares them): outbox, notified items, cursors,
heartbeat, the SQLite lease. Every notice is written before it is sent; a notice and the items it announces
are written in one transaction, so a crash leaves either both or neither."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from queries import alerts as q
from queries.alerts import alerts_conn, cursor, heartbeat, lease, notified, outbox


@dataclass
class OutRow:
    idem_key: str
    rule: str
    target: str
    lang: str
    title: str
    body: str
    status: str = "pending"  # or "demo": kept in the outbox only
    items: list[tuple[int, str]] = field(default_factory=list)  # (complaint id, stage) announced
    day: str = ""
    attachment_name: str | None = None
    attachment: bytes | None = None


def _insert(conn, table):
    return postgresql.insert(table) if conn.dialect.name == "postgresql" else sqlite.insert(table)


def ensure_tables(engine) -> None:
    """Create the worker's schema (PostgreSQL, if allowed) and tables when missing."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            exists = conn.execute(text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": q.ALERTS_SCHEMA}).first()
            if not exists:
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{q.ALERTS_SCHEMA}"'))
        q.alerts_metadata.create_all(alerts_conn(conn))


def get_cursor(conn, name: str) -> str | None:
    return alerts_conn(conn).execute(select(cursor.c.value).where(cursor.c.name == name)).scalar()


def set_cursor(conn, name: str, value: str, now: dt.datetime) -> None:
    c = alerts_conn(conn)
    stmt = _insert(c, cursor).values(name=name, value=str(value), updated_at=now)
    c.execute(stmt.on_conflict_do_update(index_elements=["name"], set_={"value": str(value), "updated_at": now}))


def notified_keys(conn, rules: tuple[str, ...], complaint_ids=None) -> set[tuple[str, int, str, str]]:
    """(rule, complaint id, stage, target) already announced, for ``rules`` (optionally only these complaints)."""
    c = alerts_conn(conn)
    stmt = select(notified.c.rule, notified.c.complaint_id, notified.c.stage, notified.c.target).where(
        notified.c.rule.in_(rules)
    )
    if complaint_ids is not None:
        ids = [int(i) for i in complaint_ids]
        if not ids:
            return set()
        stmt = stmt.where(notified.c.complaint_id.in_(ids))
    return {(r, int(i), s, t) for r, i, s, t in c.execute(stmt)}


def enqueue(conn, rows: list[OutRow], now: dt.datetime) -> int:
    """Write notices (and their items) unless their idempotency key is already there; returns how many."""
    c = alerts_conn(conn)
    written = 0
    for r in rows:
        stmt = (
            _insert(c, outbox)
            .values(
                idem_key=r.idem_key,
                rule=r.rule,
                target=r.target,
                lang=r.lang,
                title=r.title,
                body=r.body,
                attachment_name=r.attachment_name,
                attachment=r.attachment,
                status=r.status,
                attempts=0,
                created_at=now,
                next_attempt_at=now,
                sent_at=now if r.status == "demo" else None,
            )
            .on_conflict_do_nothing(index_elements=["idem_key"])
            .returning(outbox.c.id)
        )
        new_id = c.execute(stmt).scalar()
        if new_id is None:
            continue
        written += 1
        if r.items:
            c.execute(
                _insert(c, notified).on_conflict_do_nothing(index_elements=["rule", "complaint_id", "stage", "target"]),
                [
                    {
                        "rule": r.rule,
                        "complaint_id": int(cid),
                        "stage": stage,
                        "target": r.target,
                        "day": r.day,
                        "outbox_id": new_id,
                    }
                    for cid, stage in r.items
                ],
            )
    return written


def reclaim_orphans(conn) -> int:
    """Notices left 'sending' by a worker that died mid-send go back to pending (they may have arrived: at
    most one duplicate per notice in flight, see docs/alerts.md)."""
    c = alerts_conn(conn)
    return c.execute(update(outbox).where(outbox.c.status == "sending").values(status="pending")).rowcount


def due(conn, now: dt.datetime, quiet: bool, limit: int = 20) -> list:
    """Pending notices due now (in quiet hours only mendesak_baru), oldest first."""
    c = alerts_conn(conn)
    stmt = select(
        outbox.c.id,
        outbox.c.rule,
        outbox.c.target,
        outbox.c.lang,
        outbox.c.title,
        outbox.c.body,
        outbox.c.attachment_name,
        outbox.c.attachment,
        outbox.c.attempts,
    ).where(outbox.c.status == "pending", outbox.c.next_attempt_at <= now)
    if quiet:
        stmt = stmt.where(outbox.c.rule == "mendesak_baru")
    return list(c.execute(stmt.order_by(outbox.c.id).limit(int(limit))))


def claim(conn, outbox_id: int, now: dt.datetime) -> bool:
    c = alerts_conn(conn)
    return (
        c.execute(
            update(outbox)
            .where(outbox.c.id == outbox_id, outbox.c.status == "pending")
            .values(status="sending", claimed_at=now)
        ).rowcount
        == 1
    )


def mark_sent(conn, outbox_id: int, now: dt.datetime) -> None:
    c = alerts_conn(conn)
    c.execute(
        update(outbox)
        .where(outbox.c.id == outbox_id)
        .values(status="sent", sent_at=now, attempts=outbox.c.attempts + 1)
    )


def mark_failed_attempt(conn, outbox_id: int, attempts: int, error: str, now: dt.datetime, settings) -> str:
    """Count a failed attempt: back to pending with a backoff, or failed after ``max_attempts``."""
    c = alerts_conn(conn)
    n = attempts + 1
    if n >= settings.max_attempts:
        status, nxt = "failed", now
    else:
        status = "pending"
        nxt = now + dt.timedelta(seconds=min(3600.0, settings.retry_base_s * (2 ** (n - 1))))
    c.execute(
        update(outbox)
        .where(outbox.c.id == outbox_id)
        .values(status=status, attempts=n, last_error=error, next_attempt_at=nxt)
    )
    return status


def beat(
    conn,
    worker_id: str,
    host: str,
    pid: int,
    role: str,
    demo: bool,
    started_at: dt.datetime,
    now: dt.datetime,
    cycle_ms: int | None,
    error: str | None,
) -> None:
    c = alerts_conn(conn)
    values = dict(host=host, pid=pid, role=role, demo=int(demo), beat_at=now, cycle_ms=cycle_ms, last_error=error)
    stmt = _insert(c, heartbeat).values(worker_id=worker_id, started_at=started_at, **values)
    c.execute(stmt.on_conflict_do_update(index_elements=["worker_id"], set_=values))


def forget_worker(conn, worker_id: str) -> None:
    alerts_conn(conn).execute(delete(heartbeat).where(heartbeat.c.worker_id == worker_id))


def take_lease(conn, owner: str, now: dt.datetime, seconds: float) -> bool:
    """SQLite: take or renew the single worker lease; False while another owner's lease runs."""
    c = alerts_conn(conn)
    until = now + dt.timedelta(seconds=seconds)
    c.execute(
        _insert(c, lease)
        .values(name="worker", owner=owner, expires_at=until)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    done = c.execute(
        update(lease)
        .where(lease.c.name == "worker", (lease.c.owner == owner) | (lease.c.expires_at < now))
        .values(owner=owner, expires_at=until)
    ).rowcount
    return done == 1


def drop_lease(conn, owner: str) -> None:
    c = alerts_conn(conn)
    c.execute(delete(lease).where(and_(lease.c.name == "worker", lease.c.owner == owner)))
