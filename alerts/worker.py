"""The worker loop: hold the lock, check the clock, report a heartbeat, evaluate the rules, write the outbox,
deliver it. Private to ``python -m alerts run``: the dashboard uses the package's public modules only.

- One active worker: on PostgreSQL it holds an advisory lock on a connection of its own (released by the
  server the moment that process or connection dies; the session ends after ``NTBCARE_ALERTS_LOCK_IDLE_S``
  of silence, so a worker cut off by a partition loses the lock within a minute); on SQLite a lease row it
  renews every cycle. A second worker waits in standby and tries every ``NTBCARE_ALERTS_STANDBY_POLL_S``.
- Every cycle compares the worker's clock with the database's ``now()``: while they differ by more than
  ``NTBCARE_ALERTS_MAX_SKEW_S`` nothing is evaluated or sent (role ``skew`` on the heartbeat), so no notice,
  cursor or "announced" mark is ever written at a wrong time.
- A notice handed over to its target is kept in the worker's journal until ``mark_sent`` succeeds: a
  database error right after a send retries the mark, never the send.
- A cycle that fails on the database (outage, restart) is logged and retried: nothing is lost, since the
  rules read what is in the database when it is back and the outbox keys refuse duplicates.
- Time is injected (``clock``, ``db_clock``): schedules, quiet hours and working days are tested without waiting.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from alerts import rules as R
from alerts import schedule, store
from alerts.delivery import SendResult, send
from alerts.recipients import Recipients, Target
from alerts.secrets import scrub
from alerts.settings import AlertSettings
from queries import alert_watch as q

log = logging.getLogger("ntbcare.alerts")
LOCK_KEY = 0x4E544243  # "NTBC": the advisory lock of the alert worker
HEARTBEAT_S = 10.0  # the wall marks a worker silent for 2 minutes
Clock = Callable[[], dt.datetime]
DbClock = Callable[[Connection], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def shifted_clock(start: dt.datetime) -> Clock:
    """A clock that starts at ``start`` and runs at real speed (tests and demos of schedules)."""
    t0 = time.monotonic()
    return lambda: start.astimezone(dt.UTC) + dt.timedelta(seconds=time.monotonic() - t0)


def shifted_db_clock(offset: dt.timedelta) -> DbClock:
    """The database's clock moved by ``offset`` (with ``shifted_clock``: the skew check still compares like
    with like)."""
    return lambda conn: store.database_now(conn) + offset


class Lock:
    """The single-worker lock: a PostgreSQL advisory lock, or a lease row on SQLite."""

    def __init__(self, engine: Engine, owner: str, settings: AlertSettings):
        self.engine, self.owner, self.settings = engine, owner, settings
        self.pg = engine.dialect.name == "postgresql"
        self.conn: Connection | None = None
        self.held = False

    def acquire(self, now: dt.datetime) -> bool:
        if self.pg:
            if self.conn is None:
                self.conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                # a silent worker (partition, frozen process) loses its session, and so the lock, server-side
                self.conn.execute(text(f"SET idle_session_timeout = {int(self.settings.lock_idle_s) * 1000}"))
            self.held = bool(self.conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar())
            if not self.held:
                self.reset()
            return self.held
        with self.engine.begin() as conn:
            self.held = store.take_lease(conn, self.owner, now, self.settings.lease_s)
        return self.held

    def check(self, now: dt.datetime) -> bool:
        """Still ours? (PostgreSQL: the lock's connection is alive; SQLite: the lease renewed.)"""
        if not self.held:
            return False
        try:
            if self.pg and self.conn is not None:
                self.conn.execute(text("SELECT 1"))
            else:
                with self.engine.begin() as conn:
                    self.held = store.take_lease(conn, self.owner, now, self.settings.lease_s)
        except SQLAlchemyError:
            self.reset()
        return self.held

    def reset(self) -> None:
        """Forget the lock (its connection closed: the server releases it)."""
        self.held = False
        if self.conn is not None:
            with contextlib.suppress(Exception):  # the connection may be dead already
                self.conn.close()
            self.conn = None

    def release(self) -> None:
        try:
            if self.pg and self.conn is not None and self.held:
                self.conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
            elif not self.pg and self.held:
                with self.engine.begin() as conn:
                    store.drop_lease(conn, self.owner)
        except SQLAlchemyError:
            pass
        self.reset()


class Worker:
    """One worker process's state; ``cycle()`` is one pass, ``run()`` the loop until ``stop_event``."""

    def __init__(
        self,
        engine: Engine,
        settings: AlertSettings,
        rules,
        recipients: Recipients,
        clock: Clock = utc_now,
        worker_id: str | None = None,
        send_fn: Callable[..., SendResult] = send,
        db_clock: DbClock = store.database_now,
    ):
        self.engine, self.settings, self.rules, self.recipients = engine, settings, rules, recipients
        self.clock, self.db_clock = clock, db_clock
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.send_fn = send_fn
        self.ctx = R.Context(settings, rules, recipients)
        self.lock = Lock(engine, self.worker_id, settings)
        self.started_at = self.now()
        self.stop_event = threading.Event()
        self.tables_ready = False
        self.took_over = False  # orphans of a previous worker reclaimed since the lock was taken
        self.conn: Connection | None = None  # the cycle's one connection, while a cycle runs
        self.handed_over: dict[int, dt.datetime] = {}  # sent, not yet marked sent (database error): id -> when
        self.skew_s: float | None = None  # this worker's clock minus the database's, last cycle
        self.last_error: str | None = None
        self.last_cycle_ms: int | None = None
        self.last_raised_scan: dt.datetime | None = None
        self.beat_state: tuple[str, str | None] | None = None
        self.beat_at: dt.datetime | None = None
        self.stats = {"cycles": 0, "enqueued": 0, "sent": 0, "failed_attempts": 0, "db_errors": 0, "held_skew": 0}

    # --- helpers ---------------------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        return self.clock().astimezone(dt.UTC)

    def _targets_by_name(self) -> dict[str, Target]:
        return {t.name: t for t in self.recipients.targets}

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        """A transaction on the cycle's one connection (one checkout per cycle), or on a new one outside."""
        if self.conn is None:
            with self.engine.begin() as c:
                yield c
            return
        with self.conn.begin():
            yield self.conn

    def heartbeat(self, role: str) -> None:
        """Report (at most every HEARTBEAT_S seconds, and at once when the role or the error changes)."""
        now = self.now()
        state = (role, self.last_error)
        if state == self.beat_state and self.beat_at is not None and (now - self.beat_at).total_seconds() < HEARTBEAT_S:
            return
        with self._tx() as conn:
            store.beat(
                conn,
                self.worker_id,
                socket.gethostname(),
                os.getpid(),
                role,
                self.settings.demo or not self.recipients.configured,
                self.started_at,
                now - dt.timedelta(seconds=self.skew_s or 0.0),  # the database's time: one clock for every reader
                self.last_cycle_ms,
                self.last_error,
                self.skew_s,
            )
        self.beat_state, self.beat_at = state, now

    def clock_skew_s(self, conn: Connection) -> float:
        """This worker's clock minus the database's, in seconds."""
        return (self.now() - self.db_clock(conn)).total_seconds()

    def flush_handed_over(self) -> None:
        """Mark sent what was handed over but not yet marked (a database error right after the send)."""
        for oid, when in list(self.handed_over.items()):
            with self._tx() as conn:
                store.mark_sent(conn, oid, when)
            del self.handed_over[oid]

    # --- one cycle -------------------------------------------------------------------------------------
    def cycle(self) -> str:
        """One pass: returns the role it ran as (active, standby, skew: held while the clocks disagree) or
        'error' when the database failed."""
        t0 = time.perf_counter()
        now = self.now()
        try:
            if not self.tables_ready:
                store.ensure_tables(self.engine)
                self.tables_ready = True
            if not self.lock.check(now) and not self.lock.acquire(now):
                self.last_error = None
                self.took_over = False
                self.heartbeat("standby")
                return "standby"
            with self.engine.connect() as conn:
                self.conn = conn
                try:
                    self.skew_s = self.clock_skew_s(conn)
                    conn.commit()
                    if abs(self.skew_s) > self.settings.max_skew_s:
                        self.stats["held_skew"] += 1
                        self.last_error = None
                        log.warning("clock skew %.0f s with the database: every batch held", self.skew_s)
                        self.heartbeat("skew")
                        return "skew"
                    self.flush_handed_over()
                    if not self.took_over:
                        with self._tx() as c:
                            n = store.reclaim_orphans(c, keep=tuple(self.handed_over))
                        if n:
                            log.warning("%d notice(s) left 'sending' by a previous worker are pending again", n)
                        self.took_over = True
                    self.evaluate(now)
                    self.deliver()
                    self.last_cycle_ms = int((time.perf_counter() - t0) * 1000)
                    self.last_error = None
                    self.heartbeat("active")
                finally:
                    self.conn = None
            self.stats["cycles"] += 1
            return "active"
        except SQLAlchemyError as exc:
            self.stats["db_errors"] += 1
            self.last_error = str(exc).splitlines()[0][:300] if str(exc) else exc.__class__.__name__
            log.warning("database unavailable, retrying: %s", self.last_error)
            self.lock.reset()
            self.took_over = False
            self.conn = None
            return "error"

    def evaluate(self, now: dt.datetime) -> int:
        """Run the rules that are due and write their notices (one transaction per rule)."""
        s, written = self.settings, 0
        with self._tx() as conn:  # 1. mendesak_baru, every cycle, any hour
            floor = store.get_cursor(conn, "urgent_floor_id")
            if floor is None:  # first start: complaints already in the database are not news
                floor = str(q.max_complaint_id(conn))
                store.set_cursor(conn, "urgent_floor_id", floor, now)
                store.set_cursor(conn, "urgent_last_id", floor, now)
            if s.enabled("mendesak_baru"):
                last = int(store.get_cursor(conn, "urgent_last_id") or floor)
                since = now - dt.timedelta(minutes=s.recent_min)
                cands = q.new_urgent(conn, last, since, int(floor), also_ids=self.raised_urgent(conn, now, int(floor)))
                already = (
                    store.notified_keys(conn, ("mendesak_baru",), cands["id"].tolist()) if not cands.empty else set()
                )
                rows, new_last = R.plan_urgent(cands, self.ctx, now, last, already)
                written += store.enqueue(conn, rows, now)
                if new_last != last:
                    store.set_cursor(conn, "urgent_last_id", str(new_last), now)
        day = schedule.due_today(now, s.batch_at, s)
        if day and (s.enabled("hampir_jatuh_tempo") or s.enabled("terlambat")):
            with self._tx() as conn:
                if store.get_cursor(conn, "batch_day") != day.isoformat():
                    written += store.enqueue(conn, R.plan_batch(conn, self.ctx, now, day), now)
                    store.set_cursor(conn, "batch_day", day.isoformat(), now)
        day = schedule.due_today(now, s.digest_at, s)
        if day and s.enabled("ringkasan_harian"):
            with self._tx() as conn:
                last_digest = store.get_cursor(conn, "digest_day")
                if last_digest != day.isoformat():
                    last_day = dt.date.fromisoformat(last_digest) if last_digest else None
                    written += store.enqueue(conn, R.plan_digest(conn, self.ctx, now, day, last_day), now)
                    store.set_cursor(conn, "digest_day", day.isoformat(), now)
        day = schedule.rapor_due(now, s)
        if day and s.enabled("rapor_bulanan"):
            month = f"{day:%Y-%m}"
            with self._tx() as conn:
                if store.get_cursor(conn, "rapor_month") != month:
                    written += store.enqueue(conn, R.plan_rapor(conn, self.ctx, now, day), now)
                    store.set_cursor(conn, "rapor_month", month, now)
        self.stats["enqueued"] += written
        return written

    def raised_urgent(self, conn: Connection, now: dt.datetime, floor: int) -> list[int]:
        """Every ``raised_scan_s``: open mendesak complaints never announced (raised to mendesak after their
        receipt, whenever that was)."""
        last = self.last_raised_scan
        if last is not None and 0 <= (now - last).total_seconds() < self.settings.raised_scan_s:
            return []
        self.last_raised_scan = now
        ids = q.open_urgent_ids(conn, floor)
        if not ids:
            return []
        announced = {i for _, i, _, _ in store.notified_keys(conn, ("mendesak_baru",), ids)}
        return [i for i in ids if i not in announced]

    def deliver(self, limit: int = 20) -> int:
        """Send the pending notices that are due (quiet hours: only mendesak_baru); returns how many sent."""
        targets = self._targets_by_name()
        sent = 0
        now = self.now()
        with self._tx() as conn:
            rows = store.due(conn, now, schedule.in_quiet_hours(now, self.settings), limit)
        for r in rows:
            if self.stop_event.is_set():
                break
            now = self.now()
            if not self.lock.check(now):  # lost the lock (SQLite lease taken over): stop sending
                break
            with self._tx() as conn:
                if not store.claim(conn, r.id, now, self.worker_id):
                    continue
            target = targets.get(r.target)
            error: str | None
            if target is None:
                result_ok, error = False, f"target {r.target} tidak dikonfigurasi lagi"
            else:
                attach = (r.attachment_name, bytes(r.attachment)) if r.attachment is not None else None
                result = self.send_fn(target, r.title, r.body, attach, self.settings.send_timeout_s)
                result_ok, error = result.ok, result.error
            now = self.now()
            if result_ok:
                self.handed_over[r.id] = now  # from here on: mark it, never send it again
                sent += 1
                self.stats["sent"] += 1
                with self._tx() as conn:
                    store.mark_sent(conn, r.id, now)
                del self.handed_over[r.id]
                continue
            scrubbed = scrub(error or "gagal", [t.url for t in self.recipients.targets])
            with self._tx() as conn:
                status = store.mark_failed_attempt(conn, r, scrubbed, now, self.settings)
            self.stats["failed_attempts"] += 1
            log.warning(
                "notice %s to %s: attempt %d failed (%s)%s",
                r.id,
                r.target,
                r.attempts + 1,
                scrubbed,
                " — marked failed" if status == "failed" else "",
            )
        return sent

    # --- the loop ----------------------------------------------------------------------------------------
    def run(self, max_cycles: int | None = None) -> None:
        log.info(
            "alert worker %s starting (%s, %d target(s)%s)",
            self.worker_id,
            self.engine.dialect.name,
            len(self.recipients.targets),
            ", demo: outbox only" if not self.recipients.configured else "",
        )
        n = 0
        try:
            while not self.stop_event.is_set():
                role = self.cycle()
                n += 1
                if max_cycles is not None and n >= max_cycles:
                    break
                wait = self.settings.standby_poll_s if role == "standby" else self.settings.poll_s
                if role == "error":
                    wait = max(self.settings.poll_s, 1.0)
                self.stop_event.wait(wait)
        finally:
            self.lock.release()
