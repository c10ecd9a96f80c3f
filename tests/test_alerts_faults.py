"""Faults, with the worker as a real process (`python -m alerts run`): SIGKILL in the middle of a batch, two
workers at once, the database stopped and restarted. Each test counts what arrived at the SMTP server."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from alerts import outbox as q
from alerts import tables as tb
from tests import alerts_cases as ac
from tests.alerts_support import SmtpSink, TcpProxy, WorkerProcess, wait_until
from tests.browser_support import ARTIFACTS
from tests.dataset import wita

FAKE_NOW = "2026-03-30T10:00:00+08:00"  # the dataset's Monday


def env_for(smtp: SmtpSink, **extra) -> dict[str, str]:
    return {
        "NTBCARE_ALERTS_SECRETARIAT": smtp.url("sekretariat@ntbprov.go.id"),
        "NTBCARE_ALERTS_DISABLED": "hampir_jatuh_tempo,terlambat,ringkasan_harian,rapor_bulanan",
        "NTBCARE_ALERTS_POLL_S": "0.2",
        "NTBCARE_ALERTS_STANDBY_POLL_S": "0.5",
        "NTBCARE_ALERTS_LEASE_S": "3",
        "NTBCARE_ALERTS_CATCHUP_LIMIT": "100",
        "NTBCARE_ALERTS_RETRY_BASE_S": "0.5",
        "NTBCARE_ALERTS_SEND_TIMEOUT_S": "3",
        "NTBCARE_PUBLIC_URL": "https://monitor.ntbprov.go.id/",
        **extra,
    }


def tickets(smtp: SmtpSink) -> Counter:
    return Counter(m["subject"].rsplit(" ", 1)[1] for m in smtp.messages)


def heartbeat(engine):
    with engine.connect() as conn:
        return q.worker_heartbeat(conn)


def roles(engine) -> dict[str, str]:
    hb = heartbeat(engine)
    return dict(zip(hb["worker"], hb["role"], strict=True))


def outbox_status(engine) -> Counter:
    with engine.connect() as conn:
        if not q.tables_exist(conn):
            return Counter()
        c = tb.alerts_conn(conn)
        return Counter(dict(c.execute(select(tb.outbox.c.status, func.count()).group_by(tb.outbox.c.status)).all()))


def record(name: str, **counts) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"alerts-fault-{name}.json").write_text(json.dumps(counts, indent=1))


def insert_many(engine, prefix: str, n: int, at: dt.datetime) -> list[str]:
    names = [f"NTB-2026-{prefix}{i:03d}" for i in range(n)]
    with engine.begin() as conn:
        from tests import dataset

        cases = {}
        for t in names:
            cases.update(ac.urgent_case(t, at))
        dataset.insert_cases(conn, cases)
    return names


def test_sigkill_in_the_middle_of_a_batch_then_restart(db_factory):
    engine = ac.build(db_factory.url("postgresql"))
    url = engine.url.render_as_string(hide_password=False)
    smtp = SmtpSink(delay_s=0.15).start()
    first = WorkerProcess(url, env_for(smtp), "kill-1", FAKE_NOW)
    second = None
    try:
        assert wait_until(lambda: roles(engine).get("kill-1") == "active" if q_ready(engine) else False)
        sent = insert_many(engine, "K", 30, wita(2026, 3, 30, 10, 0))
        assert wait_until(lambda: len(smtp.messages) >= 10, timeout=60)
        first.kill()  # SIGKILL: no clean-up, a notice may be in flight
        at_kill = len(smtp.messages)
        second = WorkerProcess(url, env_for(smtp), "kill-2", FAKE_NOW)
        assert wait_until(lambda: set(tickets(smtp)) >= set(sent), timeout=90)
        assert wait_until(lambda: outbox_status(engine) == Counter({"sent": 30}))  # all marked: nothing left to send
        got = tickets(smtp)
        dups = sum(v - 1 for v in got.values())
        record(
            "sigkill",
            inserted=len(sent),
            arrived=len(smtp.messages),
            unique=len(got),
            duplicates=dups,
            arrived_before_kill=at_kill,
            outbox=dict(outbox_status(engine)),
        )
        assert set(got) == set(sent)  # nothing lost
        assert dups <= 1  # at most the one notice that was being sent when the process died
        assert outbox_status(engine) == Counter({"sent": 30})
    finally:
        first.stop()
        if second:
            second.stop()
        smtp.stop()
        engine.dispose()


def q_ready(engine) -> bool:
    with engine.connect() as conn:
        return q.tables_exist(conn)


@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_two_workers_at_once_send_once_and_the_second_takes_over(db_factory, backend):
    engine = ac.build(db_factory.url(backend))
    url = engine.url.render_as_string(hide_password=False)
    smtp = SmtpSink().start()
    a = WorkerProcess(url, env_for(smtp), f"{backend}-a", FAKE_NOW)
    b = WorkerProcess(url, env_for(smtp), f"{backend}-b", FAKE_NOW)
    try:
        assert wait_until(lambda: q_ready(engine) and sorted(roles(engine).values()) == ["active", "standby"])
        first = insert_many(engine, "D", 10, wita(2026, 3, 30, 10, 0))
        assert wait_until(lambda: set(tickets(smtp)) >= set(first), timeout=60)
        assert wait_until(lambda: outbox_status(engine) == Counter({"sent": 10}))
        assert tickets(smtp) == Counter({t: 1 for t in first})  # two workers, each notice once
        active = next(w for w, r in roles(engine).items() if r == "active")
        standby = f"{backend}-b" if active == f"{backend}-a" else f"{backend}-a"
        (a if active.endswith("-a") else b).kill()
        killed_at = time.monotonic()
        more = insert_many(engine, "E", 5, wita(2026, 3, 30, 10, 1))
        assert wait_until(lambda: set(tickets(smtp)) >= set(first + more), timeout=90)
        takeover_s = time.monotonic() - killed_at
        assert wait_until(lambda: outbox_status(engine) == Counter({"sent": 15}))
        got = tickets(smtp)
        dups = sum(v - 1 for v in got.values())
        record(
            f"two-workers-{backend}",
            inserted=15,
            arrived=len(smtp.messages),
            unique=len(got),
            duplicates=dups,
            takeover_s=round(takeover_s, 2),
            new_active=standby,
        )
        assert set(got) == set(first + more) and dups == 0
        assert wait_until(lambda: roles(engine)[standby] == "active")  # its heartbeat follows its last send
    finally:
        a.stop()
        b.stop()
        smtp.stop()
        engine.dispose()


def test_database_stopped_and_restarted_loses_nothing_and_sends_once(pg_instance):
    url = pg_instance.create_database("ntbcare_alerts_outage")
    engine = ac.build(url)
    smtp = SmtpSink()  # not started: the first notices wait in the outbox
    worker = WorkerProcess(url, env_for(smtp), "outage", FAKE_NOW)
    try:
        assert wait_until(lambda: q_ready(engine) and roles(engine).get("outage") == "active")
        early = insert_many(engine, "O", 3, wita(2026, 3, 30, 10, 0))
        assert wait_until(lambda: outbox_status(engine).get("pending", 0) == 3)
        engine.dispose()
        pg_instance.stop("immediate")  # a crash of the database server
        smtp.start()
        assert wait_until(lambda: "database unavailable" in worker.log(), timeout=30)
        pg_instance.start()
        assert wait_until(lambda: set(tickets(smtp)) >= set(early), timeout=60)
        late = insert_many(engine, "P", 2, wita(2026, 3, 30, 10, 5))
        assert wait_until(lambda: set(tickets(smtp)) >= set(early + late), timeout=60)
        assert wait_until(lambda: outbox_status(engine) == Counter({"sent": 5}))
        got = tickets(smtp)
        dups = sum(v - 1 for v in got.values())
        record(
            "database-restart",
            inserted=5,
            arrived=len(smtp.messages),
            unique=len(got),
            duplicates=dups,
            outbox=dict(outbox_status(engine)),
        )
        assert set(got) == set(early + late) and dups == 0
        assert outbox_status(engine) == Counter({"sent": 5})
        assert roles(engine)["outage"] == "active"
    finally:
        worker.stop()
        smtp.stop()
        engine.dispose()


PARTITION_S = float(os.environ.get("ALERTS_TEST_PARTITION_S", "20"))  # the report's run: 300 (five minutes)


@pytest.mark.timeout(PARTITION_S + 240)
def test_partition_between_worker_and_database_the_standby_takes_over(db_factory):
    """Worker A reaches PostgreSQL through a TCP proxy, worker B directly. The proxy stops forwarding for
    PARTITION_S: the server ends A's silent lock session after NTBCARE_ALERTS_LOCK_IDLE_S, B takes the lock
    and sends what comes meanwhile; after the partition A is standby. Nothing lost, nothing twice."""
    engine = ac.build(db_factory.url("postgresql"))
    direct = engine.url.render_as_string(hide_password=False)
    proxy = TcpProxy(engine.url.port or 5432)
    through = engine.url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    smtp = SmtpSink().start()
    env = env_for(smtp, NTBCARE_ALERTS_LOCK_IDLE_S="5")
    a = WorkerProcess(through, env, "part-a", FAKE_NOW)
    b = None
    try:
        assert wait_until(lambda: q_ready(engine) and roles(engine).get("part-a") == "active")
        b = WorkerProcess(direct, env, "part-b", FAKE_NOW)
        assert wait_until(lambda: roles(engine).get("part-b") == "standby")
        before = insert_many(engine, "Q", 3, wita(2026, 3, 30, 10, 0))
        assert wait_until(lambda: set(tickets(smtp)) >= set(before), timeout=60)
        # cut when nothing is in flight: a partition between a send and its mark is the one duplicate
        # possible (the standby cannot know whether the notice left), see docs/alerts.md
        assert wait_until(lambda: outbox_status(engine) == Counter({"sent": 3}))
        proxy.partition()
        cut_at = time.monotonic()
        during = insert_many(engine, "R", 3, wita(2026, 3, 30, 10, 1))
        assert wait_until(lambda: set(tickets(smtp)) >= set(before + during), timeout=max(90, PARTITION_S))
        takeover_s = time.monotonic() - cut_at
        assert wait_until(lambda: time.monotonic() - cut_at >= PARTITION_S, timeout=PARTITION_S + 5)
        proxy.heal()
        after = insert_many(engine, "S", 2, wita(2026, 3, 30, 10, 2))
        assert wait_until(lambda: set(tickets(smtp)) >= set(before + during + after), timeout=60)
        assert wait_until(lambda: roles(engine).get("part-a") == "standby", timeout=60)
        assert wait_until(lambda: outbox_status(engine) == Counter({"sent": 8}))
        got = tickets(smtp)
        dups = sum(v - 1 for v in got.values())
        record(
            "partition",
            partition_s=PARTITION_S,
            inserted=8,
            arrived=len(smtp.messages),
            unique=len(got),
            duplicates=dups,
            takeover_s=round(takeover_s, 1),
            roles=roles(engine),
        )
        assert set(got) == set(before + during + after) and dups == 0
        assert takeover_s < 60  # the lock is lost within a minute
        assert roles(engine)["part-b"] == "active"
    finally:
        proxy.heal()
        a.stop()
        if b:
            b.stop()
        proxy.close()
        smtp.stop()
        engine.dispose()
