"""The worker loop: hold the lock, report a heartbeat, evaluate the rules, write the outbox, deliver it.

- One active worker: on PostgreSQL it holds an advisory lock on a connection of its own (released by the
  server the moment that process or connection dies); on SQLite a lease row it renews every cycle. A second
  worker waits in standby (heartbeat role ``standby``) and tries every ``NTBCARE_ALERTS_STANDBY_POLL_S``
  seconds, so it takes over within that time of the first one's death (SQLite: when the lease expires).
- A cycle that fails on the database (outage, restart) is logged and retried: nothing is lost, since the
  rules read what is in the database when it is back and the outbox keys refuse duplicates.
- Time is injected (``clock``): schedules, quiet hours and working days are tested without waiting.
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
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from alerts import rules as R
from alerts import schedule, store
from core.locale import get_locale
from core.notify import Recipients, Target, scrub, send
from queries import alerts as q

log = logging.getLogger("ntbcare.alerts")
LOCK_KEY = 0x4E544243  # "NTBC": the advisory lock of the alert worker
HEARTBEAT_S = 10.0  # the wall marks a worker silent for 2 minutes


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def shifted_clock(start: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock that starts at ``start`` and runs at real speed (tests and demos of schedules)."""
    t0 = time.monotonic()
    return lambda: start.astimezone(dt.UTC) + dt.timedelta(seconds=time.monotonic() - t0)


class Lock:
    """The single-worker lock: a PostgreSQL advisory lock, or a lease row on SQLite."""

    def __init__(self, engine, owner: str, settings):
        self.engine, self.owner, self.settings = engine, owner, settings
        self.pg = engine.dialect.name == "postgresql"
        self._conn = None
        self.held = False

    def acquire(self, now: dt.datetime) -> bool:
        if self.pg:
            if self._conn is None:
                self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            self.held = bool(self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}).scalar())
            if not self.held:
                self._close()
            return self.held
        with self.engine.begin() as conn:
            self.held = store.take_lease(conn, self.owner, now, self.settings.lease_s)
        return self.held

    def check(self, now: dt.datetime) -> bool:
        """Still ours? (PostgreSQL: the lock's connection is alive; SQLite: the lease renewed.)"""
        if not self.held:
            return False
        try:
            if self.pg:
                self._conn.execute(text("SELECT 1"))
            else:
                with self.engine.begin() as conn:
                    self.held = store.take_lease(conn, self.owner, now, self.settings.lease_s)
        except SQLAlchemyError:
            self.held = False
            self._close()
        return self.held

    def _close(self):
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - the connection may be dead already
                pass
            self._conn = None

    def release(self) -> None:
        try:
            if self.pg and self._conn is not None and self.held:
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
            elif not self.pg and self.held:
                with self.engine.begin() as conn:
                    store.drop_lease(conn, self.owner)
        except SQLAlchemyError:
            pass
        self.held = False
        self._close()


class Worker:
    def __init__(
        self,
        engine,
        settings,
        rules,
        recipients: Recipients,
        clock: Callable[[], dt.datetime] = utc_now,
        worker_id: str | None = None,
        send_fn=send,
    ):
        self.engine, self.settings, self.rules, self.recipients = engine, settings, rules, recipients
        self.clock = clock
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.send_fn = send_fn
        self.ctx = R.Context(settings, rules, recipients)
        self.lock = Lock(engine, self.worker_id, settings)
        self.started_at = utc_now()
        self.stop_event = threading.Event()
        self.tables_ready = False
        self.last_error: str | None = None
        self.last_cycle_ms: int | None = None
        self.stats = {"cycles": 0, "enqueued": 0, "sent": 0, "failed_attempts": 0, "db_errors": 0}

    # --- helpers ---------------------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        return self.clock().astimezone(dt.UTC)

    def _targets_by_name(self) -> dict[str, Target]:
        return {t.name: t for t in self.recipients.targets}

    @contextlib.contextmanager
    def _tx(self):
        """A transaction on the cycle's one connection (one checkout per cycle), or on a new one outside."""
        conn = getattr(self, "_conn", None)
        if conn is None:
            with self.engine.begin() as c:
                yield c
            return
        with conn.begin():
            yield conn

    def heartbeat(self, role: str) -> None:
        """Report (at most every HEARTBEAT_S seconds, and at once when the role or the error changes)."""
        state = (role, self.last_error)
        t = time.monotonic()
        if state == getattr(self, "_beat_state", None) and t - getattr(self, "_beat_t", -1e9) < HEARTBEAT_S:
            return
        self._beat_state, self._beat_t = state, t
        with self._tx() as conn:
            store.beat(
                conn,
                self.worker_id,
                socket.gethostname(),
                os.getpid(),
                role,
                self.settings.demo or not self.recipients.configured,
                self.started_at,
                utc_now(),
                self.last_cycle_ms,
                self.last_error,
            )

    # --- one cycle -------------------------------------------------------------------------------------
    def cycle(self) -> str:
        """One pass: returns the role it ran as (active, standby) or 'error' when the database failed."""
        t0 = time.perf_counter()
        now = self.now()
        try:
            if not self.tables_ready:
                store.ensure_tables(self.engine)
                self.tables_ready = True
            if not self.lock.check(now) and not self.lock.acquire(now):
                self.last_error = None
                self.heartbeat("standby")
                return "standby"
            if not getattr(self, "_took_over", False):
                with self.engine.begin() as conn:
                    n = store.reclaim_orphans(conn)
                if n:
                    log.warning("%d notice(s) left 'sending' by a previous worker are pending again", n)
                self._took_over = True
            with self.engine.connect() as conn:
                self._conn = conn
                try:
                    self.evaluate(now)
                    self.deliver()
                    self.last_cycle_ms = int((time.perf_counter() - t0) * 1000)
                    self.last_error = None
                    self.heartbeat("active")
                finally:
                    self._conn = None
            self.stats["cycles"] += 1
            return "active"
        except SQLAlchemyError as exc:
            self.stats["db_errors"] += 1
            self.last_error = str(exc).splitlines()[0][:300] if str(exc) else exc.__class__.__name__
            log.warning("database unavailable, retrying: %s", self.last_error)
            self.lock.held = False
            self.lock._close()
            self._took_over = False
            self._conn = None
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
                cands = q.new_urgent(conn, last, since, int(floor))
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
                last = store.get_cursor(conn, "digest_day")
                if last != day.isoformat():
                    last_day = dt.date.fromisoformat(last) if last else None
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
                if not store.claim(conn, r.id, now):
                    continue
            target = targets.get(r.target)
            if target is None:
                result_ok, error = False, f"target {r.target} tidak dikonfigurasi lagi"
            else:
                attach = (r.attachment_name, bytes(r.attachment)) if r.attachment is not None else None
                result = self.send_fn(target, r.title, r.body, attach, self.settings.send_timeout_s)
                result_ok, error = result.ok, result.error
            now = self.now()
            with self._tx() as conn:
                if result_ok:
                    store.mark_sent(conn, r.id, now)
                    sent += 1
                else:
                    error = scrub(error or "gagal", self.recipients.targets)
                    status = store.mark_failed_attempt(conn, r.id, r.attempts, error, now, self.settings)
                    self.stats["failed_attempts"] += 1
                    log.warning(
                        "notice %s to %s: attempt %d failed (%s)%s",
                        r.id,
                        r.target,
                        r.attempts + 1,
                        error,
                        " — marked failed" if status == "failed" else "",
                    )
        self.stats["sent"] += sent
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
                wait = self.settings.poll_s if role == "active" else self.settings.standby_poll_s
                if role == "error":
                    wait = max(self.settings.poll_s, 1.0)
                self.stop_event.wait(wait)
        finally:
            self.lock.release()


def send_test(target: Target, now: dt.datetime, timeout_s: float = 10.0):
    from core.notify import test_notice

    title, body = test_notice(get_locale(target.lang), target.name, now)
    return send(target, title, body, None, timeout_s)
