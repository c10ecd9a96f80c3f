"""Notices under real faults, in process with a simulated clock against a real SMTP server (aiosmtpd): the
target down for two hours, a database error right after a send, the worker's clock six months ahead and back,
a priority raised to mendesak later, a ticket with a line break. Each records its figures (inserted, sent,
arrived, duplicated) in test-artifacts/alerts-fault-<name>.json."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest
from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from alerts import outbox as ob
from alerts import store
from queries.schema import complaint
from tests import alerts_cases as ac
from tests.alerts_support import SmtpSink
from tests.browser_support import ARTIFACTS
from tests.dataset import wita

ONLY_URGENT = frozenset({"hampir_jatuh_tempo", "terlambat", "ringkasan_harian", "rapor_bulanan"})
SEC = "sekretariat@ntbprov.go.id"


@pytest.fixture
def engine(db_factory):
    e = ac.build(db_factory.url("sqlite"))
    yield e
    e.dispose()


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def only_secretariat(smtp: SmtpSink):
    return ac.load_recipients(secrets={"secretariat": [smtp.url(SEC)]}, read_files=False)


def statuses(engine) -> Counter:
    with engine.connect() as conn:
        return Counter(ob.outbox_rows(conn, limit=10_000)["status"])


def subjects(smtp: SmtpSink) -> Counter:
    return Counter(m["subject"] for m in smtp.messages)


def record(name: str, smtp: SmtpSink, inserted: int, engine, **more) -> dict:
    got = subjects(smtp)
    figures = {
        "inserted": inserted,
        "arrived": len(smtp.messages),
        "unique": len(got),
        "duplicated": sum(n - 1 for n in got.values()),
        "outbox": dict(statuses(engine)),
        **more,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"alerts-fault-{name}.json").write_text(json.dumps(figures, indent=1))
    return figures


def run_for(w, clock, minutes: int, step_s: int = 60) -> None:
    """Cycles every ``step_s`` simulated seconds for ``minutes``."""
    for _ in range(minutes * 60 // step_s):
        clock.advance(seconds=step_s)
        w.cycle()


def test_target_down_two_hours_every_notice_arrives_once(engine):
    """SMTP down from 10:00 to 12:00 (simulated, a cycle every 10 minutes): the notices are retried all along,
    none is marked failed, each arrives once when the server is back."""
    sink = SmtpSink()  # not started: the mail server is down
    clock = ac.Clock(wita(2026, 3, 30, 9, 59))
    w = ac.worker(engine, only_secretariat(sink), clock, retry_base_s=30, retry_for_s=48 * 3600, disabled=ONLY_URGENT)
    w.cycle()
    tickets = [f"NTB-2026-D{i}" for i in range(3)]
    for t in tickets:
        ac.insert_urgent(engine, t, clock.at)
    run_for(w, clock, 120, step_s=600)
    held = statuses(engine)
    attempts = w.stats["failed_attempts"]
    sink.start()
    try:
        run_for(w, clock, 2)
        figures = record("target-down-2h", sink, len(tickets), engine, failed_attempts_while_down=attempts)
        assert held["failed"] == 0 and held["pending"] == sum(held.values())  # nothing given up after 2 hours
        assert attempts == 3 * 12  # every cycle of the two hours retried each notice
        assert {f"[NTB Care] Aduan MENDESAK baru {t}" for t in tickets} <= set(subjects(sink))
        assert figures["duplicated"] == 0 and set(statuses(engine)) == {"sent"}
    finally:
        sink.stop()


def test_retries_end_failed_after_the_period_and_an_admin_resends(engine, smtp):
    """After NTBCARE_ALERTS_RETRY_FOR_H a notice is failed (counted for the wall's mark); "Kirim ulang" puts it
    back and the worker sends it once."""
    smtp.stop()
    clock = ac.Clock(wita(2026, 3, 30, 10, 0))
    w = ac.worker(engine, only_secretariat(smtp), clock, disabled=ONLY_URGENT, retry_for_s=3600)
    w.cycle()
    ac.insert_urgent(engine, "NTB-2026-R1", clock.at)
    run_for(w, clock, 70, step_s=600)
    with engine.connect() as conn:
        assert ob.failed_count(conn) == 1
        (oid,) = ob.outbox_rows(conn, ("failed",))["id"].tolist()
    smtp.start()
    run_for(w, clock, 20, step_s=600)
    assert smtp.messages == []  # failed stays failed until someone decides
    with engine.begin() as conn:
        assert ob.resend(conn, oid, clock.at) and not ob.resend(conn, oid, clock.at)
    w.cycle()
    assert list(subjects(smtp).items()) == [("[NTB Care] Aduan MENDESAK baru NTB-2026-R1", 1)]
    with engine.connect() as conn:
        assert ob.failed_count(conn) == 0


def test_database_error_right_after_a_send_never_resends(engine, smtp, monkeypatch):
    """The send succeeds, then mark_sent fails on the database: the next cycles mark it, never send it again."""
    clock = ac.Clock(wita(2026, 3, 30, 10, 0))
    w = ac.worker(engine, only_secretariat(smtp), clock, disabled=ONLY_URGENT)
    w.cycle()
    ac.insert_urgent(engine, "NTB-2026-E1", clock.at)
    real = store.mark_sent
    calls = {"n": 0}

    def failing_once(conn, oid, now):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("UPDATE alerts_outbox", {}, Exception("server closed the connection"))
        return real(conn, oid, now)

    monkeypatch.setattr(store, "mark_sent", failing_once)
    assert w.cycle() == "error"
    assert smtp.wait_for(1) and statuses(engine) == Counter({"sending": 1})
    for _ in range(3):
        clock.advance(seconds=5)
        assert w.cycle() == "active"
    figures = record("db-error-after-send", smtp, 1, engine, mark_sent_calls=calls["n"])
    assert figures["arrived"] == 1 and figures["duplicated"] == 0
    assert statuses(engine) == Counter({"sent": 1})


def test_clock_six_months_ahead_holds_then_sends_the_right_notices(db_factory):
    """The worker's clock six months ahead of the database's: every batch is held (role "skew", nothing
    written); once the clock is fixed it sends what a worker with a right clock sent, no more, no less."""
    six_months = dt.timedelta(days=183)
    outcome = {}
    for name, ahead in (("control", dt.timedelta(0)), ("skewed", six_months)):
        engine = ac.build(db_factory.url("sqlite"))
        smtp = SmtpSink().start()
        try:
            recips = ac.load_recipients(
                secrets={"secretariat": [smtp.url(SEC)], "advisers": [smtp.url("staf.ahli@ntbprov.go.id")]},
                read_files=False,
            )
            clock = ac.Clock(wita(2026, 3, 30, 6, 0))
            w = ac.worker(engine, recips, clock, disabled=frozenset({"rapor_bulanan"}))
            w.cycle()
            roles = Counter()
            for hm, ticket in (((7, 0), "NTB-2026-K1"), ((7, 30), None), ((9, 0), "NTB-2026-K2"), ((12, 0), None)):
                clock.set(wita(2026, 3, 30, *hm))
                if ticket:
                    ac.insert_urgent(engine, ticket, clock.at)
                clock.db_offset = ahead
                clock.set(clock.at + ahead)  # the worker's clock; the database keeps the true time
                roles[w.cycle()] += 1
                clock.set(clock.at - ahead)
                clock.db_offset = dt.timedelta(0)
            held = len(smtp.messages)
            clock.set(wita(2026, 3, 30, 12, 30))  # the clock is fixed
            w.cycle()
            w.cycle()
            outcome[name] = dict(roles=roles, held=held, subjects=subjects(smtp), smtp=smtp, engine=engine)
            if name == "skewed":
                with engine.connect() as conn:
                    assert ob.worker_heartbeat(conn)["role"].tolist() == ["active"]
                record(
                    "clock-six-months",
                    smtp,
                    2,
                    engine,
                    sent_while_skewed=held,
                    control_arrived=sum(outcome["control"]["subjects"].values()),
                )
        finally:
            smtp.stop()
            engine.dispose()
    skewed, control = outcome["skewed"], outcome["control"]
    assert skewed["roles"] == Counter({"skew": 4}) and skewed["held"] == 0
    assert control["roles"] == Counter({"active": 4}) and control["held"] > 0
    assert skewed["subjects"] == control["subjects"]  # the same notices, each once
    assert max(skewed["subjects"].values()) == 1


def test_clock_skew_is_reported_on_the_heartbeat(engine, smtp):
    clock = ac.Clock(wita(2026, 3, 30, 10, 0))
    clock.db_offset = dt.timedelta(days=-183)  # the worker six months behind
    w = ac.worker(engine, only_secretariat(smtp), clock, disabled=ONLY_URGENT, max_skew_s=30)
    assert w.cycle() == "skew"
    with engine.connect() as conn:
        hb = ob.worker_heartbeat(conn).iloc[0]
    assert hb["role"] == "skew" and round(hb["skew_s"]) == -183 * 86400


def test_a_complaint_raised_to_mendesak_an_hour_later_is_announced_once(engine, smtp):
    clock = ac.Clock(wita(2026, 3, 30, 10, 0))
    w = ac.worker(engine, only_secretariat(smtp), clock, disabled=ONLY_URGENT, raised_scan_s=60)
    w.cycle()
    ac.insert_urgent(engine, "NTB-2026-H1", clock.at)
    with engine.begin() as conn:
        conn.execute(update(complaint).where(complaint.c.ticket == "NTB-2026-H1").values(priority="biasa"))
    run_for(w, clock, 60, step_s=600)
    assert smtp.messages == []  # not urgent (yet)
    with engine.begin() as conn:
        conn.execute(update(complaint).where(complaint.c.ticket == "NTB-2026-H1").values(priority="mendesak"))
    run_for(w, clock, 2)
    clock.advance(days=1)
    w.cycle()
    figures = record("raised-after-an-hour", smtp, 1, engine)
    assert list(subjects(smtp).items()) == [("[NTB Care] Aduan MENDESAK baru NTB-2026-H1", 1)]
    assert figures["duplicated"] == 0


def test_a_ticket_with_a_line_break_is_delivered_with_a_one_line_subject(engine, smtp):
    clock = ac.Clock(wita(2026, 3, 30, 10, 0))
    w = ac.worker(engine, only_secretariat(smtp), clock, disabled=ONLY_URGENT)
    w.cycle()
    ac.insert_urgent(engine, "NTB-2026-L1\r\nBcc: penyusup@example.com", clock.at)
    w.cycle()
    (m,) = smtp.wait_for(1)
    assert m["subject"] == "[NTB Care] Aduan MENDESAK baru NTB-2026-L1 Bcc: penyusup@example.com"
    assert m["to"] == [SEC]  # the header injection reached no one
    assert statuses(engine) == Counter({"sent": 1})


def test_backoff_doubles_to_a_cap_smaller_for_mendesak():
    s = ac.replace(ac.AlertSettings.defaults(), retry_base_s=30, retry_cap_s=300, retry_cap_urgent_s=60)
    assert [store.retry_delay_s(n, "terlambat", s) for n in range(1, 7)] == [30, 60, 120, 240, 300, 300]
    assert [store.retry_delay_s(n, "mendesak_baru", s) for n in range(1, 4)] == [30, 60, 60]
    assert store.retry_delay_s(10_000, "terlambat", s) == 300  # no overflow after days of retries
