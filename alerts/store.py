"""The worker's writes to its own tables (alerts/tables.py declares them): outbox, notified items, cursors,
heartbeat, the SQLite lease. Every notice is written before it is sent; a notice and the items it announces
are written in one transaction, so a crash leaves either both or neither."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, delete, inspect, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from alerts import tables as q
from alerts.tables import alerts_conn, cursor, heartbeat, lease, notified, outbox


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
        _add_missing_columns(conn)


def _add_missing_columns(conn) -> None:
    """Tables made by an older worker get the columns added since (nullable, so no default is needed)."""
    schema = q.schema_for(conn.dialect.name)
    prefix = f'"{schema}".' if schema else ""
    for table in q.TABLES:
        have = {c["name"] for c in inspect(conn).get_columns(table.name, schema=schema)}
        for col in table.columns:
            if col.name not in have and col.nullable:
                kind = col.type.compile(dialect=conn.dialect)
                conn.execute(text(f'ALTER TABLE {prefix}"{table.name}" ADD COLUMN "{col.name}" {kind}'))


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


def reclaim_orphans(conn, keep: tuple[int, ...] = ()) -> int:
    """Notices left 'sending' by a worker that died mid-send go back to pending (they may have arrived: at
    most one duplicate per notice in flight, see docs/alerts.md). ``keep``: this worker's own notices it
    handed over and has yet to mark sent (never sent again)."""
    c = alerts_conn(conn)
    stmt = update(outbox).where(outbox.c.status == "sending")
    if keep:
        stmt = stmt.where(outbox.c.id.not_in([int(i) for i in keep]))
    return c.execute(stmt.values(status="pending")).rowcount


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
        outbox.c.first_failed_at,
    ).where(outbox.c.status == "pending", outbox.c.next_attempt_at <= now)
    if quiet:
        stmt = stmt.where(outbox.c.rule == "mendesak_baru")
    return list(c.execute(stmt.order_by(outbox.c.id).limit(int(limit))))


def claim(conn, outbox_id: int, now: dt.datetime, worker_id: str) -> bool:
    c = alerts_conn(conn)
    return (
        c.execute(
            update(outbox)
            .where(outbox.c.id == outbox_id, outbox.c.status == "pending")
            .values(status="sending", claimed_at=now, claimed_by=worker_id)
        ).rowcount
        == 1
    )


def mark_sent(conn, outbox_id: int, now: dt.datetime) -> None:
    """The notice was handed over to its target. Idempotent: the worker retries it after a database error
    (its journal of handed-over notices), and it is never sent again meanwhile."""
    c = alerts_conn(conn)
    c.execute(
        update(outbox)
        .where(outbox.c.id == outbox_id, outbox.c.status != "sent")
        .values(status="sent", sent_at=now, attempts=outbox.c.attempts + 1)
    )


def retry_delay_s(attempts: int, rule: str, settings) -> float:
    """Backoff after the ``attempts``-th failed attempt: the base doubling, up to the cap (a smaller cap for
    mendesak_baru)."""
    cap = settings.retry_cap_urgent_s if rule == "mendesak_baru" else settings.retry_cap_s
    return min(cap, settings.retry_base_s * (2 ** min(max(attempts - 1, 0), 40)))


def mark_failed_attempt(conn, row, error: str, now: dt.datetime, settings) -> str:
    """Count a failed attempt: back to pending with a backoff, or failed once it has been retried for
    ``retry_for_s`` since its first failed attempt (bounded by time, not by count)."""
    c = alerts_conn(conn)
    n = row.attempts + 1
    first = row.first_failed_at or now
    if first.tzinfo is None:
        first = first.replace(tzinfo=dt.UTC)
    if (now - first).total_seconds() >= settings.retry_for_s:
        status, nxt = "failed", now
    else:
        status, nxt = "pending", now + dt.timedelta(seconds=retry_delay_s(n, row.rule, settings))
    c.execute(
        update(outbox)
        .where(outbox.c.id == row.id)
        .values(status=status, attempts=n, last_error=error, next_attempt_at=nxt, first_failed_at=first)
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
    skew_s: float | None = None,
) -> None:
    c = alerts_conn(conn)
    values = dict(
        host=host, pid=pid, role=role, demo=int(demo), beat_at=now, cycle_ms=cycle_ms, last_error=error, skew_s=skew_s
    )
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


def database_now(conn) -> dt.datetime:
    """The database server's clock (PostgreSQL ``now()``; SQLite: the file's host, ``CURRENT_TIMESTAMP``)."""
    if conn.dialect.name == "postgresql":
        return conn.execute(text("SELECT now()")).scalar_one().astimezone(dt.UTC)
    raw = conn.execute(text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")).scalar_one()
    return dt.datetime.fromisoformat(raw).replace(tzinfo=dt.UTC)
